import DictDBAPI
import Testing

@testable import Indexes

/// Worked examples of how sorted and composite indexes answer each predicate, following condition semantics.
@Suite struct SortedIndexPredicateTests {
    func makeIndex(_ keys: [Value], fields: [String] = ["f"]) -> SortedIndex {
        var index = SortedIndex(definition: IndexDefinition(name: "i", fields: fields, kind: "sorted"), fanout: 4)
        for (row, key) in keys.enumerated() { index.insert(key: key, row: row) }
        return index
    }

    func rows(_ index: SortedIndex, _ predicate: IndexPredicate) -> [RowID]? {
        index.rows(matching: predicate)?.sorted()
    }

    func bound(_ value: Value, _ inclusive: Bool = true) -> RangeBound {
        RangeBound(value, inclusive: inclusive)
    }

    @Test func equalityMatchesIntsAndDoublesOfTheSameNumber() {
        let index = makeIndex([1, .double(1.0), 2, "1", true, .null, [1], [.double(1.0)]])
        #expect(rows(index, .equal(1)) == [0, 1])
        #expect(rows(index, .equal(.double(1.0))) == [0, 1])
        #expect(rows(index, .equal(.null)) == [5])
        #expect(rows(index, .equal([1])) == [6, 7])
        #expect(rows(index, .equal(3)) == [])
        #expect(index.statistics.distinctKeys == 6)
    }

    @Test func anyOfCountsEachDistinctValueOnce() {
        let index = makeIndex([1, 2, 3, "a"])
        #expect(rows(index, .anyOf([1, .double(1.0), 1, "a", 9])) == [0, 3])
        #expect(index.estimatedRows(matching: .anyOf([1, .double(1.0), 1, "a", 9])) == 2)
        #expect(rows(index, .anyOf([])) == [])
    }

    @Test func rangesOnlyMatchKeysOfTheBoundsKind() {
        let index = makeIndex([.null, false, true, -1, 0, 2.5, 3, "", "a", "b", [0], ["k": 0]])
        #expect(rows(index, .range(lower: bound(0), upper: nil)) == [4, 5, 6])
        #expect(rows(index, .range(lower: bound(0, false), upper: bound(3, false))) == [5])
        #expect(rows(index, .range(lower: nil, upper: bound(0))) == [3, 4])
        #expect(rows(index, .range(lower: nil, upper: bound("a"))) == [7, 8])
        #expect(rows(index, .range(lower: bound(false, false), upper: nil)) == [2])
        #expect(rows(index, .range(lower: bound([]), upper: nil)) == [10])
        #expect(rows(index, .range(lower: nil, upper: bound(["k": 5]))) == [11])
    }

    @Test func nullOrMixedKindBoundsMatchNothingAndNoBoundIsUnanswered() {
        let index = makeIndex([.null, 1, "a"])
        #expect(rows(index, .range(lower: bound(.null), upper: nil)) == [])
        #expect(rows(index, .range(lower: nil, upper: bound(.null))) == [])
        #expect(rows(index, .range(lower: bound(0), upper: bound("z"))) == [])
        #expect(index.estimatedRows(matching: .range(lower: bound(0), upper: bound("z"))) == 0)
        #expect(rows(index, .range(lower: bound(5), upper: bound(1))) == [])
        #expect(index.rows(matching: .range(lower: nil, upper: nil)) == nil)
        #expect(index.estimatedRows(matching: .range(lower: nil, upper: nil)) == nil)
    }

    @Test func prefixesFollowCodePoints() {
        let keys: [Value] = [
            "a", "ab", "abc", "b", "A", "e", "e\u{301}", "\u{e9}t\u{e9}", "e\u{301}x", "\u{1F468}",
            "\u{1F468}\u{200D}\u{1F469}", "a\u{10FFFF}\u{10FFFF}\u{10FFFF}", 1, ["a"],
        ]
        let index = makeIndex(keys)
        #expect(rows(index, .prefix("a")) == [0, 1, 2, 11])
        #expect(rows(index, .prefix("ab")) == [1, 2])
        #expect(rows(index, .prefix("e")) == [5, 6, 8])
        #expect(rows(index, .prefix("\u{e9}")) == [7])
        #expect(rows(index, .prefix("e\u{301}")) == [6, 8])
        #expect(rows(index, .prefix("\u{1F468}")) == [9, 10])
        #expect(rows(index, .prefix("")) == Array(0...11))
        #expect(rows(index, .prefix("z")) == [])
        #expect(index.estimatedRows(matching: .prefix("e")) ?? 0 >= 1)
    }

