import CZlib
import DictDBAPI

/// Gzip compression (RFC 1952) over zlib, readable by `gzip -dc`.
///
/// Each stream is a single gzip member. Decompression stops at the end of that member: bytes after it,
/// such as a second concatenated member, are rejected as `DictDBError.Code.corrupt`.
///
/// ```swift
/// let gzip = GzipCompressor(level: 9)
/// let packed = try gzip.compress(Array("hello, hello, hello".utf8))
/// let unpacked = try gzip.decompress(packed, limits: DecompressionLimits(maxOutputBytes: 1 << 20))
/// ```
public struct GzipCompressor: Compressor {
    /// The deflate level, from 0 (store only, fastest) through 9 (smallest output).
    public var level: Int

    /// Creates a gzip compressor writing at `level` (0 through 9; 6 is zlib's default balance).
    public init(level: Int = 6) {
        self.level = level
    }

    /// `"gzip"`.
    public var name: String { "gzip" }

    /// `1f 8b`, the first two bytes of every gzip member.
    public var magic: [UInt8] { [0x1f, 0x8b] }

    /// Starts a new gzip member.
    /// - Throws: `DictDBError.Code.invalidArgument` if ``level`` is outside 0 through 9,
    ///   `DictDBError.Code.compression` if zlib cannot start.
    public func makeCompressionStream() throws(DictDBError) -> any CompressionStream {
        guard (0...9).contains(level) else {
            throw DictDBError(
                .invalidArgument, "gzip level must be between 0 and 9, got \(level)",
                context: .init(plugin: "compressor:gzip", expected: "0...9", found: "\(level)"))
        }
        return try GzipCompressionStream(level: Int32(level))
    }

    /// Starts reading one gzip member, producing at most `limits.maxOutputBytes` bytes.
    /// - Throws: `DictDBError.Code.compression` if zlib cannot start.
    public func makeDecompressionStream(limits: DecompressionLimits) throws(DictDBError) -> any DecompressionStream {
        try GzipDecompressionStream(limits: limits)
    }
}

/// zlib's window bits for a 32 KiB window (15) in a gzip container (+16).
private let gzipWindowBits: Int32 = 15 + 16

/// The most input bytes handed to zlib in one call: `avail_in` is 32 bits wide.
private let maxZlibInput = Int(UInt32.max)

/// zlib's explanation of a failed call.
private func zlibMessage(_ stream: UnsafeMutablePointer<z_stream>, _ status: Int32) -> String {
    if let message = stream.pointee.msg { return String(cString: message) }
    if let text = zError(status) { return String(cString: text) }
    return "zlib status \(status)"
}

/// A heap-allocated `z_stream`: zlib keeps a pointer back to it, so it must never move.
private func allocateZStream() -> UnsafeMutablePointer<z_stream> {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    return stream
}

/// Frees a `z_stream` from ``allocateZStream()``, after `deflateEnd`/`inflateEnd` if it was initialized.
private func freeZStream(_ stream: UnsafeMutablePointer<z_stream>) {
    stream.deinitialize(count: 1)
    stream.deallocate()
}

/// One gzip member being written with `deflate`.
final class GzipCompressionStream: CompressionStream {
    private let stream: UnsafeMutablePointer<z_stream>
    private let scratch = ScratchBuffer(capacity: CompressionChunk.size)
    private var state = CompressionStreamState.active

    /// Starts a deflate stream at `level` in the gzip container.
    init(level: Int32) throws(DictDBError) {
        let stream = allocateZStream()
        let status = dictdb_deflateInit2(stream, level, Z_DEFLATED, gzipWindowBits, 8, Z_DEFAULT_STRATEGY)
        guard status == Z_OK else {
            let message = zlibMessage(stream, status)
            freeZStream(stream)
            throw CompressionErrors.library("gzip", "cannot start gzip compression: \(message)")
        }
        self.stream = stream
    }

    deinit {
        deflateEnd(stream)
        freeZStream(stream)
    }

    func compress(_ input: UnsafeRawBufferPointer, finish: Bool, into output: inout [UInt8]) throws(DictDBError) {
        guard state == .active else { throw CompressionErrors.unusable("gzip", state, action: "compress") }
        do {
            var offset = 0
            repeat {
                let count = min(input.count - offset, maxZlibInput)
                let isLast = offset + count == input.count
                stream.pointee.next_in = count > 0 ? inputPointer(input, offset: offset) : nil
                stream.pointee.avail_in = uInt(count)
                try deflateAvailableInput(flush: finish && isLast ? Z_FINISH : Z_NO_FLUSH, into: &output)
                offset += count
            } while offset < input.count
            stream.pointee.next_in = nil
            if finish { state = .finished }
        } catch {
            state = .failed
            throw error
        }
    }

