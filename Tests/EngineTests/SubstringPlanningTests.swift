import DictDBAPI
import Engine
import Testing

/// The planner offers `contains`, suffixes and `LIKE` patterns to index kinds as
/// ``IndexPredicate/contains(_:)``; a kind that serves it (here a deliberately plain one that scans its own
/// keys) speeds such queries up without changing a single answer.
@Suite struct SubstringPlanningTests {
    @Test func substringConditionsAreServedByATextIndexWithTheScanAnswer() throws {
        var rng = Generator(state: 7)
        let db = Database(registry: registryWithTextIndex())
        let indexed = try db.createTable("indexed")
        let scanned = try db.createTable("scanned")
        try indexed.createIndex(on: "s", kind: ScanningTextIndexKind.name)
        var model: [Record] = []
        for id in 1...300 {
            let record: Record = ["id": .int(Int64(id)), "s": rng.pick(Self.values)]
            model.append(record)
            try indexed.insert(record)
            try scanned.insert(record)
        }
        for _ in 0..<400 {
            let condition = rng.pick(Self.conditions)
            let expected = model.filter { condition.matches($0) }
            #expect(try indexed.select(where: condition) == expected, "\(condition)")
            #expect(try scanned.select(where: condition) == expected, "\(condition)")
            #expect(try indexed.count(where: condition) == expected.count, "\(condition)")
        }
    }

    @Test func containsLikeAndSuffixPlanThroughTheIndexAndCaseInsensitiveFormsScan() throws {
        let db = Database(registry: registryWithTextIndex())
        let table = try db.createTable("t")
        try table.createIndex(on: "s", kind: ScanningTextIndexKind.name)
        for (id, text) in ["alpha", "alphabet", "beta"].enumerated() {
            try table.insert(["id": .int(Int64(id)), "s": .string(text)])
        }
        let served: [Condition] = [
            Field("s").contains("pha"), Field("s").hasSuffix("bet"), Field("s").like("%ph_b%"),
            Field("s").like("%bet"), Field("s").like("al%"),
        ]
        for condition in served {
            let plan = try table.explain(Query(condition))
            #expect(!plan.isFullScan, "\(condition) -> \(plan)")
            #expect(plan.description.contains("CONTAINS"), "\(plan)")
        }
        #expect(try table.select(where: Field("s").like("%ph_b%")).map { $0["s"] } == ["alphabet"])

        let scanning: [Condition] = [
            Field("s").contains("PHA", caseInsensitive: true), Field("s").like("%", escape: nil),
            Field("s").ilike("%pha%"),
        ]
        for condition in scanning { #expect(try table.explain(Query(condition)).isFullScan, "\(condition)") }
    }

    static let values: [Value] = [
        "alpha", "alphabet", "Alpha", "bet", "abc%def", "a_c", "éclair", "e\u{301}clair", "", .null, 3,
        ["pha", "x"], ["alpha"], ["k": "pha"], "pharaoh", "\u{10FFFF}pha",
    ]

    static let conditions: [Condition] = [
        Field("s").contains("pha"), Field("s").contains("alpha"), Field("s").contains(""),
        Field("s").contains(3), Field("s").contains("é"), Field("s").hasSuffix("bet"),
        Field("s").hasSuffix(""), Field("s").like("%ph_%"), Field("s").like("%\\%d%", escape: "\\"),
        Field("s").like("a_c"), Field("s").like("%clair"), Field("s").contains("PHA", caseInsensitive: true),
        Field("s").contains("pha") && Field("id") > 100, Field("s").contains("pha") || Field("s").contains("bet"),
        !Field("s").contains("pha"),
    ]

    func registryWithTextIndex() -> Registry {
        var registry = makeTestRegistry()
        registry.register(indexKind: ScanningTextIndexKind())
        return registry
    }

    struct Generator {
        var state: UInt64
        mutating func pick<T>(_ items: [T]) -> T {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return items[Int((state >> 33) % UInt64(items.count))]
        }
    }
}

/// A text index in its plainest form: it keeps every row's key and answers ``IndexPredicate/contains(_:)``
/// by testing each one, with exactly the semantics the predicate documents.
private struct ScanningTextIndexKind: IndexKind {
    static let name = "scanning-text"
    var name: String { Self.name }

    func makeIndex(_ definition: IndexDefinition) throws(DictDBError) -> any TableIndex {
        ScanningTextIndex(definition: definition)
    }
}

private struct ScanningTextIndex: TableIndex {
    let definition: IndexDefinition
    var keys: [RowID: Value] = [:]

    mutating func insert(key: Value, row: RowID) { keys[row] = key }
    mutating func remove(key: Value, row: RowID) { if keys[row] == key { keys[row] = nil } }
    mutating func removeAll() { keys = [:] }

    func rows(matching predicate: IndexPredicate) -> [RowID]? {
        guard case .contains(let text) = predicate else { return nil }
        return keys.filter { _, key in
            switch key {
            case .string(let s): return Self.holds(s, text)
            case .array(let elements): return elements.contains(.string(text))
            default: return false
            }
        }.map(\.key)
    }

    func estimatedRows(matching predicate: IndexPredicate) -> Int? {
        guard case .contains = predicate else { return nil }
        return keys.count / 4
    }

    var statistics: IndexStatistics { IndexStatistics(entries: keys.count, distinctKeys: Set(keys.values).count) }

    private static func holds(_ s: String, _ text: String) -> Bool {
        let haystack = Array(s.utf8)
        let needle = Array(text.utf8)
        guard needle.count <= haystack.count else { return false }
        if needle.isEmpty { return true }
        return (0...(haystack.count - needle.count)).contains {
            haystack[$0..<($0 + needle.count)].elementsEqual(needle)
        }
    }
}
