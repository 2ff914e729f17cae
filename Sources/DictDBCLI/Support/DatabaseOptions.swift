import ArgumentParser
import DictDB

/// The options every command that touches a database takes: where it is and how to open it.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The database: a directory made by 'dictdb init', or a snapshot file (read-only).",
            discussion: "Default: $DICTDB_PATH, else ./dictdb-data.", valueName: "path"))
    var db: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Snapshot codec: json, msgpack, and either with +gzip or +lz4 (for init, and to read a snapshot file).",
            valueName: "name"))
    var codec: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Sync policy for this run: always, batch or os (init records it).", valueName: "policy"))
    var sync: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A JSON configuration: codec, compressor, journal format, sync policy, tables and indexes to create.",
            discussion: "--codec and --sync win over what it says.", valueName: "file"))
    var config: String?

    func validate() throws {
        if db?.isEmpty == true { throw ValidationError("--db needs a path") }
        if let codec { try Self.check(codec, kind: .codec, option: "--codec") }
        if let sync { try Self.check(sync, kind: .syncPolicy, option: "--sync") }
    }

    /// Refuses a plugin name the built-in registry lacks, as a usage error listing the registered names.
    static func check(_ name: String, kind: Registry.PluginKind, option: String) throws {
        let registry = Registry.standard
        let known: Bool
        switch kind {
        case .codec: known = (try? registry.codec(named: name)) != nil
        default: known = registry.names(of: kind).contains(name)
        }
        if !known {
            throw ValidationError(
                "\(option) '\(name)' is not a registered \(kind.rawValue) (registered: "
                    + registry.names(of: kind).joined(separator: ", ") + ")")
        }
    }

    /// The database path: `--db`, else `$DICTDB_PATH`, else `./dictdb-data`.
    func path(in console: Console) -> String {
        if let db, !db.isEmpty { return db }
        if let path = console.environment["DICTDB_PATH"], !path.isEmpty { return path }
        return DatabaseOptions.defaultPath
    }

    /// The configuration `--config` names, read and checked against the built-in plugins, or `nil`.
    func configuration() throws -> Configuration? {
        guard let config else { return nil }
        guard try FileKind.of(config) == .file else {
            throw CommandFailure(.notFound, "no configuration file at \(config)")
        }
        let configuration = try Configuration.load(from: config)
        try configuration.validate(against: .standard)
        return configuration
    }

    /// The path used when neither `--db` nor `DICTDB_PATH` is given.
    static let defaultPath = "dictdb-data"

    /// Opens the database at ``path(in:)``.
    ///
    /// A directory holding `dictdb.json` opens as an on-disk database; a regular file loads as a snapshot,
    /// which only read-only commands accept. Nothing at the path is ``ExitStatus/notFound`` (unless
    /// `create` is set, for `dictdb init`).
    func open(in console: Console, forWriting: Bool, create: Bool = false) throws -> OpenedDatabase {
        let path = path(in: console)
        let fileSystem = PosixFileSystem()
        switch try FileKind.of(path) {
        case .missing:
            guard create else {
                throw CommandFailure(.notFound, "no database at \(path) (create one with 'dictdb init --db \(path)')")
            }
        case .file:
            guard !forWriting else {
                throw CommandFailure(
                    .usage,
                    "\(path) is a snapshot file, which is read-only here; "
                        + "load it into a database directory with 'dictdb load \(path)'")
            }
            let database = try Database.load(from: path, codec: codec)
            return OpenedDatabase(database: database, path: path, isSnapshot: true)
        case .directory:
            let configuration = FilePath.join(path, "dictdb.json")
            if !create, try fileSystem.fileSize(configuration) == nil {
                throw CommandFailure(
                    .notFound, "\(path) is not a DictDB database (it has no dictdb.json; 'dictdb init' makes one)")
            }
        }
        var options = OpenOptions()
        options.createIfMissing = create
        options.codec = codec
        options.syncPolicy = sync
        let database =
            try configuration().map { (configuration) throws(DictDBError) in
                try Database.open(at: path, configuration: configuration, registry: .standard, options: options)
            } ?? Database.open(at: path, options: options)
        return OpenedDatabase(database: database, path: path, isSnapshot: false)
    }
}

/// A database a command opened, closed by ``close()`` whatever happened.
final class OpenedDatabase {
    /// The database.
    let database: Database
    /// Where it is.
    let path: String
    /// Whether it was loaded from a snapshot file (read-only for the command line).
    let isSnapshot: Bool
    private var closed = false

    init(database: Database, path: String, isSnapshot: Bool) {
        self.database = database
        self.path = path
        self.isSnapshot = isSnapshot
    }

    /// Closes an on-disk database, syncing its journal but not checkpointing: a command stays quick however
    /// large the database, and the journal keeps serving point-in-time restores until the automatic
    /// checkpoint (or `dictdb compact`) folds it into a snapshot. A snapshot file needs nothing.
    func close() throws(DictDBError) {
        guard !closed else { return }
        closed = true
        if !isSnapshot { try database.close(checkpointing: false) }
    }

    /// Runs `body`, then closes the database; an error from `body` wins over one from closing.
    func using<T>(_ body: (Database) async throws -> T) async throws -> T {
        let result: T
        do {
            result = try await body(database)
        } catch {
            try? close()
            throw error
        }
        try close()
        return result
    }

    deinit { try? close() }
}
