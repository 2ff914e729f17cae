import ArgumentParser
import DictDB

/// `dictdb load`: copies the tables of a snapshot file into the database.
struct LoadCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Copy the tables of a snapshot or backup file into the database (created if missing).",
        discussion: """
            The snapshot's codec is detected from its header (--codec only for files without one). Each table \
            keeps its primary key, key generator state, schema and indexes. A table that already exists is an \
            error unless --replace is given, which drops it first.

            Example: dictdb load backups/dictdb-20261127T101500Z-g3-s120.json.gz --db ./restored
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The snapshot file.")
    var snapshot: String

    @Option(name: .long, parsing: .upToNextOption, help: "Only these tables.")
    var tables: [String] = []

    @Flag(name: .long, help: "Replace tables that already exist.")
    var replace = false

    func run(in console: Console) async throws {
        guard try FileKind.of(snapshot) == .file else {
            throw CommandFailure(.notFound, "no snapshot file at \(snapshot)")
        }
        let source = try Database.load(from: snapshot, codec: database.codec)
        let names = tables.isEmpty ? source.tableNames : tables
        for name in names where !source.hasTable(name) {
            throw CommandFailure(
                .notFound,
                "\(snapshot) has no table '\(name)' (it has: \(source.tableNames.joined(separator: ", ")))")
        }
        let opened = try database.open(in: console, forWriting: true, create: true)
        let copied = try await opened.using { (db) async throws -> Int in
            if !replace {
                let existing = names.filter { db.hasTable($0) }
                if !existing.isEmpty {
                    throw CommandFailure(
                        .queryError,
                        "the database already has \(existing.joined(separator: ", ")); add --replace to overwrite")
                }
            }
            var records = 0
            for name in names {
                if db.hasTable(name) { try db.dropTable(name) }
                records += try db.copyTable(try source.table(name)).count
            }
            return records
        }
        console.print(
            "loaded \(names.count) \(names.count == 1 ? "table" : "tables") (\(ProgressBar.grouped(copied)) records) "
                + "from \(snapshot) into \(database.path(in: console))")
    }
}
