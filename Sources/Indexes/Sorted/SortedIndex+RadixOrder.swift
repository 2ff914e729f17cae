@_spi(Storage) import DictDBAPI

// A bulk build's usual input: one entry per row, rows ascending, every key an integer (or every key a
// double). Then no entry repeats, a stable sort by key alone leaves equal keys in row order, and the keys
// map to unsigned integers in the same order, which a radix sort orders in a few linear passes instead of
// O(n log n) comparisons.

extension SortedIndex {
    /// Below this many entries a comparison sort is as fast, and the radix sort's tables are not worth it.
    static var radixMinimum: Int { 512 }

    /// `entries` in index order (by key, then row) and their number of distinct keys, by a radix sort;
    /// `nil` unless there are at least ``radixMinimum`` entries, their rows strictly ascend, and every key
    /// is an `.int` or every key a `.double` other than `-0.0` (which equals `0.0` but would not keep its
    /// sign through the mapping).
    static func radixOrdered(_ entries: [(key: Value, row: RowID)]) -> (sorted: [SortedIndexEntry], distinct: Int)? {
        guard entries.count >= radixMinimum, case let (bits, areInts)? = orderedBits(of: entries) else { return nil }
        var keys = bits
        var rows = entries.map(\.row)
        RadixSort.sort(&keys, carrying: &rows)
        var sorted: [SortedIndexEntry] = []
        sorted.reserveCapacity(entries.count)
        var distinct = 0
        for i in keys.indices {
            let key =
                areInts
                ? Value.int(Self.integer(fromOrderedBits: keys[i])) : .double(Self.double(fromOrderedBits: keys[i]))
            sorted.append(SortedIndexEntry(key: key, row: rows[i]))
            if i == 0 || keys[i] != keys[i - 1] { distinct += 1 }
        }
        return (sorted, distinct)
    }

    private static var signBit: UInt64 { 1 << 63 }

    /// Each key as an unsigned integer in the keys' order, and whether the keys are integers (or doubles),
    /// or `nil` when the entries do not qualify (see ``radixOrdered(_:)``).
    private static func orderedBits(of entries: [(key: Value, row: RowID)]) -> ([UInt64], Bool)? {
        guard let first = entries.first else { return nil }
        var bits: [UInt64] = []
        bits.reserveCapacity(entries.count)
        var previousRow = RowID.min
        if case .int = first.key {
            for (key, row) in entries {
                guard row > previousRow, case .int(let value) = key else { return nil }
                previousRow = row
                bits.append(UInt64(bitPattern: value) ^ signBit)
            }
            return (bits, true)
        }
        for (key, row) in entries {
            guard row > previousRow, case .double(let value) = key, !value.isNaN,
                !(value == 0 && value.sign == .minus)
            else { return nil }
            previousRow = row
            // Positive doubles order as their bit patterns; negative ones in reverse, below them.
            let pattern = value.bitPattern
            bits.append(pattern & signBit == 0 ? pattern ^ signBit : ~pattern)
        }
        return (bits, false)
    }

    private static func integer(fromOrderedBits bits: UInt64) -> Int64 {
        Int64(bitPattern: bits ^ signBit)
    }

    private static func double(fromOrderedBits bits: UInt64) -> Double {
        Double(bitPattern: bits & signBit != 0 ? bits ^ signBit : ~bits)
    }
}
