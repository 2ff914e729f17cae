@_spi(Storage) import DictDBAPI
import Testing

/// The radix sort against a stable comparison sort: keys that vary in any byte (or in none), payloads
/// moved with their keys, equal keys kept in order; and row sorting of signed integers on both sides of
/// the size where it switches from a comparison sort.
@Suite struct RadixSortTests {
    /// A scrambled 64-bit number for `i`: varied keys without a generator (odd multipliers are bijective).
    static func scrambled(_ i: Int) -> UInt64 {
        let x = UInt64(truncatingIfNeeded: i) &* 0x9E37_79B9_7F4A_7C15
        return (x ^ (x >> 29)) &* 0xBF58_476D_1CE4_E5B9
    }

    @Test(arguments: [0, 1, 2, 3, 100, 10_000])
    func theSortIsStableAndCarriesEachPayloadWithItsKey(count: Int) {
        for shift: UInt64 in [0, 8, 13, 56] {
            var keys = (0..<count).map { (Self.scrambled($0 + Int(shift)) % 50) << shift }
            var payload = (0..<count).map { "p\($0)" }
            let expected = zip(keys, payload).enumerated().sorted {
                $0.element.0 != $1.element.0 ? $0.element.0 < $1.element.0 : $0.offset < $1.offset
            }
            RadixSort.sort(&keys, carrying: &payload)
            #expect(keys == expected.map(\.element.0), "\(count) keys shifted by \(shift)")
            #expect(payload == expected.map(\.element.1), "\(count) keys shifted by \(shift)")
        }
    }

    @Test func keysThatAllShareEveryByteStayAsTheyAre() {
        var keys = [UInt64](repeating: 0xDEAD_BEEF, count: 500)
        var payload = Array(0..<500)
        RadixSort.sort(&keys, carrying: &payload)
        #expect(payload == Array(0..<500))
    }

    @Test(arguments: [RadixSort.minimumCount - 1, RadixSort.minimumCount, 5_000])
    func rowsSortAscendingWhateverTheirSign(count: Int) {
        let edges = [Int.min, Int.min + 1, -1, 0, 1, Int.max]
        var rows = (0..<count).map { i in i < edges.count ? edges[i] : Int(truncatingIfNeeded: Self.scrambled(i)) >> 3 }
        rows += rows.prefix(10)
        let expected = rows.sorted()
        RadixSort.sortRows(&rows)
        #expect(rows == expected)
    }

    @Test func rowsInOrderStayAndOneRowOutOfOrderAtTheEndIsMoved() {
        var ascending = Array(0..<1_000)
        RadixSort.sortRows(&ascending)
        #expect(ascending == Array(0..<1_000))
        var lastOutOfOrder = Array(0..<1_000) + [5]
        RadixSort.sortRows(&lastOutOfOrder)
        #expect(lastOutOfOrder == Array(0...5) + Array(5..<1_000))
    }
}
