/// A storage codec composed of a base codec and a ``Compressor``: `json+gzip`, `msgpack+lz4`, ...
///
/// Writing, everything the base codec's writer emits goes through a compression stream, which is finished
/// when the ``SnapshotEvent/end`` event has been written; the file is the compressor's standard container,
/// so `gzip -dc snapshot.json.gz` prints the plain `json` snapshot. Reading, the source is decompressed
/// within ``DecodingLimits/decompression`` (a decompression bomb fails with
/// ``DictDBError/Code/limitExceeded`` as soon as it passes the limit), and compressed input that ends early
/// is ``DictDBError/Code/corrupt``.
///
/// ``Registry/codec(named:)`` builds one for any name with one `+`:
///
/// ```swift
/// let codec = try registry.codec(named: "msgpack+lz4")   // CompressedCodec(base: msgpack, compressor: lz4)
/// ```
///
/// Single values (journal payloads) are encoded by the base codec alone, uncompressed.
public struct CompressedCodec: StorageCodec {
    /// The codec whose bytes are compressed.
    public let base: any StorageCodec
    /// The compression format around them.
    public let compressor: any Compressor

    /// Composes `base` with `compressor`.
    public init(base: any StorageCodec, compressor: any Compressor) {
        self.base = base
        self.compressor = compressor
    }

    /// `"<base>+<compressor>"`, such as `"json+gzip"`.
    public var name: String { "\(base.name)+\(compressor.name)" }

    /// Whether `prefix` starts with the compressor's magic bytes.
    ///
    /// The first 16 bytes of a compressed file rarely decompress to anything, so the base codec is not
    /// checked here: every composition with the same compressor recognizes the file, and the base codec's
    /// reader rejects the wrong format when it reads the decompressed bytes. ``Registry/detectCodec(prefix:)``
    /// returns a composition that finds the base codec from the decompressed bytes.
    public func recognizes(prefix: [UInt8]) -> Bool {
        let magic = compressor.magic
        return !magic.isEmpty && prefix.starts(with: magic)
    }

    /// Starts writing a compressed snapshot to `sink`.
    /// - Throws: ``DictDBError/Code/compression`` if the compressor cannot start.
    public func makeWriter(to sink: any ByteSink) throws(DictDBError) -> any SnapshotWriter {
        let compressing = CompressingSink(stream: try compressor.makeCompressionStream(), into: sink)
        return CompressedSnapshotWriter(base: try base.makeWriter(to: compressing), sink: compressing)
    }

    /// Starts reading a compressed snapshot from `source`, decompressing within `limits.decompression`.
    /// - Throws: ``DictDBError/Code/compression`` if the compressor cannot start.
    public func makeReader(
        from source: any ByteSource, limits: DecodingLimits
    ) throws(DictDBError)
        -> any SnapshotReader
    {
        let stream = try compressor.makeDecompressionStream(limits: limits.decompression)
        let decompressing = DecompressingSource(stream: stream, from: source, compressor: compressor.name)
        return try base.makeReader(from: decompressing, limits: limits)
    }

    /// The base codec's encoding of `value`: journal records are short, and the journal frames them.
    public func encode(_ value: Value) throws(DictDBError) -> [UInt8] {
        try base.encode(value)
    }

    /// Decodes a value encoded by ``encode(_:)`` with the base codec.
    public func decode(_ bytes: [UInt8], limits: DecodingLimits) throws(DictDBError) -> Value {
        try base.decode(bytes, limits: limits)
    }
}

/// A base writer whose sink compresses; the compression stream is finished after ``SnapshotEvent/end``.
final class CompressedSnapshotWriter: SnapshotWriter {
    private let base: any SnapshotWriter
    private let sink: CompressingSink

    /// Wraps `base`, which writes into `sink`.
    init(base: any SnapshotWriter, sink: CompressingSink) {
        self.base = base
        self.sink = sink
    }

    func write(_ event: SnapshotEvent) throws(DictDBError) {
        try base.write(event)
        if case .end = event { try sink.finish() }
    }
}

/// A ``ByteSink`` that compresses what it is given and writes the compressed bytes to another sink.
public final class CompressingSink: ByteSink {
    private let stream: any CompressionStream
    private let sink: any ByteSink
    private var output: [UInt8] = []

