import CLZ4
import DictDBAPI

/// LZ4 frame compression (the `.lz4` file format) over liblz4, readable by `lz4 -dc`.
///
/// Frames carry a content checksum, so damage anywhere in the data is detected when the frame ends.
/// Each stream is a single frame. Decompression stops at its end: bytes after it, such as a second
/// concatenated frame, are rejected as `DictDBError.Code.corrupt`.
///
/// ```swift
/// let lz4 = LZ4FrameCompressor()
/// let packed = try lz4.compress(Array("hello, hello, hello".utf8))
/// let unpacked = try lz4.decompress(packed, limits: DecompressionLimits(maxOutputBytes: 1 << 20))
/// ```
public struct LZ4FrameCompressor: Compressor {
    /// Creates an LZ4 frame compressor with liblz4's default (fast) level and 64 KiB blocks.
    public init() {}

    /// `"lz4"`.
    public var name: String { "lz4" }

    /// `04 22 4d 18`, the little-endian frame magic number `0x184D2204`.
    public var magic: [UInt8] { [0x04, 0x22, 0x4d, 0x18] }

    /// Starts a new LZ4 frame.
    /// - Throws: `DictDBError.Code.compression` if liblz4 cannot start.
    public func makeCompressionStream() throws(DictDBError) -> any CompressionStream {
        try LZ4FrameCompressionStream(magic: magic)
    }

    /// Starts reading one LZ4 frame, producing at most `limits.maxOutputBytes` bytes.
    /// - Throws: `DictDBError.Code.compression` if liblz4 cannot start.
    public func makeDecompressionStream(limits: DecompressionLimits) throws(DictDBError) -> any DecompressionStream {
        try LZ4FrameDecompressionStream(limits: limits, magic: magic)
    }
}

/// liblz4's name for the error `code` (a `size_t` result for which `LZ4F_isError` is true).
private func lz4ErrorName(_ code: Int) -> String {
    guard let name = LZ4F_getErrorName(code) else { return "LZ4F error \(code)" }
    return String(cString: name)
}

/// Whether a liblz4 frame-API result is an error code.
private func isLZ4Error(_ result: Int) -> Bool { LZ4F_isError(result) != 0 }

/// One LZ4 frame being written; the header goes out with the first call.
final class LZ4FrameCompressionStream: CompressionStream {
    private let context: OpaquePointer
    private var preferences = LZ4F_preferences_t()
    private let scratch: ScratchBuffer
    private var state = CompressionStreamState.active
    private var hasBegun = false

    /// Creates a compression context for frames with a content checksum.
    init(magic: [UInt8]) throws(DictDBError) {
        var created: OpaquePointer?
        let result = LZ4F_createCompressionContext(&created, dictdb_lz4f_version())
        guard !isLZ4Error(result), let created else {
            if let created { LZ4F_freeCompressionContext(created) }
            throw CompressionErrors.library("lz4", "cannot start lz4 compression: \(lz4ErrorName(result))")
        }
        context = created
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        // Room for the compressed form of one input chunk plus whatever the context still holds.
        let bound = LZ4F_compressBound(CompressionChunk.size, &preferences)
        scratch = ScratchBuffer(capacity: max(bound, Int(LZ4F_HEADER_SIZE_MAX)))
    }

    deinit { LZ4F_freeCompressionContext(context) }

    func compress(_ input: UnsafeRawBufferPointer, finish: Bool, into output: inout [UInt8]) throws(DictDBError) {
        guard state == .active else { throw CompressionErrors.unusable("lz4", state, action: "compress") }
        do {
            if !hasBegun {
                let written = LZ4F_compressBegin(context, scratch.start, scratch.capacity, &preferences)
                try append(written, step: "start the frame", to: &output)
                hasBegun = true
            }
            var offset = 0
            while offset < input.count {
                let count = min(input.count - offset, CompressionChunk.size)
                let source = inputPointer(input, offset: offset)
                let written = LZ4F_compressUpdate(context, scratch.start, scratch.capacity, source, count, nil)
                try append(written, step: "compress", to: &output)
                offset += count
            }
            if finish {
                let written = LZ4F_compressEnd(context, scratch.start, scratch.capacity, nil)
                try append(written, step: "end the frame", to: &output)
                state = .finished
            }
        } catch {
            state = .failed
            throw error
        }
    }

