/// The field names of a ``RecordShape`` as the bytes the writer emits for them (a fixstr header, then the
/// name), packed into one word each, so that ``MessagePackScanner/parseSimpleRecord(following:)`` checks a
/// key of the next record with one masked 8-byte comparison instead of decoding its header and comparing
/// byte by byte.
///
/// Only names of at most 7 bytes are packed (header and name fit in a word); the others, and keys written
/// another way (a `str8` header for a short name), are compared the general way.
final class MessagePackPackedKeys {
    /// The shape these keys were packed from.
    let shape: RecordShape
    /// For each name, its encoded bytes as a little-endian word (the first byte in the low bits).
    private let words: UnsafeMutablePointer<UInt64>
    /// For each name, the mask of the encoded bytes in its word; 0 when the name is not packed.
    private let masks: UnsafeMutablePointer<UInt64>

    /// Packs the names of `shape`.
    init(_ shape: RecordShape) {
        self.shape = shape
        let count = shape.names.count
        words = .allocate(capacity: max(1, count))
        masks = .allocate(capacity: max(1, count))
        for (index, name) in shape.names.enumerated() {
            let utf8 = name.utf8
            guard utf8.count <= 7 else {
                words[index] = 0
                masks[index] = 0
                continue
            }
            var word = UInt64(0xA0 | UInt8(utf8.count))
            for (offset, byte) in utf8.enumerated() { word |= UInt64(byte) << (8 * UInt64(offset + 1)) }
            words[index] = word
            masks[index] = UInt64.max >> (8 * UInt64(7 - utf8.count))
        }
    }

    deinit {
        words.deallocate()
        masks.deallocate()
    }

    /// The encoded size of key `index` if the 8 bytes at `key` start with exactly its packed encoding;
    /// 0 if the key is not packed or differs (then compare it the general way).
    @inline(__always)
    func match(_ index: Int, at key: UnsafePointer<UInt8>) -> Int {
        let mask = masks[index]
        let word = UInt64(littleEndian: UnsafeRawPointer(key).loadUnaligned(as: UInt64.self))
        guard mask != 0, (word ^ words[index]) & mask == 0 else { return 0 }
        return (64 &- mask.leadingZeroBitCount) &>> 3
    }
}
