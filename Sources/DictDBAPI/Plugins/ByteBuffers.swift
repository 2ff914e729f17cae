// In-memory byte sinks and sources: what tests, journal payloads and small tools stream through.

/// A ``ByteSink`` that collects everything written to it in memory.
///
/// Use it for tests and small payloads; a snapshot written for real goes to a file sink instead, so that
/// memory stays bounded.
///
/// ```swift
/// let sink = BufferSink()
/// let writer = try codec.makeWriter(to: sink)
/// // ... write events ...
/// let reader = try codec.makeReader(from: BufferSource(sink.bytes), limits: .default)
/// ```
public final class BufferSink: ByteSink {
    /// Every byte written so far, in order.
    public private(set) var bytes: [UInt8]

    /// Creates an empty sink, optionally reserving room for `capacity` bytes.
    public init(capacity: Int = 0) {
        bytes = []
        if capacity > 0 { bytes.reserveCapacity(capacity) }
    }

    /// Appends all of `bytes`; never throws.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) {
        self.bytes.append(contentsOf: bytes)
    }

    /// Empties the sink, keeping its storage for reuse, and returns what it held.
    public func take() -> [UInt8] {
        let taken = bytes
        bytes.removeAll(keepingCapacity: true)
        return taken
    }
}

/// A ``ByteSource`` that reads from an array of bytes.
///
/// `maxReadSize` caps how many bytes one ``read(into:)`` hands out, so tests can put chunk boundaries
/// everywhere (`maxReadSize: 1` yields one byte per call).
public final class BufferSource: ByteSource {
    /// The bytes being read.
    public let bytes: [UInt8]
    /// The most bytes one read returns (at least 1).
    public let maxReadSize: Int
    /// How many bytes have been read so far.
    public private(set) var position: Int = 0

    /// Creates a source over `bytes` whose reads return at most `maxReadSize` bytes each.
    public init(_ bytes: [UInt8], maxReadSize: Int = .max) {
        self.bytes = bytes
        self.maxReadSize = max(1, maxReadSize)
    }

    /// Copies up to `buffer.count` (and at most ``maxReadSize``) bytes; returns 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(DictDBError) -> Int {
        let count = min(buffer.count, maxReadSize, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { all in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[position..<position + count]))
        }
        position += count
        return count
    }
}

extension ByteSource {
    /// Reads the source to its end, refusing to collect more than `maxBytes`.
    ///
    /// - Throws: ``DictDBError/Code/limitExceeded`` when the source holds more than `maxBytes` bytes, or the
    ///   source's own error.
    public func readAll(maxBytes: Int = .max) throws(DictDBError) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let outcome: Result<Int, DictDBError> = chunk.withUnsafeMutableBytes { buffer in
                do throws(DictDBError) {
                    return .success(try read(into: buffer))
                } catch {
                    return .failure(error)
                }
            }
            let count = try outcome.get()
            if count == 0 { return result }
            guard count <= maxBytes - result.count else {
                throw DictDBError(
                    .limitExceeded, "the input holds more than \(maxBytes) bytes",
                    context: .init(offset: Int64(result.count), expected: "at most \(maxBytes) bytes"))
            }
            result.append(contentsOf: chunk[0..<count])
        }
    }
}

extension ByteSink {
    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws(DictDBError) {
        try withUnsafeBytesTyped(bytes) { (buffer) throws(DictDBError) in try write(buffer) }
    }
}
