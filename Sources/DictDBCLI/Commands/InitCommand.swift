import ArgumentParser
import DictDB

/// `dictdb init`: creates an on-disk database directory.
struct InitCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an on-disk database (a directory with dictdb.json, a snapshot and a journal).",
        discussion: """
            The codec (--codec, default msgpack) and sync policy (--sync, default always) are recorded in \
            dictdb.json and used by every later open. An existing database is left as it is: init fails. \
            With --config, the database is made as the file describes it, tables and indexes included.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Journal format: binary (compact) or ndjson (readable with tail -f and jq).")
    var journal: String?

    func validate() throws {
        if let journal, journal != "binary" && journal != "ndjson" {
            throw ValidationError("--journal must be binary or ndjson, not '\(journal)'")
        }
    }

    func run(in console: Console) async throws {
        let path = database.path(in: console)
        if try FileKind.of(path) != .missing {
            let isDatabase = try FileKind.of(FilePath.join(path, "dictdb.json")) == .file
            throw CommandFailure(
                .usage,
                isDatabase
                    ? "\(path) already holds a database"
                    : "\(path) already exists and is not a database; choose a new path")
        }
        var options = OpenOptions()
        options.codec = database.codec
        options.syncPolicy = database.sync
        options.journalFormat = journal
        let opened =
            try database.configuration().map { (configuration) throws(DictDBError) in
                try Database.open(at: path, configuration: configuration, registry: .standard, options: options)
            } ?? Database.open(at: path, options: options)
        let status = opened.journalStatus
        try opened.close()
        console.print(
            "created database \(path) (codec \(status?.codec ?? "msgpack"), journal \(status?.journalFormat ?? "binary"), "
                + "sync \(status?.syncPolicy ?? "always"))")
    }
}