    /// Compresses through `stream` into `sink`.
    public init(stream: any CompressionStream, into sink: any ByteSink) {
        self.stream = stream
        self.sink = sink
    }

    /// Compresses `bytes`, writing whatever compressed output is ready.
    /// - Throws: the compressor's or the sink's error.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) {
        try stream.compress(bytes, finish: false, into: &output)
        try drain()
    }

    /// Ends the compressed stream and writes its last bytes (the trailer included).
    /// - Throws: the compressor's or the sink's error; ``DictDBError/Code/invalidState`` if already finished.
    public func finish() throws(DictDBError) {
        try stream.compress(UnsafeRawBufferPointer(start: nil, count: 0), finish: true, into: &output)
        try drain()
    }

    private func drain() throws(DictDBError) {
        guard !output.isEmpty else { return }
        try sink.write(output)
        output.removeAll(keepingCapacity: true)
    }
}

/// A ``ByteSource`` that decompresses another source.
///
/// Compressed input is fed to the stream in small pieces, so one read never produces more than a few
/// megabytes even from a decompression bomb, and the stream's ``DecompressionLimits`` stop the total.
/// The source's end before the end of the compressed stream is ``DictDBError/Code/corrupt``; bytes after
/// it are rejected by the stream (``DictDBError/Code/corrupt``) when the reader looks past the end.
public final class DecompressingSource: ByteSource {
    private let stream: any DecompressionStream
    private let source: any ByteSource
    private let compressor: String
    private var input: [UInt8]
    private var output: [UInt8] = []
    private var outputPosition = 0
    private var sourceEnded = false
    /// Compressed bytes read so far.
    private var compressedOffset: Int64 = 0

    /// The most compressed bytes handed to the stream at once (deflate expands at most ~1032:1).
    private static let inputChunk = 4096

    /// Decompresses `source` through `stream`; `compressor` names the format in errors.
    public init(stream: any DecompressionStream, from source: any ByteSource, compressor: String) {
        self.stream = stream
        self.source = source
        self.compressor = compressor
        input = [UInt8](repeating: 0, count: Self.inputChunk)
    }

    /// Copies up to `buffer.count` decompressed bytes; 0 at the end of the compressed stream.
    /// - Throws: ``DictDBError/Code/corrupt`` for damaged or truncated input or bytes after the stream,
    ///   ``DictDBError/Code/limitExceeded`` past the decompression limit, or the source's error.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(DictDBError) -> Int {
        guard !buffer.isEmpty else { return 0 }
        while outputPosition == output.count {
            output.removeAll(keepingCapacity: true)
            outputPosition = 0
            if sourceEnded {
                guard stream.isFinished else {
                    throw DictDBError(
                        .corrupt,
                        "\(compressor) data is truncated: the input ends at byte \(compressedOffset), before the "
                            + "end of the compressed stream",
                        context: .init(
                            plugin: "compressor:\(compressor)", offset: compressedOffset,
                            expected: "the rest of the compressed stream", found: "end of input"))
                }
                return 0
            }
            try pull()
        }
        let count = min(buffer.count, output.count - outputPosition)
        output.withUnsafeBytes { bytes in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[outputPosition..<outputPosition + count]))
        }
        outputPosition += count
        return count
    }

    /// Reads one piece of compressed input and decompresses it into `output`.
    private func pull() throws(DictDBError) {
        let outcome: Result<Int, DictDBError> = input.withUnsafeMutableBytes { buffer in
            do throws(DictDBError) {
                return .success(try source.read(into: buffer))
            } catch {
                return .failure(error)
            }
        }
        let count = try outcome.get()
        guard count > 0 else {
            sourceEnded = true
            return
        }
        guard count <= input.count else {
            throw DictDBError(
                .invalidState, "the byte source returned \(count) from a read of at most \(input.count) bytes",
                context: .init(plugin: "compressor:\(compressor)", offset: compressedOffset))
        }
        compressedOffset += Int64(count)
        let piece = count == input.count ? input : Array(input[0..<count])
        try withUnsafeBytesTyped(piece) { (bytes) throws(DictDBError) in
            try stream.decompress(bytes, into: &output)
        }
    }
}
