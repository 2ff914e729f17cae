import DictDBAPI
import DictDBContracts
import Indexes
import Testing

/// The shared index contract (``IndexKindContract``, ordered visits included) run over the `sorted` and
/// `composite` kinds, plus what the kinds themselves promise.
@Suite struct SortedIndexContractTests {
    static let kinds: [any IndexKind] = [SortedIndexKind(), CompositeIndexKind()]

    @Test(arguments: IndexContractTests.Subject.all.filter { ["sorted", "composite"].contains($0.kind.name) })
    func keepsTheOrderedIndexContract(_ subject: IndexContractTests.Subject) throws {
        try IndexKindContract.check(subject.kind, fields: subject.fields, keys: subject.keys)
    }

    @Test(arguments: kinds.map(\.name))
    func theKindsMakeOrderedIndexes(_ kindName: String) throws {
        let kind = try #require(Self.kinds.first { $0.name == kindName })
        let index = try kind.makeIndex(IndexDefinition(name: "i", fields: ["f", "g"], kind: kindName))
        #expect(index is any OrderedTableIndex)
        #expect(index.definition.kind == kindName)
    }

    @Test(arguments: kinds.map(\.name))
    func unknownOptionsAreRejected(_ kindName: String) throws {
        let kind = try #require(Self.kinds.first { $0.name == kindName })
        let definition = IndexDefinition(name: "s", fields: ["f", "g"], kind: kindName, options: ["order": "desc"])
        try IndexKindContract.checkRejects(kind, definition)
    }

    @Test func theSortedKindTakesOneOrMoreFieldsAndTheCompositeKindTwoOrMore() throws {
        func definition(_ fields: [String], _ kind: String) -> IndexDefinition {
            IndexDefinition(name: "x", fields: fields, kind: kind)
        }
        _ = try SortedIndexKind().makeIndex(definition(["a"], "sorted"))
        _ = try SortedIndexKind().makeIndex(definition(["a", "b"], "sorted"))
        _ = try CompositeIndexKind().makeIndex(definition(["a", "b"], "composite"))
        _ = try CompositeIndexKind().makeIndex(definition(["a", "b", "c"], "composite"))
        try IndexKindContract.checkRejects(SortedIndexKind(), definition([], "sorted"))
        try IndexKindContract.checkRejects(CompositeIndexKind(), definition(["a"], "composite"))
    }

    @Test(arguments: kinds.map(\.name))
    func servesRangesPrefixesAndCompositeRanges(_ kindName: String) throws {
        let kind = try #require(Self.kinds.first { $0.name == kindName })
        var index = try kind.makeIndex(IndexDefinition(name: "i", fields: ["f", "g"], kind: kindName))
        index.insert(key: "abc", row: 0)
        index.insert(key: ["abc", 1], row: 1)
        let served: [IndexPredicate] = [
            .equal("abc"), .anyOf(["abc", 1]), .prefix("ab"), .range(lower: RangeBound(1, inclusive: true), upper: nil),
            .compositeRange(equal: ["abc"], lower: nil, upper: nil),
            .compositeRange(equal: [], lower: RangeBound("a", inclusive: false), upper: nil),
        ]
        for predicate in served {
            #expect(index.rows(matching: predicate) != nil, "\(predicate)")
            #expect(index.estimatedRows(matching: predicate) != nil, "\(predicate)")
        }
        #expect(index.rows(matching: .range(lower: nil, upper: nil)) == nil)
        let single = try SortedIndexKind().makeIndex(IndexDefinition(name: "s", fields: ["f"], kind: "sorted"))
        #expect(single.rows(matching: .compositeRange(equal: ["abc"], lower: nil, upper: nil)) == nil)
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
