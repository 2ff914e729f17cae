import CZstd
import DictDBAPI

/// One zstd frame being written.
final class ZstdCompressionStream: CompressionStream {
    private let context: OpaquePointer
    private var scratch: [UInt8]
    private var state = ZstdStreamState.active

    /// Creates a compression context at `level` with content checksums on.
    init(level: Int) throws(DictDBError) {
        guard let created = ZSTD_createCCtx() else { throw ZstdErrors.library("cannot start zstd compression") }
        context = created
        scratch = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())
        for (parameter, value) in [(ZSTD_c_compressionLevel, Int32(level)), (ZSTD_c_checksumFlag, 1)] {
            let result = ZSTD_CCtx_setParameter(context, parameter, value)
            guard !ZstdErrors.isError(result) else {
                ZSTD_freeCCtx(context)
                throw ZstdErrors.library("cannot configure zstd: \(ZstdErrors.name(result))")
            }
        }
    }

    deinit { ZSTD_freeCCtx(context) }

    func compress(_ input: UnsafeRawBufferPointer, finish: Bool, into output: inout [UInt8]) throws(DictDBError) {
        guard state == .active else { throw ZstdErrors.unusable("compress", finished: state == .finished) }
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        let directive = finish ? ZSTD_e_end : ZSTD_e_continue
        while true {
            let (remaining, written) = scratch.withUnsafeMutableBytes { buffer in
                var target = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
                let result = ZSTD_compressStream2(context, &target, &source, directive)
                return (result, target.pos)
            }
            guard !ZstdErrors.isError(remaining) else {
                state = .failed
                throw ZstdErrors.library("zstd could not compress: \(ZstdErrors.name(remaining))")
            }
            output.append(contentsOf: scratch[..<written])
            // With `continue`, done once the input is consumed; with `end`, once nothing remains to flush.
            if finish ? remaining == 0 : source.pos == source.size { break }
        }
        if finish { state = .finished }
    }
}