    /// Runs `deflate` over the current input, 64 KiB of output at a time, until it is consumed (and, with
    /// `Z_FINISH`, until the trailer is written).
    private func deflateAvailableInput(flush: Int32, into output: inout [UInt8]) throws(DictDBError) {
        while true {
            stream.pointee.next_out = scratch.start
            stream.pointee.avail_out = uInt(scratch.capacity)
            let status = deflate(stream, flush)
            let produced = scratch.capacity - Int(stream.pointee.avail_out)
            scratch.append(produced, to: &output)
            switch status {
            case Z_STREAM_END:
                return
            case Z_OK, Z_BUF_ERROR:
                let drained = stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0
                if flush != Z_FINISH && drained { return }
                if status == Z_BUF_ERROR && produced == 0 {
                    throw CompressionErrors.library("gzip", "deflate made no progress")
                }
            default:
                throw CompressionErrors.library("gzip", "gzip compression failed: \(zlibMessage(stream, status))")
            }
        }
    }
}

/// One gzip member being read with `inflate`, within a ``DecompressionLimits``.
final class GzipDecompressionStream: DecompressionStream {
    private let stream: UnsafeMutablePointer<z_stream>
    private let scratch = ScratchBuffer(capacity: CompressionChunk.size)
    private var budget: OutputBudget
    private var state = CompressionStreamState.active

    /// Starts an inflate stream that accepts only the gzip container.
    init(limits: DecompressionLimits) throws(DictDBError) {
        budget = OutputBudget(limits)
        let stream = allocateZStream()
        let status = dictdb_inflateInit2(stream, gzipWindowBits)
        guard status == Z_OK else {
            let message = zlibMessage(stream, status)
            freeZStream(stream)
            throw CompressionErrors.library("gzip", "cannot start gzip decompression: \(message)")
        }
        self.stream = stream
    }

    deinit {
        inflateEnd(stream)
        freeZStream(stream)
    }

    var isFinished: Bool { state == .finished }

    func decompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(DictDBError) {
        guard !input.isEmpty else { return }
        let compressedOffset = Int64(stream.pointee.total_in)
        switch state {
        case .active:
            break
        case .finished:
            state = .failed
            throw CompressionErrors.trailingBytes("gzip", count: input.count, offset: compressedOffset)
        case .failed:
            throw CompressionErrors.unusable("gzip", state, action: "decompress")
        }
        do {
            try inflateInput(input, into: &output)
        } catch {
            state = .failed
            throw error
        }
    }

    /// Feeds `input` to `inflate` in slices zlib's 32-bit counters can hold.
    private func inflateInput(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(DictDBError) {
        var offset = 0
        while offset < input.count {
            let count = min(input.count - offset, maxZlibInput)
            stream.pointee.next_in = inputPointer(input, offset: offset)
            stream.pointee.avail_in = uInt(count)
            let ended = try inflateAvailableInput(into: &output)
            offset += count - Int(stream.pointee.avail_in)
            stream.pointee.next_in = nil
            if ended {
                state = .finished
                if offset < input.count {
                    throw CompressionErrors.trailingBytes(
                        "gzip", count: input.count - offset, offset: Int64(stream.pointee.total_in))
                }
                return
            }
        }
    }

    /// Inflates the current input into the scratch buffer, never past the budget; true at the end of the member.
    private func inflateAvailableInput(into output: inout [UInt8]) throws(DictDBError) -> Bool {
        while true {
            let room = budget.nextCapacity(chunk: scratch.capacity)
            stream.pointee.next_out = scratch.start
            stream.pointee.avail_out = uInt(room)
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = room - Int(stream.pointee.avail_out)
            try budget.account(produced, compressor: "gzip")
            scratch.append(produced, to: &output)
            let offset = Int64(stream.pointee.total_in)
            switch status {
            case Z_STREAM_END:
                return true
            case Z_OK, Z_BUF_ERROR:
                // Without input left and with room to spare, inflate has given all it can until more input.
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return false }
                if status == Z_BUF_ERROR {
                    throw CompressionErrors.library("gzip", "inflate made no progress with input available")
                }
            case Z_DATA_ERROR:
                throw CompressionErrors.corrupt(
                    "gzip", "gzip data is corrupt: \(zlibMessage(stream, status))", offset: offset)
            case Z_NEED_DICT:
                throw CompressionErrors.corrupt(
                    "gzip", "gzip data asks for a preset dictionary, which the gzip format never uses", offset: offset)
            case Z_MEM_ERROR:
                throw CompressionErrors.library("gzip", "zlib ran out of memory while decompressing")
            default:
                throw CompressionErrors.library("gzip", "gzip decompression failed: \(zlibMessage(stream, status))")
            }
        }
    }
}
