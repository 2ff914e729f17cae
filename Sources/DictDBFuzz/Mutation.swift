/// One way of damaging a file, with every parameter needed to redo it.
///
/// The picker (``MutationPicker``) chooses a kind and its parameters at random; ``apply(to:)`` is a pure
/// function of the bytes, so a case is fully described by its file, layer and mutation.
struct Mutation {
    /// The families of damage, as the summary groups them.
    enum Kind: String, CaseIterable {
        /// Cut the file at every offset (the dedicated pass over files under 2 KiB).
        case truncatePass = "truncate-pass"
        /// Cut the file at a random offset.
        case truncate
        /// Flip one bit.
        case flipBit = "flip-bit"
        /// Flip several bits.
        case flipBits = "flip-bits"
        /// Set one byte to 0x00 or 0xFF.
        case setByte = "set-byte"
        /// Zero an aligned 512- or 4096-byte sector.
        case zeroSector = "zero-sector"
        /// Append random bytes.
        case appendGarbage = "append-garbage"
        /// Append zero bytes.
        case appendZeros = "append-zeros"
        /// Append a copy of the file's last bytes.
        case appendTail = "append-tail"
        /// Overwrite bytes with those of the same codec's file of the other database.
        case splice
        /// Replace a region with a region of another codec's file.
        case replaceRegion = "replace-region"
        /// Insert 100,000 `[` into JSON.
        case deepNesting = "deep-nesting"
        /// Make a MessagePack length header lie (0, all ones, one past the real length).
        case lengthField = "length-field"
        /// Replace the whole file with a decompression bomb.
        case bomb
    }

    /// The byte-level edit a mutation makes.
    enum Edit {
        /// Keep the first `count` bytes.
        case truncate(count: Int)
        /// Flip the given bits (byte offset, bit number 0-7).
        case flipBits([(offset: Int, bit: Int)])
        /// Replace the bytes in `range` (clamped to the file) with `bytes`.
        case replace(range: Range<Int>, with: [UInt8])
        /// Append `bytes`.
        case append([UInt8])
        /// Replace the whole file with `bytes`.
        case whole([UInt8])
    }

    /// The family, for the summary.
    var kind: Kind
    /// The parameters in words: offsets, sizes, sources.
    var detail: String
    /// What it does to the bytes.
    var edit: Edit

    /// The damaged copy of `bytes`. Offsets past the end are clamped, so applying never traps.
    func apply(to bytes: [UInt8]) -> [UInt8] {
        switch edit {
        case .truncate(let count):
            return Array(bytes.prefix(max(0, count)))
        case .flipBits(let positions):
            var result = bytes
            for (offset, bit) in positions where result.indices.contains(offset) {
                result[offset] ^= UInt8(1) << UInt8(bit & 7)
            }
            return result
        case .replace(let range, let replacement):
            let lower = min(max(0, range.lowerBound), bytes.count)
            let upper = min(max(lower, range.upperBound), bytes.count)
            var result = bytes
            result.replaceSubrange(lower..<upper, with: replacement)
            return result
        case .append(let tail):
            return bytes + tail
        case .whole(let replacement):
            return replacement
        }
    }
}
