import DictDBAPI

/// A small deterministic generator (SplitMix64), so a case is fully determined by its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}

/// Random field names, values, records and conditions that stress the printer and the parser: keywords as
/// field names, names that need quotes, every kind of value, quotes, escapes, combining marks, extremes.
enum RandomConditions {
    static let plainFields = ["a", "b", "age", "name", "x_1", "_under", "A9"]
    static let keywordFields = [
        "NOT", "not", "and", "OR", "select", "TRUE", "false", "null", "contains", "STARTS_WITH", "ends_with", "is",
        "IN", "between", "like", "ILIKE", "escape", "nocase", "where", "order", "count",
    ]
    static let quotedFields = ["first name", "1st", "é", "a\"b", "x-y", "日本", "\u{301}x", "'", " ", "a.b", "\"\""]

    static func field(_ rng: inout SplitMix64) -> String {
        switch rng.int(0...9) {
        case 0...3: return rng.pick(plainFields)
        case 4...6: return rng.pick(keywordFields)
        default: return rng.pick(quotedFields)
        }
    }

    static let strings = [
        "", "a", "A", "ab", "it's", "''", "say \"hi\"", "back\\slash", "new\nline", "cr\r\nlf", "tab\t", "%", "_",
        "a%b_c", "100!%", "é", "e\u{301}", "\u{301}", "\u{301}a'", "😀", "🧑‍💻", "\u{0}", "\u{7F}", "日本語", "--", "-- x",
        "/* */", "NULL", "TRUE", "1", "1.0", "{\"a\":1}", "[1]", "\u{10FFFF}", "\u{FEFF}", "\u{2028}",
    ]

    static func string(_ rng: inout SplitMix64) -> String {
        if rng.chance(0.7) { return rng.pick(strings) }
        var scalars = String.UnicodeScalarView()
        for _ in 0..<rng.int(0...6) {
            let value: UInt32 = rng.chance(0.5) ? UInt32(rng.int(0...0x7F)) : UInt32(rng.int(0...0x10FFFF))
            if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    static let numbers: [Value] = [
        0, 1, -1, 42, .int(.max), .int(.min), .int(9_007_199_254_740_993), .double(0), .double(-0.0), .double(1),
        .double(0.5), .double(-2.25), .double(1e300), .double(-1e-300), .double(.leastNonzeroMagnitude), .double(0.1),
        .double(.greatestFiniteMagnitude), .double(-.greatestFiniteMagnitude), .double(9_223_372_036_854_775_808.0),
        .double(1e21), .double(123_456.789),
    ]

    static func number(_ rng: inout SplitMix64) -> Value {
        if rng.chance(0.8) { return rng.pick(numbers) }
        if rng.chance(0.5) { return .int(Int64(bitPattern: rng.next())) }
        var d = Double(bitPattern: rng.next())
        while !d.isFinite { d = Double(bitPattern: rng.next()) }
        return .double(d)
    }

    static func value(_ rng: inout SplitMix64, depth: Int = 2) -> Value {
        switch rng.int(0...11) {
        case 0...3: return number(&rng)
        case 4...6: return .string(string(&rng))
        case 7: return .bool(rng.chance(0.5))
        case 8: return .null
        case 9 where depth > 0:
            return .array((0..<rng.int(0...3)).map { _ in value(&rng, depth: depth - 1) })
        case 10 where depth > 0:
            var record = Record()
            for _ in 0..<rng.int(0...3) { record[field(&rng)] = value(&rng, depth: depth - 1) }
            return .object(record)
        default: return .string(string(&rng))
        }
    }

    static func record(_ rng: inout SplitMix64, fields: [String]) -> Record {
        var record = Record()
        for field in fields where rng.chance(0.6) { record[field] = value(&rng) }
        return record
    }

    static let escapes: [Character] = ["!", "\\", "'", "%", "_", "é", "\u{301}", "\"", "x"]

    /// A random condition; its leaves use `fields`.
    static func condition(depth: Int, fields: [String], rng: inout SplitMix64) -> Condition {
        if depth == 0 || rng.chance(0.35) { return leaf(fields: fields, rng: &rng) }
        let roll = rng.int(0...19)
        if roll == 0 { return rng.pick([.all, .and([]), .or([])]) }
        if roll <= 4 { return .not(condition(depth: depth - 1, fields: fields, rng: &rng)) }
        let parts = (0..<rng.int(1...4)).map { _ in condition(depth: depth - 1, fields: fields, rng: &rng) }
        if roll <= 8 { return parts.dropFirst().reduce(parts[0]) { roll.isMultiple(of: 2) ? $0 && $1 : $0 || $1 } }
        return roll.isMultiple(of: 2) ? .and(parts) : .or(parts)
    }

    static func leaf(fields: [String], rng: inout SplitMix64) -> Condition {
        let field = rng.pick(fields)
        switch rng.int(0...11) {
        case 0...2:
            return .comparison(field: field, op: rng.pick(ComparisonOperator.allCases), value: value(&rng))
        case 3: return .isIn(field: field, values: (0..<rng.int(0...3)).map { _ in value(&rng) })
        case 4: return .between(field: field, lower: value(&rng), upper: value(&rng))
        case 5, 6:
            let pattern =
                rng.chance(0.5) ? rng.pick(["%", "a%", "%a", "_b%", "%\u{301}%", "100!%", "%'%"]) : string(&rng)
            var escape: Character? = rng.chance(0.5) ? rng.pick(escapes) : nil
            let candidate = Condition.like(
                field: field, pattern: pattern, escape: escape, caseInsensitive: rng.chance(0.5))
            if (try? candidate.validate()) == nil { escape = nil }
            if case .like(let f, let p, _, let ci) = candidate {
                return .like(field: f, pattern: p, escape: escape, caseInsensitive: ci)
            }
            return candidate
        case 7:
            return .stringMatch(
                field: field, match: rng.chance(0.5) ? .prefix : .suffix, text: string(&rng),
                caseInsensitive: rng.chance(0.5))
        case 8: return .contains(field: field, element: value(&rng), caseInsensitive: rng.chance(0.5))
        case 9: return .isNull(field: field)
        case 10: return .isNotNull(field: field)
        default: return .comparison(field: field, op: rng.pick([.equal, .notEqual]), value: .null)
        }
    }

    /// The condition the parser returns for `condition.description`: one-element AND/OR lists unwrapped, the
    /// empty AND as `.all`, and `= NULL` / `!= NULL` as `IS NULL` / `IS NOT NULL` (the description prints
    /// those forms the same way, and they match the same records).
    static func canonical(_ condition: Condition) -> Condition {
        switch condition {
        case .comparison(let field, .equal, .null): return .isNull(field: field)
        case .comparison(let field, .notEqual, .null): return .isNotNull(field: field)
        case .and(let parts):
            let inner = parts.map(canonical)
            if inner.isEmpty { return .all }
            return inner.count == 1 ? inner[0] : .and(inner)
        case .or(let parts):
            let inner = parts.map(canonical)
            return inner.count == 1 ? inner[0] : .or(inner)
        case .not(let inner): return .not(canonical(inner))
        default: return condition
        }
    }
}
