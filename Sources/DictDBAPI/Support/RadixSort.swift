/// A stable least-significant-digit radix sort of 64-bit keys, a byte per pass, skipping the bytes every
/// key shares: a few linear passes where a comparison sort makes O(*n* log *n*) comparisons. Sorted
/// indexes order a bulk build's numeric keys with it, and queries order the rows an index returns.
@_spi(Storage) public enum RadixSort {
    /// Below this many elements ``sortRows(_:)`` uses a comparison sort, which is as fast there.
    public static var minimumCount: Int { 64 }

    /// Sorts `rows` ascending. Rows in order already (as a hash index returns them) cost one pass.
    public static func sortRows(_ rows: inout [Int]) {
        if isAscending(rows) { return }
        guard rows.count >= minimumCount else {
            rows.sort()
            return
        }
        let signBit: UInt64 = 1 << 63
        var keys = rows.map { UInt64(bitPattern: Int64($0)) ^ signBit }
        sort(&keys, carrying: &rows)
    }

    private static func isAscending(_ rows: [Int]) -> Bool {
        rows.withUnsafeBufferPointer { rows in
            for i in rows.indices.dropFirst() where rows[i - 1] > rows[i] { return false }
            return true
        }
    }

    /// Sorts `keys` ascending and moves each element of `payload` with its key; equal keys keep their
    /// order.
    /// - Precondition: `payload` has as many elements as `keys`.
    public static func sort<Payload>(_ keys: inout [UInt64], carrying payload: inout [Payload]) {
        precondition(keys.count == payload.count, "a payload element for every key")
        let count = keys.count
        guard count > 1, let filler = payload.first else { return }
        var allOnes = UInt64.max
        var anyOnes: UInt64 = 0
        for key in keys {
            allOnes &= key
            anyOnes |= key
        }
        let varying = allOnes ^ anyOnes
        guard varying != 0 else { return }
        var spareKeys = [UInt64](repeating: 0, count: count)
        var sparePayload = [Payload](repeating: filler, count: count)
        var offsets = [Int](repeating: 0, count: 256)
        for byte in 0..<8 where (varying >> UInt64(byte * 8)) & 0xFF != 0 {
            let shift = UInt64(byte * 8)
            keys.withUnsafeBufferPointer { keys in
                payload.withUnsafeBufferPointer { payload in
                    spareKeys.withUnsafeMutableBufferPointer { spareKeys in
                        sparePayload.withUnsafeMutableBufferPointer { sparePayload in
                            offsets.withUnsafeMutableBufferPointer { offsets in
                                scatter(keys, payload, into: spareKeys, sparePayload, shift: shift, offsets: offsets)
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
    private static func scatter<Payload>(
        _ keys: UnsafeBufferPointer<UInt64>, _ payload: UnsafeBufferPointer<Payload>,
        into spareKeys: UnsafeMutableBufferPointer<UInt64>, _ sparePayload: UnsafeMutableBufferPointer<Payload>,
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
