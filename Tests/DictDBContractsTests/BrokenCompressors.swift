import Codecs
import DictDBAPI

/// The `gzip` compressor with one deliberate flaw (or none), to show the compressor check passes a correct
/// compressor and names the clause a broken one breaks.
struct FlawedCompressor: Compressor {
    /// What the compressor gets wrong.
    enum Flaw: String, Sendable, CaseIterable {
        /// Nothing: `gzip` as is.
        case none
        /// Claims a magic its output does not start with.
        case wrongMagic
        /// Decompresses without the caller's output limit.
        case ignoresTheLimit
        /// Ignores bytes after the end of the stream.
        case acceptsTrailingBytes
        /// After an error, starts over with a fresh stream.
        case recoversAfterFailure
    }

    let flaw: Flaw
    private let base = GzipCompressor()

    init(_ flaw: Flaw) { self.flaw = flaw }

    var name: String { "flawed-\(flaw.rawValue)" }

    var magic: [UInt8] { flaw == .wrongMagic ? [0x1F, 0x8C] : base.magic }

    func makeCompressionStream() throws(DictDBError) -> any CompressionStream {
        try base.makeCompressionStream()
    }

    func makeDecompressionStream(limits: DecompressionLimits) throws(DictDBError) -> any DecompressionStream {
        let effective = flaw == .ignoresTheLimit ? DecompressionLimits.default : limits
        return try FlawedDecompression(
            make: { () throws(DictDBError) in try base.makeDecompressionStream(limits: effective) }, flaw: flaw)
    }
}

/// A decompression stream that misbehaves as its flaw says.
private final class FlawedDecompression: DecompressionStream {
    let make: () throws(DictDBError) -> any DecompressionStream
    let flaw: FlawedCompressor.Flaw
    var base: any DecompressionStream

    init(
        make: @escaping () throws(DictDBError) -> any DecompressionStream, flaw: FlawedCompressor.Flaw
    ) throws(DictDBError) {
        self.make = make
        self.flaw = flaw
        base = try make()
    }

    var isFinished: Bool { base.isFinished }

    func decompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(DictDBError) {
        if flaw == .acceptsTrailingBytes && base.isFinished { return }
        do {
            try base.decompress(input, into: &output)
        } catch {
            if flaw == .recoversAfterFailure { base = try make() }
            if flaw == .acceptsTrailingBytes && base.isFinished { return }
            throw error
        }
    }
}
