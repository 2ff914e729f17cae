/// A compression format that wraps any storage codec's bytes: `json+gzip`, `msgpack+lz4`, ...
///
/// ## Contract
///
/// An implementation must guarantee:
/// - **Round trip.** For every byte sequence, decompressing the compressed bytes gives the input exactly,
///   whatever the chunking of input given to either stream.
/// - **Standard container.** Output is the format's standard container (gzip, LZ4 frame...), so the
///   ordinary command-line tool (`gzip -dc`, `lz4 -dc`) opens it, and every stream starts with ``magic``.
/// - **Streaming.** Memory use is bounded by the chunk sizes, never by the total size.
/// - **Hostile input.** Corrupt, truncated or lying input throws ``DictDBError/Code/corrupt`` or
///   ``DictDBError/Code/compression``. Exactly ``DecompressionLimits/maxOutputBytes`` of output is
///   allowed; one byte more throws ``DictDBError/Code/limitExceeded``, and the output then holds at most
///   the limit. Bytes after the end of the stream (a second gzip member or LZ4 frame included) are
///   ``DictDBError/Code/corrupt``. Nothing traps or hangs.
/// - **Failure is final.** After a stream throws, every later call throws ``DictDBError/Code/invalidState``.
///
/// Check an implementation with `CompressorContract.check` from the `DictDBContracts` library, which the
/// built-in plugins' tests run too.
public protocol Compressor: Sendable {
    /// The registry name, such as `"gzip"` or `"lz4"`.
    var name: String { get }
    /// The bytes every compressed stream starts with, used to detect the format of a file.
    var magic: [UInt8] { get }
    /// Starts a new compression stream.
    /// - Throws: ``DictDBError/Code/compression`` if the library cannot start one,
    ///   ``DictDBError/Code/invalidArgument`` for options out of range (a gzip level above 9).
    func makeCompressionStream() throws(DictDBError) -> any CompressionStream
    /// Starts a new decompression stream that stops at `limits`.
    /// - Throws: ``DictDBError/Code/compression`` if the library cannot start one.
    func makeDecompressionStream(limits: DecompressionLimits) throws(DictDBError) -> any DecompressionStream
}

/// One compression pass over a stream of bytes. Owned by one thread at a time.
public protocol CompressionStream: AnyObject {
    /// Compresses `input`, appending whatever output is ready to `output`.
    ///
    /// Call with `finish: true` exactly once, last (with or without input), to flush and write the trailer.
    /// - Throws: ``DictDBError/Code/compression`` or ``DictDBError/Code/invalidState`` after finishing.
    func compress(_ input: UnsafeRawBufferPointer, finish: Bool, into output: inout [UInt8]) throws(DictDBError)
}

/// One decompression pass over a stream of bytes. Owned by one thread at a time.
public protocol DecompressionStream: AnyObject {
    /// Decompresses `input`, appending the bytes it yields to `output`.
    ///
    /// Bytes after the end of the compressed stream are an error (``DictDBError/Code/corrupt``).
    /// - Throws: ``DictDBError/Code/corrupt``, ``DictDBError/Code/limitExceeded``.
    func decompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(DictDBError)
    /// Whether the end of the compressed stream has been reached. Input that ends before it is truncated.
    var isFinished: Bool { get }
}

/// Bounds a decompression so a small hostile file cannot allocate without limit.
public struct DecompressionLimits: Sendable, Hashable {
    /// The most bytes a stream may produce in total.
    public var maxOutputBytes: Int64

    /// Creates limits.
    public init(maxOutputBytes: Int64) { self.maxOutputBytes = maxOutputBytes }

    /// 16 GiB: enough for any snapshot this machine can hold in memory, small enough to stop a bomb.
    public static let `default` = DecompressionLimits(maxOutputBytes: 16 << 30)
}

extension Compressor {
    /// Compresses a whole buffer in one pass.
    public func compress(_ bytes: [UInt8]) throws(DictDBError) -> [UInt8] {
        let stream = try makeCompressionStream()
        var output: [UInt8] = []
        try withUnsafeBytesTyped(bytes) { (buffer) throws(DictDBError) in
            try stream.compress(buffer, finish: true, into: &output)
        }
        return output
    }

    /// Decompresses a whole buffer in one pass.
    /// - Throws: ``DictDBError/Code/corrupt`` when the input is damaged or truncated.
    public func decompress(_ bytes: [UInt8], limits: DecompressionLimits = .default) throws(DictDBError) -> [UInt8] {
        let stream = try makeDecompressionStream(limits: limits)
        var output: [UInt8] = []
        try withUnsafeBytesTyped(bytes) { (buffer) throws(DictDBError) in
            try stream.decompress(buffer, into: &output)
        }
        guard stream.isFinished else {
            throw DictDBError(
                .corrupt, "\(name) stream is truncated: input ended before the end of the compressed data",
                context: .init(plugin: "compressor:\(name)"))
        }
        return output
    }
}

/// `withUnsafeBytes` with a typed error thrown through it.
package func withUnsafeBytesTyped<R>(
    _ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(DictDBError) -> R
) throws(DictDBError) -> R {
    let result: Result<R, DictDBError> = bytes.withUnsafeBytes { buffer in
        do throws(DictDBError) {
            return .success(try body(buffer))
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}
