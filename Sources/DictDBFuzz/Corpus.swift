import DictDB

/// One file of the corpus: its bytes, its decompressed payload, and the state it loads to.
struct CorpusFile {
    /// `<database>.<codec>`, such as `small.json+gzip`.
    var name: String
    /// The sample database it was saved from.
    var database: String
    /// The codec it was saved with, such as `json+gzip`.
    var codec: String
    /// The base codec: `json` or `msgpack`.
    var baseCodec: String
    /// The compressor, if any: `gzip` or `lz4`.
    var compressor: (any Compressor)?
    /// The file's bytes.
    var bytes: [UInt8]
    /// The base codec's bytes (the decompressed file, or the file itself).
    var payload: [UInt8]
    /// The length headers of a MessagePack payload (empty for JSON).
    var lengthHeaders: [MessagePackHeader]
    /// The state the pristine file loads to: the "identical" reference.
    var reference: StateFingerprint
}

/// The files DictDB wrote for the fuzzer to damage, plus the decompression bombs.
struct Corpus {
    /// The codecs every sample database is saved with.
    static let codecs = ["json", "msgpack", "json+gzip", "json+lz4", "msgpack+gzip", "msgpack+lz4"]

    /// Every saved file, databases in ``SampleDatabases/all()`` order, codecs in ``codecs`` order.
    var files: [CorpusFile]
    /// The decompression bombs, built once.
    var bombs: [DecompressionBomb]
    /// Problems found while building: a pristine file that does not load back to the state it was saved
    /// from. Each is a failure of the run.
    var roundTripProblems: [String]

    /// Saves every sample database with every codec into `directory` (reusing the files already there, so
    /// a run can replay another's cases exactly), loads each file back as its reference, and builds the
    /// bombs.
    init(directory: String, registry: Registry) throws(DictDBError) {
        let fileSystem = PosixFileSystem()
        files = []
        roundTripProblems = []
        for (name, database) in try SampleDatabases.all() {
            let original = try StateFingerprint(database)
            for codec in Self.codecs {
                let path = FilePath.join(directory, "\(name).\(codec).dictdb")
                if !fileSystem.exists(path) { try database.save(to: path, codec: codec) }
                let bytes = try FileIO.read(path, fileSystem: fileSystem)
                let reference = try StateFingerprint(Database.load(from: path, registry: registry))
                if let difference = reference.firstDifference(from: original) {
                    roundTripProblems.append("\(name).\(codec): save then load changes the state: \(difference)")
                }
                let parts = codec.split(separator: "+").map(String.init)
                let baseCodec = parts.first ?? codec
                let compressor = parts.count > 1 ? try registry.compressor(named: parts[1]) : nil
                let payload = try compressor?.decompress(bytes) ?? bytes
                files.append(
                    CorpusFile(
                        name: "\(name).\(codec)", database: name, codec: codec, baseCodec: baseCodec,
                        compressor: compressor, bytes: bytes, payload: payload,
                        lengthHeaders: baseCodec == "msgpack" ? MessagePackHeader.scan(payload) : [],
                        reference: reference))
            }
        }
        let jsonPayload = files.first { $0.codec == "json" }?.payload ?? []
        bombs = try DecompressionBomb.all(registry: registry, jsonPayload: jsonPayload)
    }

    /// The references a load of `bytes` made from `file` may equal: the file's own, and that of any corpus
    /// file whose bytes the mutation happened to reproduce exactly.
    func acceptableStates(for bytes: [UInt8], from file: CorpusFile) -> [StateFingerprint] {
        [file.reference] + files.filter { $0.name != file.name && $0.bytes == bytes }.map(\.reference)
    }
}
