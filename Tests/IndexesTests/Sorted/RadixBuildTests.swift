import DictDBAPI
import Testing

@testable import Indexes

/// The radix sort a sorted index's bulk build takes for entries as a load gives them (rows ascending,
/// every key an integer or every key a double): the same index as inserting the entries one at a time,
/// at the edges of the number line and around the size where it starts.
@Suite struct RadixBuildTests {
    typealias Entries = [(key: Value, row: RowID)]

    /// `count` entries on rows 0, 2, 4, ... with keys drawn from `keys`.
    static func entries(count: Int, keys: [Value], random: inout SeededRandom) -> Entries {
        (0..<count).map { (key: random.pick(keys), row: 2 * $0) }
    }

    static let integers: [Value] = [
        .int(.min), .int(.min + 1), -1_000_003, -256, -255, -1, 0, 1, 255, 256, 65_536, .int(1 << 40), .int(.max - 1),
        .int(.max),
    ]
    static let doubles: [Value] = [
        .double(-.infinity), .double(-Double.greatestFiniteMagnitude), -1e300, -2.5, -1,
        .double(-Double.leastNonzeroMagnitude),
        0.0, .double(Double.leastNonzeroMagnitude), 0.1, 1, 2.5, 1e300, .double(.greatestFiniteMagnitude),
        .double(.infinity),
    ]

    static func expectBuildEqualsInserting(_ entries: Entries, keys: [Value], _ comment: Comment) {
        let fanout = BPlusTree<SortedIndexEntry>.defaultFanout
        BulkBuildTests.expectSame(
            BulkBuildTests.built(entries, fanout: fanout), BulkBuildTests.insertedOneByOne(entries, fanout: fanout),
            keys: keys, comment)
    }

    @Test(arguments: ["integers", "doubles"])
    func buildOfOneNumericSpellingEqualsInsertingAroundTheRadixMinimum(spelling: String) {
        var random = SeededRandom(seed: 31)
        let keys = spelling == "integers" ? Self.integers : Self.doubles
        for count in [SortedIndex.radixMinimum - 1, SortedIndex.radixMinimum, 700, 5_000] {
            let entries = Self.entries(count: count, keys: keys, random: &random)
            Self.expectBuildEqualsInserting(entries, keys: keys, "\(spelling), \(count) entries")
        }
    }

    @Test func keysThatVaryInEveryByteSortLikeValues() {
        var random = SeededRandom(seed: 37)
        let entries: Entries = (0..<4_000).map { row in
            let bits = random.next()
            let key: Value = row % 2 == 0 ? .int(Int64(bitPattern: bits)) : .int(Int64(bitPattern: bits) >> 20)
            return (key: key, row: row)
        }
        #expect(SortedIndex.numberOrdered(entries, layout: .integers) != nil)
        Self.expectBuildEqualsInserting(entries, keys: Array(entries.prefix(8).map(\.key)), "random integers")
    }

    /// Entries the radix sort cannot order the same way fall back: rows out of order or repeated to a
    /// comparison sort of the number entries, `-0.0` (equal to `0.0` but spelled apart) and keys of mixed
    /// kinds to the values layout; each still builds what inserting builds.
    @Test func entriesOutsideItsCaseFallBackAndStillEqualInserting() {
        var random = SeededRandom(seed: 41)
        var repeatedRow = Self.entries(count: 1_000, keys: Self.integers, random: &random)
        repeatedRow[500].row = repeatedRow[499].row
        var negativeZero = Self.entries(count: 1_000, keys: Self.doubles, random: &random)
        negativeZero[10].key = .double(-0.0)
        var mixed = Self.entries(count: 1_000, keys: Self.integers, random: &random)
        mixed[999].key = 2.5
        let descending = Array(Self.entries(count: 1_000, keys: Self.integers, random: &random).reversed())
        for (name, entries, layout) in [
            ("repeated row", repeatedRow, SortedIndexLayout.integers), ("-0.0", negativeZero, .values),
            ("mixed", mixed, .values), ("descending", descending, .integers),
        ] {
            let fanout = BPlusTree<SortedIndexEntry>.defaultFanout
            #expect(BulkBuildTests.built(entries, fanout: fanout).layout == layout, "\(name)")
            Self.expectBuildEqualsInserting(entries, keys: Self.integers + [.double(-0.0), 2.5], "\(name)")
        }
    }
}
