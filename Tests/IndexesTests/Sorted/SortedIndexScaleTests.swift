import DictDBAPI
import Testing

@testable import Indexes

/// A sorted index at the default fanout with 100,000 entries: built, queried and emptied again.
///
/// With internal checks on, every mutation checks the whole tree (O(*n*)), so the test uses 3,000 entries.
@Suite struct SortedIndexScaleTests {
    #if DICTDB_INTERNAL_CHECKS
    static let count = 3_000
    #else
    static let count = 100_000
    #endif

    @Test func holdsAHundredThousandEntriesAndEmptiesAgain() throws {
        let count = Self.count
        var random = SeededRandom(seed: 2024)
        var index = SortedIndex(definition: IndexDefinition(name: "n", fields: ["n"], kind: "sorted"))
        // Keys 0..<50,000, each on two rows, inserted in random order.
        let rows = Array(0..<count).shuffled(using: &random)
        for row in rows { index.insert(key: .int(Int64(row / 2)), row: row) }
        #expect(index.statistics.entries == count)
        #expect(index.statistics.distinctKeys == count / 2)
        #expect((2...5).contains(index.statistics.height))
        #expect(index.invariantViolation() == nil)

        let range = IndexPredicate.range(
            lower: RangeBound(1000, inclusive: true), upper: RangeBound(1440, inclusive: false))
        #expect(index.estimatedRows(matching: range) == 880)
        #expect(try #require(index.rows(matching: range)).sorted() == Array(2000..<2880))

        for row in rows where row % 4 != 0 { index.remove(key: .int(Int64(row / 2)), row: row) }
        #expect(index.statistics.entries == count / 4)
        #expect(index.statistics.distinctKeys == count / 4)
        #expect(index.invariantViolation() == nil)
        for row in rows where row % 4 == 0 { index.remove(key: .double(Double(row / 2)), row: row) }
        #expect(index.statistics == IndexStatistics(entries: 0, distinctKeys: 0, height: 1))
    }
}
