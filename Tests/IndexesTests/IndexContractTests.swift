import DictDBAPI
import Indexes
import Testing

/// Contract tests every ``TableIndex`` must pass, run over every built-in kind against a plain model.
@Suite struct IndexContractTests {
    static let kinds: [any IndexKind] = [HashIndexKind(), UniqueIndexKind()]

    /// A tiny deterministic generator so failures replay.
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    }

    static let keys: [Value] = [.null, 0, 1, 1.0, 2.5, -3, "a", "A", "ab", true, false, [1], ["k": 1]]

    func makeIndex(_ kind: any IndexKind) throws -> any TableIndex {
        try kind.makeIndex(IndexDefinition(name: "i", fields: ["f"], kind: kind.name))
    }

    @Test(arguments: kinds.map(\.name))
    func randomOperationsAgreeWithAModel(_ kindName: String) throws {
        let kind = try #require(Self.kinds.first { $0.name == kindName })
        var rng = SplitMix(state: 42)
        var index = try makeIndex(kind)
        var model: [(key: Value, row: RowID)] = []
        for step in 0..<3000 {
            let key = rng.pick(Self.keys)
            let row = Int(rng.next() % 50)
            if rng.next() % 3 == 0 {
                index.remove(key: key, row: row)
                model.removeAll { $0.key == key && $0.row == row }
            } else if !model.contains(where: { $0.key == key && $0.row == row }) {
                index.insert(key: key, row: row)
                model.append((key, row))
            }
            if step % 100 == 0 { try checkAgainstModel(index, model) }
        }
        try checkAgainstModel(index, model)
        index.removeAll()
        #expect(index.statistics.entries == 0)
        #expect(index.rows(matching: .equal(1)) == [])
    }

    func checkAgainstModel(_ index: any TableIndex, _ model: [(key: Value, row: RowID)]) throws {
        for key in Self.keys {
            let expected = model.filter { $0.key == key }.map(\.row).sorted()
            let found = try #require(index.rows(matching: .equal(key))).sorted()
            #expect(found == expected, "key \(key)")
            #expect(index.estimatedRows(matching: .equal(key)) == expected.count)
        }
        let someKeys: [Value] = [1, "a", .null, 1.0]
        let expectedAny = model.filter { someKeys.contains($0.key) }.map(\.row).sorted()
        #expect(try #require(index.rows(matching: .anyOf(someKeys))).sorted() == expectedAny)
        #expect(index.statistics.entries == model.count)
        #expect(index.statistics.distinctKeys == Set(model.map(\.key)).count)
    }

    @Test(arguments: kinds.map(\.name))
    func copiesAreIndependent(_ kindName: String) throws {
        let kind = try #require(Self.kinds.first { $0.name == kindName })
        var original = try makeIndex(kind)
        original.insert(key: 1, row: 1)
        var copy = original
        copy.insert(key: 1, row: 2)
        copy.remove(key: 1, row: 1)
        #expect(original.rows(matching: .equal(1)) == [1])
        #expect(copy.rows(matching: .equal(1)) == [2])
    }

    @Test(arguments: kinds.map(\.name))
    func estimatesAreNilExactlyWhenRowsAre(_ kindName: String) throws {
        let kind = try #require(Self.kinds.first { $0.name == kindName })
        var index = try makeIndex(kind)
        index.insert(key: "abc", row: 0)
        let predicates: [IndexPredicate] = [
            .equal("abc"), .anyOf(["abc", 1]), .prefix("ab"),
            .range(lower: RangeBound(1, inclusive: true), upper: nil),
        ]
        for predicate in predicates {
            #expect((index.rows(matching: predicate) == nil) == (index.estimatedRows(matching: predicate) == nil))
        }
    }

    @Test func theUniqueKindAlwaysMakesUniqueIndexes() throws {
        let index = try UniqueIndexKind().makeIndex(IndexDefinition(name: "u", fields: ["f"], kind: "unique"))
        #expect(index.definition.unique)
        let hash = try HashIndexKind().makeIndex(IndexDefinition(name: "h", fields: ["f"], kind: "hash"))
        #expect(!hash.definition.unique)
    }

    @Test func unknownOptionsAreRejected() {
        let definition = IndexDefinition(name: "h", fields: ["f"], kind: "hash", options: ["order": "desc"])
        #expect(throws: DictDBError.self) { try HashIndexKind().makeIndex(definition) }
    }

    @Test func compositeKeysAreArraysOfTheFieldsAndNullPartsAreExemptFromUniqueness() {
        let definition = IndexDefinition(name: "c", fields: ["a", "b"], kind: "hash", unique: true)
        let key = definition.key(for: ["b": 2, "a": 1])
        #expect(key == [1, 2])
        #expect(!definition.keyIsExemptFromUniqueness(key))
        #expect(definition.keyIsExemptFromUniqueness(definition.key(for: ["a": 1])))
        #expect(IndexDefinition(name: "s", fields: ["a"], kind: "hash").key(for: [:]) == .null)
    }
}
