@_spi(Storage) import DictDBAPI

// A bulk build of keys of one numeric spelling (every key an integer, or every key a double other than
// -0.0): the keys map to unsigned integers in the same order, so the entries sort as pairs of integers. When
// the rows ascend, as a load gives them, a stable radix sort by key alone leaves equal keys in row order and
// orders the entries in a few linear passes instead of O(n log n) comparisons.

extension SortedIndex {
    /// Below this many entries a comparison sort is as fast, and the radix sort's tables are not worth it.
    static var radixMinimum: Int { 512 }

    /// `entries` as number entries of `layout` in index order (by key, then row, repeated entries once)
    /// and their number of distinct keys; `nil` when `layout` is not numeric or cannot hold every key.
    static func numberOrdered(
        _ entries: [(key: Value, row: RowID)], layout: SortedIndexLayout
    ) -> (sorted: [NumberEntry], distinct: Int)? {
        guard layout != .values else { return nil }
        var keys: [UInt64] = []
        keys.reserveCapacity(entries.count)
        var rowsAscend = true
        var previousRow = RowID.min
        for (key, row) in entries {
            guard let bits = layout.bits(of: key) else { return nil }
            keys.append(bits)
            if row <= previousRow { rowsAscend = false }
            previousRow = row
        }
        var sorted: [NumberEntry] = []
        sorted.reserveCapacity(entries.count)
        if rowsAscend && entries.count >= radixMinimum {
            var rows = entries.map(\.row)
            RadixSort.sort(&keys, carrying: &rows)
            for i in keys.indices { sorted.append(NumberEntry(bits: keys[i], row: rows[i])) }
        } else {
            for i in keys.indices { sorted.append(NumberEntry(bits: keys[i], row: entries[i].row)) }
            sorted.sort()
        }
        let distinct = dropRepeats(from: &sorted) { $0.bits == $1.bits }
        return (sorted, distinct)
    }
}