    /// Appends the `result` bytes liblz4 wrote into the scratch buffer, or throws its error.
    private func append(_ result: Int, step: String, to output: inout [UInt8]) throws(DictDBError) {
        guard !isLZ4Error(result) else {
            throw CompressionErrors.library("lz4", "lz4 could not \(step): \(lz4ErrorName(result))")
        }
        scratch.append(result, to: &output)
    }
}

/// One LZ4 frame being read, within a ``DecompressionLimits``.
final class LZ4FrameDecompressionStream: DecompressionStream {
    private let context: OpaquePointer
    private let scratch = ScratchBuffer(capacity: CompressionChunk.size)
    private var budget: OutputBudget
    private let magic: [UInt8]
    private var state = CompressionStreamState.active
    /// Compressed bytes consumed so far, for error offsets.
    private var consumed: Int64 = 0

    /// Creates a decompression context.
    init(limits: DecompressionLimits, magic: [UInt8]) throws(DictDBError) {
        var created: OpaquePointer?
        let result = LZ4F_createDecompressionContext(&created, dictdb_lz4f_version())
        guard !isLZ4Error(result), let created else {
            if let created { LZ4F_freeDecompressionContext(created) }
            throw CompressionErrors.library("lz4", "cannot start lz4 decompression: \(lz4ErrorName(result))")
        }
        context = created
        budget = OutputBudget(limits)
        self.magic = magic
    }

    deinit { LZ4F_freeDecompressionContext(context) }

    var isFinished: Bool { state == .finished }

    func decompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(DictDBError) {
        guard !input.isEmpty else { return }
        switch state {
        case .active:
            break
        case .finished:
            state = .failed
            throw CompressionErrors.trailingBytes("lz4", count: input.count, offset: consumed)
        case .failed:
            throw CompressionErrors.unusable("lz4", state, action: "decompress")
        }
        do {
            try checkMagic(input)
            try decompressInput(input, into: &output)
        } catch {
            state = .failed
            throw error
        }
    }

    /// Rejects input that does not start with the LZ4 frame magic (liblz4 would also accept skippable frames).
    private func checkMagic(_ input: UnsafeRawBufferPointer) throws(DictDBError) {
        var position = consumed
        for byte in input {
            guard position < Int64(magic.count) else { return }
            guard byte == magic[Int(position)] else {
                throw CompressionErrors.corrupt(
                    "lz4", "not an LZ4 frame: byte \(position) of the magic number is wrong", offset: position)
            }
            position += 1
        }
    }

    /// Runs `LZ4F_decompress` until `input` is consumed and no output is pending, or the frame ends.
    private func decompressInput(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(DictDBError) {
        var offset = 0
        while true {
            let room = budget.nextCapacity(chunk: scratch.capacity)
            var produced = room
            var taken = input.count - offset
            let source = taken > 0 ? inputPointer(input, offset: offset) : nil
            let result = LZ4F_decompress(context, scratch.start, &produced, source, &taken, nil)
            guard !isLZ4Error(result) else {
                throw CompressionErrors.corrupt(
                    "lz4", "lz4 data is corrupt: \(lz4ErrorName(result))", offset: consumed)
            }
            offset += taken
            consumed += Int64(taken)
            try budget.account(produced, compressor: "lz4")
            scratch.append(produced, to: &output)
            if result == 0 {
                state = .finished
                if offset < input.count {
                    throw CompressionErrors.trailingBytes("lz4", count: input.count - offset, offset: consumed)
                }
                return
            }
            if offset == input.count && produced < room { return }
            if taken == 0 && produced == 0 {
                throw CompressionErrors.library("lz4", "lz4 decompression made no progress with input available")
            }
        }
    }
}
