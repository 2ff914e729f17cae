import CZstd
import DictDBAPI

/// One zstd frame being read, within a ``DictDBAPI/DecompressionLimits``.
final class ZstdDecompressionStream: DecompressionStream {
    /// The largest window accepted: 2^23 bytes.
    static let windowLogMax: Int32 = 23

    private let context: OpaquePointer
    private var scratch: [UInt8]
    private let magic: [UInt8]
    private var state = ZstdStreamState.active
    /// Output still allowed by the limits.
    private var remainingOutput: Int64
    /// Compressed bytes consumed so far, for error offsets.
    private var consumed: Int64 = 0

    /// Creates a decompression context that refuses windows above 8 MiB.
    init(limits: DecompressionLimits, magic: [UInt8]) throws(DictDBError) {
        guard let created = ZSTD_createDCtx() else { throw ZstdErrors.library("cannot start zstd decompression") }
        context = created
        let result = ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, Self.windowLogMax)
        guard !ZstdErrors.isError(result) else {
            ZSTD_freeDCtx(context)
            throw ZstdErrors.library("cannot configure zstd: \(ZstdErrors.name(result))")
        }
        scratch = [UInt8](repeating: 0, count: ZSTD_DStreamOutSize())
        self.magic = magic
        remainingOutput = max(0, limits.maxOutputBytes)
    }

    deinit { ZSTD_freeDCtx(context) }

    var isFinished: Bool { state == .finished }

    func decompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(DictDBError) {
        guard !input.isEmpty else { return }
        switch state {
        case .active:
            break
        case .finished:
            state = .failed
            throw ZstdErrors.corrupt("\(input.count) bytes follow the end of the zstd frame", offset: consumed)
        case .failed:
            throw ZstdErrors.unusable("decompress", finished: false)
        }
        do {
            try checkMagic(input)
            try decompressInput(input, into: &output)
        } catch {
            state = .failed
            throw error
        }
    }

    /// Rejects input that does not start with the frame magic (libzstd would also take skippable frames).
    private func checkMagic(_ input: UnsafeRawBufferPointer) throws(DictDBError) {
        var position = consumed
        for byte in input {
            guard position < Int64(magic.count) else { return }
            guard byte == magic[Int(position)] else {
                throw ZstdErrors.corrupt(
                    "not a zstd frame: byte \(position) of the magic number is wrong", offset: position)
            }
            position += 1
        }
    }

    /// Runs `ZSTD_decompressStream` until the input is consumed and nothing is pending, or the frame ends.
    private func decompressInput(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(DictDBError) {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            // One byte more than the limit allows, so an overrun is seen without producing more.
            let room = Int(min(Int64(scratch.count), remainingOutput + 1))
            let before = source.pos
            let (result, produced) = scratch.withUnsafeMutableBytes { buffer in
                var target = ZSTD_outBuffer(dst: buffer.baseAddress, size: room, pos: 0)
                let result = ZSTD_decompressStream(context, &target, &source)
                return (result, target.pos)
            }
            consumed += Int64(source.pos - before)
            guard !ZstdErrors.isError(result) else {
                throw ZstdErrors.corrupt("zstd data is corrupt: \(ZstdErrors.name(result))", offset: consumed)
            }
            guard Int64(produced) <= remainingOutput else {
                throw DictDBError(
                    .limitExceeded, "zstd output exceeds the limit of the decompression",
                    context: .init(plugin: "compressor:zstd", offset: consumed))
            }
            remainingOutput -= Int64(produced)
            output.append(contentsOf: scratch[..<produced])
            if result == 0 {
                state = .finished
                if source.pos < source.size {
                    throw ZstdErrors.corrupt(
                        "\(source.size - source.pos) bytes follow the end of the zstd frame", offset: consumed)
                }
                return
            }
            if source.pos == source.size && produced < room { return }
            if source.pos == before && produced == 0 {
                throw ZstdErrors.library("zstd decompression made no progress with input available")
            }
        }
    }
}
