import DictDBAPI

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

/// A stable least-significant-digit radix sort of 64-bit keys, a byte per pass, skipping the bytes every
/// key shares.
enum RadixSort {
    /// Sorts `keys` ascending and moves each element of `payload` with its key; equal keys keep their
    /// order. `payload` has as many elements as `keys`.
    static func sort(_ keys: inout [UInt64], carrying payload: inout [Int]) {
        precondition(keys.count == payload.count, "a payload element for every key")
        let count = keys.count
        guard count > 1 else { return }
        var allOnes = UInt64.max
        var anyOnes: UInt64 = 0
        for key in keys {
            allOnes &= key
            anyOnes |= key
        }
        let varying = allOnes ^ anyOnes
        var spareKeys = [UInt64](repeating: 0, count: count)
        var sparePayload = [Int](repeating: 0, count: count)
        var offsets = [Int](repeating: 0, count: 256)
        for byte in 0..<8 where (varying >> UInt64(byte * 8)) & 0xFF != 0 {
            let shift = UInt64(byte * 8)
            keys.withUnsafeBufferPointer { keys in
                payload.withUnsafeBufferPointer { payload in
                    spareKeys.withUnsafeMutableBufferPointer { spareKeys in
                        sparePayload.withUnsafeMutableBufferPointer { sparePayload in
                            offsets.withUnsafeMutableBufferPointer { offsets in
                                scatter(
                                    keys, payload, into: spareKeys, sparePayload, shift: shift, offsets: offsets)
                            }
                        }
                    }
                }
            }
            swap(&keys, &spareKeys)
            swap(&payload, &sparePayload)
        }
    }

    /// One pass: counts the digits at `shift`, turns the counts into start offsets, and moves every key
    /// and its payload element to its digit's next slot.
    private static func scatter(
        _ keys: UnsafeBufferPointer<UInt64>, _ payload: UnsafeBufferPointer<Int>,
        into spareKeys: UnsafeMutableBufferPointer<UInt64>, _ sparePayload: UnsafeMutableBufferPointer<Int>,
        shift: UInt64, offsets: UnsafeMutableBufferPointer<Int>
    ) {
        offsets.update(repeating: 0)
        for key in keys { offsets[Int(truncatingIfNeeded: key >> shift) & 0xFF] &+= 1 }
        var sum = 0
        for digit in 0..<256 {
            let digitCount = offsets[digit]
            offsets[digit] = sum
            sum &+= digitCount
        }
        for i in 0..<keys.count {
            let key = keys[i]
            let digit = Int(truncatingIfNeeded: key >> shift) & 0xFF
            let target = offsets[digit]
            offsets[digit] = target &+ 1
            spareKeys[target] = key
            sparePayload[target] = payload[i]
        }
    }
}
