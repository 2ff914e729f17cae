import DictDBAPI

/// Random snapshots and values from a seed, with the cases that break codecs: integers at encoding
/// boundaries, doubles that break naive formatting, escapes and non-ASCII text, awkward field names,
/// records whose fields come in different orders.
///
/// ```swift
/// var generator = SnapshotGenerator(seed: 7)
/// let content = generator.snapshot(tableCount: 3, maxRecords: 100)
/// let value = generator.value(depth: 0)
/// ```
public struct SnapshotGenerator {
    private var random: SplitMix64

    /// Creates a generator; the same seed gives the same data.
    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// Integers at encoding boundaries.
    public static let specialInts: [Int64] = [
        0, 1, -1, 31, 32, -32, -33, 127, 128, -128, -129, 255, 256, 32767, -32768, -32769, 65535, 65536,
        2_147_483_647, -2_147_483_648, -2_147_483_649, 4_294_967_295, 4_294_967_296, .max, .min, .max - 1, .min + 1,
    ]

    /// Doubles that break naive formatting: integral values, `-0.0`, subnormals, the extremes.
    public static let specialDoubles: [Double] = [
        30103.0, -0.0, 0.0, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude, 1.7976931348623157e308,
        -1.7976931348623157e308, 2.2250738585072014e-308,
        0.1, 0.30000000000000004, 1e-7, 1e21, 1e22, 1e23, 123456.78, 9007199254740993.0, 9007199254740992.0, 1.0,
        -1.5, 100.0, 4.35, 2e-5, 1e16,
    ]

    /// Strings with escapes, Unicode and edge cases, one of 40,000 two-byte characters.
    public static let specialStrings: [String] = [
        "", " ", "a", "h\u{e9}llo w\u{f6}rld", "\u{65E5}\u{672C}\u{8A9E}",
        "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}", "\u{1F600}", "\u{0}", "\u{1}\u{1f}\u{7f}", "tab\there",
        "line\nbreak\r", "quote\"and\\backslash", "/slash", "\u{2028}\u{2029}", "\u{FFFF}", "\u{10FFFF}",
        "{\"_meta\":1}", String(repeating: "x", count: 31), String(repeating: "y", count: 32),
        String(repeating: "z", count: 256), String(repeating: "\u{e9}", count: 40_000),
    ]

    /// Field names, including awkward ones.
    public static let fieldNames = [
        "id", "name", "age", "dept", "salary", "email", "", "\u{e9}", "with space", "quote\"", "\u{1F600}", "a\nb",
        "_meta", "checksum", "tableCount",
    ]

    /// A random snapshot: `tableCount` tables of 0...`maxRecords` records each, with `tableCount` in the meta
    /// record and `recordCount` in each header, as the engine writes them.
    public mutating func snapshot(tableCount: Int, maxRecords: Int) -> SnapshotContent {
        var tables: [SnapshotContent.Table] = []
        for t in 0..<tableCount {
            let count = Int.random(in: 0...max(0, maxRecords), using: &random)
            var records: [Record] = []
            let shape = Array(Self.fieldNames.shuffled(using: &random).prefix(Int.random(in: 1...8, using: &random)))
            for _ in 0..<count { records.append(record(shape: shape)) }
            let header: Record = [
                "name": .string("table\(t)"), "primaryKey": "id", "recordCount": .int(Int64(count)),
                "indexes": [["field": "dept", "kind": "hash"]], "state": ["next": .int(Int64(count + 1))],
            ]
            tables.append(SnapshotContent.Table(header: header, records: records))
        }
        let meta: Record = [
            "format": "dictdb", "version": 1, "codec": "test", "created": "2025-01-01T00:00:00Z",
            "generation": .int(Int64.random(in: 0...1000, using: &random)), "tableCount": .int(Int64(tableCount)),
        ]
        return SnapshotContent(meta: meta, tables: tables)
    }

    /// A record mostly of `shape`, sometimes with fields reordered, missing or added.
    public mutating func record(shape: [String]) -> Record {
        var names = shape
        switch Int.random(in: 0..<10, using: &random) {
        case 0: names.shuffle(using: &random)
        case 1: if names.count > 1 { names.removeLast() }
        case 2:
            if let extra = Self.fieldNames.randomElement(using: &random), !names.contains(extra) { names.append(extra) }
        default: break
        }
        return Record(fields: names.map { ($0, value(depth: 0)) })
    }

    /// A random value of any kind, nesting at most a few levels below `depth`.
    public mutating func value(depth: Int) -> Value {
        let kinds = depth >= 3 ? 5 : 7
        switch Int.random(in: 0..<kinds, using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2:
            if Bool.random(using: &random) { return .int(Self.specialInts.randomElement(using: &random) ?? 0) }
            return .int(Int64.random(in: .min ... .max, using: &random) >> Int64.random(in: 0...63, using: &random))
        case 3:
            if Bool.random(using: &random) { return .double(Self.specialDoubles.randomElement(using: &random) ?? 0) }
            var number = Double(bitPattern: random.next())
            while !number.isFinite { number = Double(bitPattern: random.next()) }
            return .double(number)
        case 4:
            return .string(string())
        case 5:
            return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in value(depth: depth + 1) })
        default:
            let count = Int.random(in: 0...4, using: &random)
            var record = Record()
            for _ in 0..<count {
                record[Self.fieldNames.randomElement(using: &random) ?? "k"] = value(depth: depth + 1)
            }
            return .object(record)
        }
    }

    /// A special string now and then, else random text of up to 20 code points.
    private mutating func string() -> String {
        if Int.random(in: 0..<20, using: &random) == 0 {
            return Self.specialStrings.randomElement(using: &random) ?? ""
        }
        if Bool.random(using: &random) { return Self.specialStrings.prefix(17).randomElement(using: &random) ?? "" }
        let length = Int.random(in: 0...20, using: &random)
        let scalars = (0..<length).map { _ in randomScalar() }
        return String(String.UnicodeScalarView(scalars))
    }

    private mutating func randomScalar() -> Unicode.Scalar {
        let ranges: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0x00...0x1F, 0xA0...0x2FF, 0x4E00...0x4FFF, 0x1F600...0x1F64F,
        ]
        let range = ranges[Int.random(in: 0..<ranges.count, using: &random)]
        return Unicode.Scalar(UInt32.random(in: range, using: &random)) ?? "?"
    }
}
