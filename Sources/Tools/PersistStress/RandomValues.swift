import DictDB
import DictDBToolSupport

/// Random values that push a codec: extreme ints, awkward doubles, Unicode edge cases, deep nesting.
struct RandomValues {
    var random: SeededGenerator

    /// Ints at and near the edges of what 64 bits and doubles hold.
    static let edgeInts: [Int64] = [
        .min, .max, 0, -1, 1, 1 << 53, (1 << 53) + 1, -(1 << 53) - 1, Int64(Int32.max) + 1, -128, 255,
    ]
    /// Doubles that round-trip badly when a codec is careless: signed zero, subnormals, the largest finite,
    /// integral doubles (which must stay doubles).
    static let edgeDoubles: [Double] = [
        0.0, -0.0, 1.5, -2.25, .pi, 0.1, 1e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        -.greatestFiniteMagnitude,
        .leastNormalMagnitude, 3.0, -1e15, 123_456_789.0, 1e21, 2.5e-8,
    ]
    /// Strings that test escaping and Unicode handling.
    static let edgeStrings: [String] = [
        "", " ", "héllo", "e\u{301}", "\u{E9}", "日本語のテキスト", "🙂🚀", "👨‍👩‍👧‍👦", "🇫🇷", "\u{0}", "\u{1F}\u{7F}",
        "\"quoted\"", "back\\slash", "tab\tnew\nline\r", "\u{FEFF}bom", "\u{202E}rtl", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ﬁ ligature",
        "\u{10FFFF}", "<script>&amp;</script>", "null", "true", "123", "-0.0", "{\"a\":1}", "_meta", "crc32:00000000",
    ]
    /// Field names beyond plain ASCII words.
    static let edgeFieldNames: [String] = [
        "name", "n", "ключ", "键", "a.b", "with space", "_meta", "checksum", "$weird", "🔑", "e\u{301}", "x-y", "0",
    ]

    /// A scalar (null, bool, int, double or string).
    mutating func scalar() -> Value {
        switch random.index(below: 10) {
        case 0: return .null
        case 1: return .bool(random.percent(50))
        case 2: return .int(random.pick(Self.edgeInts))
        case 3: return .int(Int64.random(in: -1_000_000...1_000_000, using: &random))
        case 4: return .double(random.pick(Self.edgeDoubles))
        case 5: return .double(Double.random(in: -1e6...1e6, using: &random))
        case 6: return .string(random.pick(Self.edgeStrings))
        case 7: return .string(unicodeString(length: random.index(below: 24)))
        case 8: return .string(random.percent(3) ? longString() : word())
        default: return .int(Int64(random.index(below: 100)))
        }
    }

    /// Any value, nested up to `depth` levels of arrays and objects.
    mutating func value(depth: Int = 3) -> Value {
        guard depth > 0 else { return scalar() }
        switch random.index(below: 10) {
        case 0, 1: return .array((0..<random.index(below: 5)).map { _ in value(depth: depth - 1) })
        case 2: return .object(object(depth: depth - 1))
        default: return scalar()
        }
    }

    /// An object with a few fields of random values.
    mutating func object(depth: Int) -> Record {
        var record = Record()
        for _ in 0..<random.index(below: 5) { record[fieldName()] = value(depth: depth) }
        return record
    }

    /// A field name: usually a word, sometimes an awkward one.
    mutating func fieldName() -> String {
        random.percent(30) ? random.pick(Self.edgeFieldNames) : "f\(random.index(below: 12))"
    }

    /// A short lowercase ASCII word.
    mutating func word() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return String((0..<(2 + random.index(below: 8))).map { _ in random.pick(letters) })
    }

    /// A string of random scalars from several scripts and planes (never a surrogate).
    mutating func unicodeString(length: Int) -> String {
        let ranges: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0x00...0x1F, 0xA0...0x24F, 0x370...0x3FF, 0x400...0x4FF, 0x590...0x6FF, 0x3040...0x30FF,
            0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xE000...0xF8FF, 0x1F300...0x1FAFF, 0x10000...0x10FFFF,
        ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            let range = random.pick(ranges)
            if let scalar = Unicode.Scalar(UInt32.random(in: range, using: &random)) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    /// A string of a few thousand characters.
    mutating func longString() -> String {
        String(repeating: unicodeString(length: 16), count: 100 + random.index(below: 300))
    }
}
