import DictDBAPI
import Indexes
import Testing

/// The shared ``TableIndex`` contract (the checks of `IndexContractTests`) run over the `sorted` and
/// `composite` kinds, plus what the kinds themselves promise.
@Suite struct SortedIndexContractTests {
    static let kinds: [any IndexKind] = [SortedIndexKind(), CompositeIndexKind()]

    let contract = IndexContractTests()

    func makeIndex(_ kindName: String) throws -> any TableIndex {
        let kind = try #require(Self.kinds.first { $0.name == kindName })
        let fields = kindName == "composite" ? ["f", "g"] : ["f"]
        return try kind.makeIndex(IndexDefinition(name: "i", fields: fields, kind: kind.name))
    }

    @Test(arguments: kinds.map(\.name))
    func randomOperationsAgreeWithAModel(_ kindName: String) throws {
        var rng = IndexContractTests.SplitMix(state: 42)
        var index = try makeIndex(kindName)
        var model: [(key: Value, row: RowID)] = []
        for step in 0..<3000 {
            let key = rng.pick(IndexContractTests.keys)
            let row = Int(rng.next() % 50)
            if rng.next() % 3 == 0 {
                index.remove(key: key, row: row)
                model.removeAll { $0.key == key && $0.row == row }
            } else if !model.contains(where: { $0.key == key && $0.row == row }) {
                index.insert(key: key, row: row)
                model.append((key, row))
            }
            if step % 100 == 0 { try contract.checkAgainstModel(index, model) }
        }
        try contract.checkAgainstModel(index, model)
        index.removeAll()
        #expect(index.statistics.entries == 0)
        #expect(index.rows(matching: .equal(1)) == [])
    }

    @Test(arguments: kinds.map(\.name))
    func copiesAreIndependent(_ kindName: String) throws {
        var original = try makeIndex(kindName)
        original.insert(key: 1, row: 1)
        var copy = original
        copy.insert(key: 1, row: 2)
        copy.remove(key: 1, row: 1)
        #expect(original.rows(matching: .equal(1)) == [1])
        #expect(copy.rows(matching: .equal(1)) == [2])
    }

    @Test(arguments: kinds.map(\.name))
    func estimatesAreNilExactlyWhenRowsAre(_ kindName: String) throws {
        var index = try makeIndex(kindName)
        index.insert(key: "abc", row: 0)
        index.insert(key: ["abc", 1], row: 1)
        let predicates: [IndexPredicate] = [
            .equal("abc"), .anyOf(["abc", 1]), .prefix("ab"),
            .range(lower: RangeBound(1, inclusive: true), upper: nil),
            .range(lower: nil, upper: nil),
            .compositeRange(equal: ["abc"], lower: nil, upper: nil),
            .compositeRange(equal: [], lower: RangeBound("a", inclusive: false), upper: nil),
        ]
        for predicate in predicates {
            #expect((index.rows(matching: predicate) == nil) == (index.estimatedRows(matching: predicate) == nil))
        }
    }

    @Test(arguments: kinds.map(\.name))
    func theKindsMakeOrderedIndexes(_ kindName: String) throws {
        let index = try makeIndex(kindName)
        #expect(index is any OrderedTableIndex)
        #expect(index.definition.kind == kindName)
    }

    @Test(arguments: kinds.map(\.name))
    func unknownOptionsAreRejected(_ kindName: String) throws {
        let kind = try #require(Self.kinds.first { $0.name == kindName })
        let definition = IndexDefinition(name: "s", fields: ["f", "g"], kind: kindName, options: ["order": "desc"])
        #expect(throws: DictDBError.self) { try kind.makeIndex(definition) }
    }

    @Test func theSortedKindTakesOneOrMoreFieldsAndTheCompositeKindTwoOrMore() throws {
        func definition(_ fields: [String], _ kind: String) -> IndexDefinition {
            IndexDefinition(name: "x", fields: fields, kind: kind)
        }
        _ = try SortedIndexKind().makeIndex(definition(["a"], "sorted"))
        _ = try SortedIndexKind().makeIndex(definition(["a", "b"], "sorted"))
        _ = try CompositeIndexKind().makeIndex(definition(["a", "b"], "composite"))
        _ = try CompositeIndexKind().makeIndex(definition(["a", "b", "c"], "composite"))
        let noFields = #expect(throws: DictDBError.self) { try SortedIndexKind().makeIndex(definition([], "sorted")) }
        #expect(noFields?.code == .invalidArgument)
        let oneField = #expect(throws: DictDBError.self) {
            try CompositeIndexKind().makeIndex(definition(["a"], "composite"))
        }
        #expect(oneField?.code == .invalidArgument)
    }

    @Test func aSortedIndexOverSeveralFieldsAnswersCompositeRanges() throws {
        var index = try SortedIndexKind().makeIndex(IndexDefinition(name: "x", fields: ["a", "b"], kind: "sorted"))
        let definition = index.definition
        index.insert(key: definition.key(for: ["a": "p", "b": 1]), row: 0)
        index.insert(key: definition.key(for: ["a": "p", "b": 5]), row: 1)
        index.insert(key: definition.key(for: ["a": "q", "b": 2]), row: 2)
        index.insert(key: definition.key(for: ["b": 2]), row: 3)
        let predicate = IndexPredicate.compositeRange(equal: ["p"], lower: RangeBound(2, inclusive: true), upper: nil)
        #expect(index.rows(matching: predicate) == [1])
        #expect(index.rows(matching: .compositeRange(equal: [.null], lower: nil, upper: nil)) == [3])
    }
}
