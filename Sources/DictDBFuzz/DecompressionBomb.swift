import DictDB

/// A small compressed file that expands to hundreds of megabytes, built with the registry's compressors.
struct DecompressionBomb {
    /// What it expands to, such as `gzip: 200 MiB of zeros`.
    var name: String
    /// The compressed bytes.
    var bytes: [UInt8]

    /// The bombs: for gzip and lz4, 200 MiB of zeros; a JSON snapshot prefix followed by 200 MiB of spaces
    /// (valid whitespace the reader must stream through); and a `_meta` whose `format` is a string of 300 MiB
    /// (past the default 256 MiB string limit).
    static func all(registry: Registry, jsonPayload: [UInt8]) throws(DictDBError) -> [DecompressionBomb] {
        let mebibyte = 1 << 20
        let head = Array(#"{"_meta":"#.utf8)
        let rest = jsonPayload.starts(with: head) ? Array(jsonPayload.dropFirst(head.count)) : jsonPayload
        var bombs: [DecompressionBomb] = []
        for name in ["gzip", "lz4"] {
            let compressor = try registry.compressor(named: name)
            bombs.append(
                DecompressionBomb(
                    name: "\(name): 200 MiB of zeros",
                    bytes: try compress(with: compressor, [([], 0, 0), ([], 0, 200 * mebibyte)])))
            bombs.append(
                DecompressionBomb(
                    name: "\(name): JSON with 200 MiB of whitespace",
                    bytes: try compress(
                        with: compressor, [(head, 0, 0), ([], 0x20, 200 * mebibyte), (rest, 0, 0)])))
            bombs.append(
                DecompressionBomb(
                    name: "\(name): JSON string of 300 MiB",
                    bytes: try compress(
                        with: compressor,
                        [
                            (head + Array(#"{"format":""#.utf8), 0, 0), ([], 0x61, 300 * mebibyte),
                            (Array(#""}}"#.utf8), 0, 0),
                        ])))
        }
        return bombs
    }

    /// Compresses a sequence of pieces, each literal bytes followed by `count` copies of `fill`, streaming
    /// the repeated part in 1 MiB chunks so the input is never held whole.
    private static func compress(
        with compressor: any Compressor, _ pieces: [(literal: [UInt8], fill: UInt8, count: Int)]
    ) throws(DictDBError) -> [UInt8] {
        let stream = try compressor.makeCompressionStream()
        var output: [UInt8] = []
        for (literal, fill, count) in pieces {
            try feed(stream, literal, into: &output)
            let chunk = [UInt8](repeating: fill, count: min(count, 1 << 20))
            var left = count
            while left > 0 {
                let piece = left >= chunk.count ? chunk : Array(chunk.prefix(left))
                try feed(stream, piece, into: &output)
                left -= piece.count
            }
        }
        try compress(stream, [], finish: true, into: &output)
        return output
    }

    private static func feed(
        _ stream: any CompressionStream, _ bytes: [UInt8], into output: inout [UInt8]
    ) throws(DictDBError) {
        guard !bytes.isEmpty else { return }
        try compress(stream, bytes, finish: false, into: &output)
    }

    /// `stream.compress` over an array, with the typed error carried out of `withUnsafeBytes`.
    private static func compress(
        _ stream: any CompressionStream, _ bytes: [UInt8], finish: Bool, into output: inout [UInt8]
    ) throws(DictDBError) {
        var produced: [UInt8] = []
        let outcome: Result<Void, DictDBError> = bytes.withUnsafeBytes { buffer in
            do throws(DictDBError) {
                try stream.compress(buffer, finish: finish, into: &produced)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try outcome.get()
        output += produced
    }
}
