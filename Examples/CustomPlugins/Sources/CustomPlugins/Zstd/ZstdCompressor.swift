import CZstd
import DictDBAPI

/// `zstd`: Zstandard compression over libzstd, in the standard `.zst` frame format that `zstd -dc` reads.
///
/// Frames carry a content checksum, so damage is detected when a frame ends. Each stream is one frame;
/// bytes after its end (a second frame, a skippable frame) are ``DictDBAPI/DictDBError/Code/corrupt``.
/// Decompression refuses frames whose window needs more than 8 MiB (`windowLogMax` 23), so hostile
/// headers cannot make it allocate more; this compressor's own frames, at level 3, use at most 2 MiB.
///
/// ```swift
/// registry.register(compressor: ZstdCompressor())
/// try db.save(to: "data.msgpack.zst", codec: "msgpack+zstd")
/// ```
public struct ZstdCompressor: Compressor {
    /// The compression level, 1 (fastest) to 19.
    public let level: Int

    /// Creates a compressor at `level` (3 by default, zstd's own default).
    public init(level: Int = 3) {
        self.level = level
    }

    /// `"zstd"`.
    public var name: String { "zstd" }

    /// `28 b5 2f fd`, the little-endian frame magic number `0xFD2FB528`.
    public var magic: [UInt8] { [0x28, 0xB5, 0x2F, 0xFD] }

    /// Starts a new frame.
    /// - Throws: ``DictDBAPI/DictDBError/Code/invalidArgument`` for a level outside 1...19,
    ///   ``DictDBAPI/DictDBError/Code/compression`` when libzstd cannot start.
    public func makeCompressionStream() throws(DictDBError) -> any CompressionStream {
        guard (1...19).contains(level) else {
            throw DictDBError(
                .invalidArgument, "a zstd level is 1...19, not \(level)", context: .init(plugin: "compressor:zstd"))
        }
        return try ZstdCompressionStream(level: level)
    }

    /// Starts reading one frame, producing at most `limits.maxOutputBytes` bytes.
    /// - Throws: ``DictDBAPI/DictDBError/Code/compression`` when libzstd cannot start.
    public func makeDecompressionStream(limits: DecompressionLimits) throws(DictDBError) -> any DecompressionStream {
        try ZstdDecompressionStream(limits: limits, magic: magic)
    }
}

/// The typed errors of both streams.
enum ZstdErrors {
    static func library(_ message: String) -> DictDBError {
        DictDBError(.compression, message, context: .init(plugin: "compressor:zstd"))
    }

    static func corrupt(_ message: String, offset: Int64) -> DictDBError {
        DictDBError(.corrupt, message, context: .init(plugin: "compressor:zstd", offset: offset))
    }

    static func unusable(_ action: String, finished: Bool) -> DictDBError {
        DictDBError(
            .invalidState,
            "cannot \(action): the zstd stream has \(finished ? "finished" : "failed")",
            context: .init(plugin: "compressor:zstd"))
    }

    /// libzstd's name for an error result.
    static func name(_ result: Int) -> String {
        guard let name = ZSTD_getErrorName(result) else { return "zstd error \(result)" }
        return String(cString: name)
    }

    /// Whether a libzstd result is an error code.
    static func isError(_ result: Int) -> Bool { ZSTD_isError(result) != 0 }
}

/// Where a stream is in its life: only an active stream does work.
enum ZstdStreamState {
    case active
    case finished
    case failed
}