    @Test func compositeRangesMatchAnEqualPrefixAndABoundedNextPart() {
        let keys: [Value] = [
            ["x", 1], ["x", 2], ["x", 2.5], ["x", "s"], ["x"], ["y", 1], ["x", .null], ["x", 3, 9], "x", ["x", 1.0],
        ]
        let index = makeIndex(keys, fields: ["a", "b"])
        #expect(rows(index, .compositeRange(equal: ["x"], lower: nil, upper: nil)) == [0, 1, 2, 3, 4, 6, 7, 9])
        #expect(rows(index, .compositeRange(equal: ["x"], lower: bound(2), upper: nil)) == [1, 2, 7])
        #expect(rows(index, .compositeRange(equal: ["x"], lower: nil, upper: bound(2, false))) == [0, 9])
        #expect(rows(index, .compositeRange(equal: ["x"], lower: bound("a"), upper: nil)) == [3])
        #expect(rows(index, .compositeRange(equal: ["x"], lower: bound(.null), upper: nil)) == [])
        #expect(rows(index, .compositeRange(equal: ["x"], lower: bound(1), upper: bound("z"))) == [])
        #expect(rows(index, .compositeRange(equal: ["x", 1], lower: nil, upper: nil)) == [0, 9])
        #expect(rows(index, .compositeRange(equal: [], lower: bound("y"), upper: nil)) == [5])
        #expect(rows(index, .compositeRange(equal: ["x", .null], lower: nil, upper: nil)) == [6])
        #expect(index.estimatedRows(matching: .compositeRange(equal: ["x"], lower: bound(2), upper: nil)) == 3)
    }

    @Test func aSingleFieldIndexDoesNotAnswerCompositeRanges() {
        let index = makeIndex([["x", 1]])
        #expect(index.rows(matching: .compositeRange(equal: ["x"], lower: nil, upper: nil)) == nil)
        #expect(index.estimatedRows(matching: .compositeRange(equal: ["x"], lower: nil, upper: nil)) == nil)
        var visited = 0
        index.forEachEntry(matching: .compositeRange(equal: ["x"], lower: nil, upper: nil), ascending: true) { _, _ in
            visited += 1
            return true
        }
        #expect(visited == 0)
    }

    @Test func descendingVisitsKeepRowsOfOneKeyAscending() {
        let index = makeIndex([2, 1, 2, 1, 3, 2])
        var visited: [RowID] = []
        index.forEachEntry(matching: nil, ascending: false) { _, row in
            visited.append(row)
            return true
        }
        #expect(visited == [4, 0, 2, 5, 1, 3])
        visited = []
        index.forEachEntry(matching: .range(lower: bound(2), upper: nil), ascending: false) { _, row in
            visited.append(row)
            return visited.count < 2
        }
        #expect(visited == [4, 0])
    }

    @Test func statisticsCountEntriesDistinctKeysAndHeight() {
        var index = makeIndex((0..<100).map { .int(Int64($0 % 10)) })
        #expect(index.statistics.entries == 100)
        #expect(index.statistics.distinctKeys == 10)
        #expect(index.statistics.height > 1)
        index.remove(key: .double(3.0), row: 3)
        #expect(index.statistics.distinctKeys == 10)
        for row in stride(from: 3, to: 100, by: 10) { index.remove(key: 3, row: row) }
        #expect(index.statistics.distinctKeys == 9)
        #expect(index.statistics.entries == 90)
        index.remove(key: 3, row: 3)
        #expect(index.statistics.entries == 90)
    }
}
