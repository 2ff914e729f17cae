import DictDB

/// One load to try: a corpus file, the layer damaged, the mutation, and the limits of the load.
struct FuzzCase {
    /// Which bytes the mutation edits.
    enum Layer: String {
        /// The file as saved.
        case file
        /// The decompressed payload of a compressed file, compressed again after the edit (so the damage
        /// reaches the JSON or MessagePack reader past an intact gzip or LZ4 container).
        case payload
    }

    /// The decoding limits of the load.
    enum Limits: String {
        /// Defaults, but at most 64 MiB decompressed: small enough to stop a bomb early.
        case small
        /// ``DecodingLimits/default``: what a user gets (16 GiB decompressed, 256 MiB strings).
        case standard

        /// The limits to load with.
        var decodingLimits: DecodingLimits {
            switch self {
            case .small: return DecodingLimits(decompression: DecompressionLimits(maxOutputBytes: 64 << 20))
            case .standard: return .default
            }
        }
    }

    /// Where the case comes from: `iteration 17` or `truncate-pass 4`.
    var label: String
    /// The corpus file damaged (for a bomb, the one whose place it takes).
    var file: CorpusFile
    /// Which bytes are edited.
    var layer: Layer
    /// The damage.
    var mutation: Mutation
    /// The limits of the load.
    var limits: Limits

    /// The damaged file's bytes.
    /// - Throws: the compressor's error when a damaged payload cannot be compressed again.
    func bytes() throws(DictDBError) -> [UInt8] {
        switch layer {
        case .file:
            return mutation.apply(to: file.bytes)
        case .payload:
            let damaged = mutation.apply(to: file.payload)
            guard let compressor = file.compressor else { return damaged }
            return try compressor.compress(damaged)
        }
    }

    /// Everything needed to recognise and redo the case, on one line.
    var description: String {
        "\(label) file=\(file.name) layer=\(layer.rawValue) mutation=\(mutation.kind.rawValue) "
            + "\(mutation.detail) limits=\(limits.rawValue)"
    }
}
