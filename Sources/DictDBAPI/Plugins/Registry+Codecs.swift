extension Registry {
    /// The codec that reads a file starting with `prefix` (its first bytes; 16 are enough).
    ///
    /// A registered codec that recognizes the prefix wins. Otherwise, when the prefix starts with a
    /// registered compressor's magic bytes, the result is a ``CompressedCodec`` of that compressor whose base
    /// codec is found when reading, from the first decompressed bytes; its name is `auto+<compressor>`, and
    /// it reads only (name a codec such as `json+gzip` to write).
    ///
    /// ```swift
    /// let codec = try registry.detectCodec(prefix: firstBytes)
    /// let reader = try codec.makeReader(from: file, limits: .default)
    /// ```
    /// - Throws: ``DictDBError/Code/unsupportedFormat`` listing the known codecs and compressors when
    ///   nothing matches.
    public func detectCodec(prefix: [UInt8]) throws(DictDBError) -> any StorageCodec {
        let prefix = Array(prefix.prefix(16))
        let baseCodecs = try names(of: .codec).map { (name) throws(DictDBError) in try codec(named: name) }
        if let codec = baseCodecs.first(where: { $0.recognizes(prefix: prefix) }) { return codec }
        for name in names(of: .compressor) {
            let compressor = try compressor(named: name)
            if !compressor.magic.isEmpty && prefix.starts(with: compressor.magic) {
                return CompressedCodec(base: DetectingCodec(candidates: baseCodecs), compressor: compressor)
            }
        }
        throw DictDBError(
            .unsupportedFormat,
            "the data is in no known snapshot format (\(knownFormats(baseCodecs)))",
            context: .init(expected: knownFormats(baseCodecs), found: hex(prefix)))
    }

    /// `codecs: json, msgpack; compressors: gzip (1f 8b), lz4 (04 22 4d 18)`.
    private func knownFormats(_ baseCodecs: [any StorageCodec]) -> String {
        let codecList = baseCodecs.isEmpty ? "none" : baseCodecs.map(\.name).joined(separator: ", ")
        let compressorList = names(of: .compressor).compactMap { name -> String? in
            guard let compressor = try? compressor(named: name) else { return nil }
            return "\(name) (\(hex(compressor.magic)))"
        }
        return
            "codecs: \(codecList); compressors: \(compressorList.isEmpty ? "none" : compressorList.joined(separator: ", "))"
    }
}

/// Bytes as lowercase hex pairs separated by spaces, or `empty`.
private func hex(_ bytes: [UInt8]) -> String {
    guard !bytes.isEmpty else { return "empty" }
    return bytes.map { byte in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }.joined(separator: " ")
}

/// A read-only codec that picks, among `candidates`, the one recognizing the first bytes it reads.
///
/// It is the base of the ``CompressedCodec`` that ``Registry/detectCodec(prefix:)`` returns for a compressed
/// file, whose base format shows only after decompression.
struct DetectingCodec: StorageCodec {
    /// The codecs to choose from.
    let candidates: [any StorageCodec]

    /// `"auto"`.
    var name: String { "auto" }

    func recognizes(prefix: [UInt8]) -> Bool {
        candidates.contains { $0.recognizes(prefix: prefix) }
    }

    func makeWriter(to sink: any ByteSink) throws(DictDBError) -> any SnapshotWriter {
        throw readOnly("write a snapshot")
    }

    /// Reads the first 16 bytes of `source`, then reads on with the candidate that recognizes them.
    /// - Throws: ``DictDBError/Code/unsupportedFormat`` when none does.
    func makeReader(from source: any ByteSource, limits: DecodingLimits) throws(DictDBError) -> any SnapshotReader {
        var prefix = [UInt8](repeating: 0, count: 16)
        var count = 0
        while count < prefix.count {
            let outcome: Result<Int, DictDBError> = prefix.withUnsafeMutableBytes { buffer in
                do throws(DictDBError) {
                    return .success(try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...])))
                } catch {
                    return .failure(error)
                }
            }
            let got = try outcome.get()
            guard got > 0 else { break }
            guard got <= prefix.count - count else {
                throw DictDBError(
                    .invalidState,
                    "the byte source returned \(got) from a read of at most \(prefix.count - count) bytes",
                    context: .init(plugin: "codec:auto"))
            }
            count += got
        }
        prefix.removeLast(prefix.count - count)
        guard let codec = candidates.first(where: { $0.recognizes(prefix: prefix) }) else {
            let names = candidates.map(\.name).joined(separator: ", ")
            throw DictDBError(
                .unsupportedFormat, "the decompressed data is in no known snapshot format (codecs: \(names))",
                context: .init(offset: 0, expected: names, found: hex(prefix)))
        }
        return try codec.makeReader(from: PrefixedSource(prefix, then: source), limits: limits)
    }

    func encode(_ value: Value) throws(DictDBError) -> [UInt8] {
        throw readOnly("encode a value")
    }

    func decode(_ bytes: [UInt8], limits: DecodingLimits) throws(DictDBError) -> Value {
        throw readOnly("decode a value")
    }

    private func readOnly(_ action: String) -> DictDBError {
        DictDBError(
            .invalidArgument,
            "a codec detected from a compressed file only reads snapshots and cannot \(action); name the codec "
                + "instead (such as json+gzip)",
            context: .init(plugin: "codec:auto"))
    }
}

/// A ``ByteSource`` that yields `prefix` and then the rest of another source.
final class PrefixedSource: ByteSource {
    private let prefix: [UInt8]
    private var position = 0
    private let source: any ByteSource

    /// Yields `prefix`, then `source`.
    init(_ prefix: [UInt8], then source: any ByteSource) {
        self.prefix = prefix
        self.source = source
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DictDBError) -> Int {
        guard position < prefix.count else { return try source.read(into: buffer) }
        let count = min(buffer.count, prefix.count - position)
        prefix.withUnsafeBytes { bytes in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[position..<position + count]))
        }
        position += count
        return count
    }
}
