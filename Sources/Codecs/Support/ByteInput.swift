import DictDBAPI

/// Buffered input from a ``ByteSource`` through one fixed-size chunk, with a running CRC-32 of what is
/// consumed and the absolute offset of every byte for error messages.
///
/// Readers ask for `n` bytes with ``require(_:)`` and then read them straight from the chunk. Bytes are
/// checksummed as they are consumed, until ``sealChecksum()``.
struct ByteInput {
    private let storage: ChunkStorage
    /// The chunk's first byte.
    let start: UnsafeMutablePointer<UInt8>
    /// The chunk's size: the most bytes ``require(_:)`` can make available at once.
    let capacity: Int
    /// The next byte to read.
    var position = 0
    /// One past the last valid byte.
    private(set) var end = 0
    /// The offset in the whole input of `start[0]`.
    private var base: Int64 = 0
    private let source: any ByteSource
    /// Whether the source has reported its end.
    private(set) var sourceEnded = false
    private var crc = CRC32()
    private var crcStart = 0
    private var sealed = false

    /// Creates an input from `source` through a chunk of `capacity` bytes.
    init(from source: any ByteSource, capacity: Int = CodecChunk.size) {
        self.source = source
        storage = ChunkStorage(capacity: capacity)
        start = storage.start
        self.capacity = storage.capacity
    }

    /// The offset of the next byte in the whole input.
    var offset: Int64 { base + Int64(position) }

    /// The offset in the whole input of chunk position `index`.
    func offset(at index: Int) -> Int64 { base + Int64(index) }

    /// Bytes available in the chunk without reading.
    var available: Int { end &- position }

    /// Makes at least `n` bytes (at most ``capacity``) available from ``position``; false if the input ends
    /// first (then every byte up to the end is available).
    @inline(__always)
    mutating func require(_ n: Int) throws(DictDBError) -> Bool {
        if end &- position >= n { return true }
        return try refill(n)
    }

    /// The next byte, or `nil` at the end of the input; does not consume it.
    @inline(__always)
    mutating func peek() throws(DictDBError) -> UInt8? {
        if position < end { return start[position] }
        guard try refill(1) else { return nil }
        return start[position]
    }

    /// Moves the unread bytes to the front of the chunk and reads until `n` are available or the input ends.
    private mutating func refill(_ n: Int) throws(DictDBError) -> Bool {
        compact()
        let wanted = min(n, capacity)
        while end - position < wanted && !sourceEnded {
            let room = UnsafeMutableRawBufferPointer(start: start + end, count: capacity - end)
            let got = try source.read(into: room)
            guard got >= 0 && got <= room.count else {
                throw DictDBError(
                    .invalidState, "the byte source returned \(got) from a read of at most \(room.count) bytes",
                    context: .init(offset: offset(at: end)))
            }
            if got == 0 { sourceEnded = true } else { end += got }
        }
        return end - position >= n
    }

    /// Drops the consumed bytes from the chunk, checksumming them first.
    private mutating func compact() {
        guard position > 0 else { return }
        if !sealed { crc.update(UnsafeRawBufferPointer(start: start + crcStart, count: position - crcStart)) }
        crcStart = 0
        let unread = end - position
        if unread > 0 { start.update(from: start + position, count: unread) }
        base += Int64(position)
        end = unread
        position = 0
    }

    /// Ends the checksummed part of the input before ``position`` and returns its CRC-32.
    mutating func sealChecksum() -> UInt32 {
        if !sealed {
            crc.update(UnsafeRawBufferPointer(start: start + crcStart, count: position - crcStart))
            crcStart = position
            sealed = true
        }
        return crc.value
    }

    /// Whether the input has no byte left after ``position``.
    mutating func isAtEnd() throws(DictDBError) -> Bool {
        try !require(1)
    }
}
