import DictDBAPI

/// A fixed-size heap buffer freed on deinit, the storage behind ``ByteOutput`` and ``ByteInput``.
final class ChunkStorage {
    /// The first byte.
    let start: UnsafeMutablePointer<UInt8>
    /// The size in bytes (at least 4 KiB, so every fixed-size reservation fits).
    let capacity: Int

    /// Allocates `capacity` bytes (at least 4 KiB), uninitialized: users only read what they wrote.
    init(capacity: Int) {
        self.capacity = max(4096, capacity)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }
}

/// The chunk size codecs stream through: 64 KiB.
enum CodecChunk {
    /// Bytes per buffer.
    static let size = 64 * 1024
}

/// Buffered output to a ``ByteSink`` through one fixed-size chunk, with a running CRC-32 of what passes.
///
/// Writers reserve room and then store bytes without further checks, so hot loops stay free of calls.
/// The checksum covers every byte until ``sealChecksum()``; bytes written after it are not covered.
struct ByteOutput {
    private let storage: ChunkStorage
    /// The chunk's first byte.
    let start: UnsafeMutablePointer<UInt8>
    /// The chunk's size.
    let capacity: Int
    /// Bytes waiting in the chunk.
    var count = 0
    private let sink: any ByteSink
    private var crc = CRC32()
    /// Where in the chunk the bytes not yet checksummed begin.
    private var crcStart = 0
    private var sealed = false
    /// Bytes handed to the sink so far.
    private(set) var flushedBytes: Int64 = 0

    /// Creates an output to `sink` through a chunk of `capacity` bytes.
    init(to sink: any ByteSink, capacity: Int = CodecChunk.size) {
        self.sink = sink
        storage = ChunkStorage(capacity: capacity)
        start = storage.start
        self.capacity = storage.capacity
    }

    /// The position of the next byte in the whole output.
    var offset: Int64 { flushedBytes + Int64(count) }

    /// Makes room for `n` contiguous bytes (`n` at most ``capacity``), flushing if needed.
    @inline(__always)
    mutating func reserve(_ n: Int) throws(DictDBError) {
        if capacity &- count < n { try flush() }
    }

    /// Stores one byte; room must have been reserved.
    @inline(__always)
    mutating func appendUnchecked(_ byte: UInt8) {
        start[count] = byte
        count &+= 1
    }

    /// Stores one byte, flushing first if the chunk is full.
    @inline(__always)
    mutating func append(_ byte: UInt8) throws(DictDBError) {
        if count == capacity { try flush() }
        start[count] = byte
        count &+= 1
    }

    /// Stores `bytes`, flushing as often as the chunk fills.
    mutating func append(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) {
        guard var source = bytes.baseAddress else { return }
        var remaining = bytes.count
        if remaining <= capacity &- count {
            (start + count).update(from: source.assumingMemoryBound(to: UInt8.self), count: remaining)
            count &+= remaining
            return
        }
        while remaining > 0 {
            if count == capacity { try flush() }
            let n = min(remaining, capacity - count)
            (start + count).update(from: source.assumingMemoryBound(to: UInt8.self), count: n)
            count += n
            source += n
            remaining -= n
        }
    }

    /// Stores the bytes of `bytes`.
    mutating func append(_ bytes: [UInt8]) throws(DictDBError) {
        try withUnsafeBytesTyped(bytes) { (buffer) throws(DictDBError) in try append(buffer) }
    }

    /// Stores a literal of at most 64 bytes.
    mutating func append(ascii text: StaticString) throws(DictDBError) {
        try reserve(64)
        text.withUTF8Buffer { utf8 in
            for byte in utf8.prefix(64) { appendUnchecked(byte) }
        }
    }

    /// Hands the buffered bytes to the sink.
    mutating func flush() throws(DictDBError) {
        guard count > 0 else { return }
        if !sealed { crc.update(UnsafeRawBufferPointer(start: start + crcStart, count: count - crcStart)) }
        crcStart = 0
        let chunk = UnsafeRawBufferPointer(start: start, count: count)
        flushedBytes += Int64(count)
        count = 0
        try sink.write(chunk)
    }

    /// Ends the checksummed part of the output here and returns its CRC-32.
    mutating func sealChecksum() -> UInt32 {
        if !sealed {
            crc.update(UnsafeRawBufferPointer(start: start + crcStart, count: count - crcStart))
            crcStart = count
            sealed = true
        }
        return crc.value
    }
}
