import DictDBAPI

/// The files of an on-disk database directory and their names.
///
/// ```
/// dictdb.json                      the configuration (codec, journal format, sync policy)
/// dictdb.lock                      held with flock(2) while the database is open
/// snapshot-00000000000000000007.dictdb   generation 7: the state at some journal sequence
/// journal-00000000000000000007.log       generation 7: every change after that sequence
/// journal-....torn-<offset>        a torn journal tail, copied aside by recovery
/// ```
///
/// Journal generation *g* starts right after snapshot generation *g*'s sequence (generation 1 starts from
/// the empty database and has no snapshot). A checkpoint creates journal *g+1* first, then snapshot *g+1*,
/// then deletes everything older.
struct DatabaseDirectory {
    let path: String
    let fileSystem: any FileSystem

    static let configurationName = "dictdb.json"
    static let lockName = "dictdb.lock"

    var configurationPath: String { FilePath.join(path, Self.configurationName) }
    var lockPath: String { FilePath.join(path, Self.lockName) }

    func snapshotPath(generation: UInt64) -> String {
        FilePath.join(path, "snapshot-\(Self.padded(generation)).dictdb")
    }

    func journalPath(generation: UInt64, format: any JournalFileFormat) -> String {
        FilePath.join(path, "journal-\(Self.padded(generation)).\(format.fileExtension)")
    }

    static func padded(_ generation: UInt64) -> String {
        let digits = String(generation)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// What the directory holds, by kind.
    struct Listing {
        /// Snapshot generations, oldest first.
        var snapshots: [UInt64] = []
        /// Journal generations in the configured format, oldest first.
        var journals: [UInt64] = []
        /// Temporary files a crash left behind during an atomic replace.
        var temporaries: [String] = []
    }

    func list(format: any JournalFileFormat) throws(DictDBError) -> Listing {
        var listing = Listing()
        for name in try fileSystem.contentsOfDirectory(path) {
            if name.hasPrefix("."), name.contains(".tmp-") {
                listing.temporaries.append(name)
            } else if let generation = Self.generation(of: name, prefix: "snapshot-", suffix: ".dictdb") {
                listing.snapshots.append(generation)
            } else if let generation = Self.generation(of: name, prefix: "journal-", suffix: "." + format.fileExtension)
            {
                listing.journals.append(generation)
            }
        }
        listing.snapshots.sort()
        listing.journals.sort()
        return listing
    }

    private static func generation(of name: String, prefix: String, suffix: String) -> UInt64? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
        guard digits.count == 20, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return UInt64(digits)
    }

    /// Reads a whole file.
    func readAll(_ path: String, limit: Int = 1 << 31) throws(DictDBError) -> [UInt8] {
        let file = try fileSystem.openForReading(path)
        defer { try? file.close() }
        var bytes: [UInt8] = []
        let chunk = 1 << 16
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let n = try file.read(into: buffer)
            if n == 0 { return bytes }
            bytes.append(contentsOf: buffer[..<n])
            if bytes.count > limit {
                throw DictDBError(
                    .limitExceeded, "\(path) is larger than \(limit) bytes", context: .init(path: path))
            }
        }
    }
}

/// The configuration an on-disk database records in `dictdb.json`: which plugins its files need (the
/// codec, journal format and sync policy fixed at creation, and the key generators and index kinds its
/// tables use, refreshed at every checkpoint). Reopening with a registry that lacks one of them is a
/// typed error naming it.
struct DirectoryConfiguration: Hashable {
    static let formatName = "dictdb-directory"
    static let version: Int64 = 1

    var codec: String
    var journalFormat: String
    var syncPolicy: String
    /// The key generators the tables use, sorted (as of the last checkpoint).
    var keyGenerators: [String] = []
    /// The index kinds the tables use, sorted (as of the last checkpoint).
    var indexKinds: [String] = []

    var value: Value {
        .object([
            "format": .string(Self.formatName), "version": .int(Self.version), "codec": .string(codec),
            "journalFormat": .string(journalFormat), "syncPolicy": .string(syncPolicy),
            "plugins": .object([
                "keyGenerators": .array(keyGenerators.map(Value.string)),
                "indexKinds": .array(indexKinds.map(Value.string)),
            ]),
        ])
    }

    init(codec: String, journalFormat: String, syncPolicy: String) {
        self.codec = codec
        self.journalFormat = journalFormat
        self.syncPolicy = syncPolicy
    }

    /// The same configuration, naming the plugins `tables` use.
    func naming(pluginsOf tables: ConsistentCut) -> DirectoryConfiguration {
        var copy = self
        copy.keyGenerators = Set(tables.map(\.table.keyGenerator.name)).sorted()
        copy.indexKinds = Set(tables.flatMap { $0.storage.indexes.map(\.definition.kind) }).sorted()
        return copy
    }

    /// Checks that `registry` has every plugin the configuration names.
    /// - Throws: ``DictDBError/Code/unknownPlugin`` naming the first one missing.
    func checkPlugins(in registry: Registry) throws(DictDBError) {
        for name in keyGenerators { _ = try registry.keyGenerator(named: name) }
        for name in indexKinds { _ = try registry.indexKind(named: name) }
    }

    init(_ value: Value, path: String) throws(DictDBError) {
        guard let record = value.objectValue, record["format"] == .string(Self.formatName) else {
            throw DictDBError(
                .unsupportedFormat, "\(path) is not a DictDB database configuration",
                context: .init(path: path, expected: Self.formatName))
        }
        guard record["version"] == .int(Self.version) else {
            throw DictDBError(
                .unsupportedFormat,
                "\(path) has configuration version \(record["version"]); this build reads version 1",
                context: .init(path: path, expected: "1", found: record["version"].description))
        }
        guard let codec = record["codec"].stringValue, let journalFormat = record["journalFormat"].stringValue,
            let syncPolicy = record["syncPolicy"].stringValue
        else {
            throw DictDBError(
                .corrupt, "\(path) lacks codec, journalFormat or syncPolicy", context: .init(path: path))
        }
        self.init(codec: codec, journalFormat: journalFormat, syncPolicy: syncPolicy)
        let plugins = record["plugins"].objectValue ?? Record()
        keyGenerators = (plugins["keyGenerators"].arrayValue ?? []).compactMap(\.stringValue)
        indexKinds = (plugins["indexKinds"].arrayValue ?? []).compactMap(\.stringValue)
    }

    /// Writes the configuration to `directory`'s `dictdb.json`, atomically.
    func write(to directory: DatabaseDirectory) throws(DictDBError) {
        let bytes = text
        try directory.fileSystem.replaceAtomically(directory.configurationPath) { (file) throws(DictDBError) in
            try file.write(bytes)
        }
    }

    /// The file's bytes: pretty enough to read, one JSON object.
    var text: [UInt8] {
        var out = ""
        JSONText.write(value, to: &out)
        return Array((out + "\n").utf8)
    }
}
