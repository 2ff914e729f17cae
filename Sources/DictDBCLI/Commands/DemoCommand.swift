import ArgumentParser
import DictDB

/// `dictdb demo`: builds a sample on-disk database and walks through what DictDB does.
struct DemoCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a sample on-disk database and tour it: indexed queries, a transaction, a backup, a restore.",
        discussion: """
            The database goes to --db (default: $DICTDB_PATH, else ./dictdb-data) and its backups beside it \
            (<path>-backups). The demo only writes to a path that is new or that an earlier demo made (it \
            leaves a .dictdb-demo marker), and rebuilds it there each run. Explore the result afterwards with \
            'dictdb tables', 'dictdb query' and 'dictdb repl'.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "How many staff records to generate.")
    var records: Int = 2_000

    func validate() throws {
        guard (1...1_000_000).contains(records) else { throw ValidationError("--records must be 1...1000000") }
    }

    static let marker = ".dictdb-demo"

    func run(in console: Console) async throws {
        let path = database.path(in: console)
        let backups = BackupDirectoryOption.defaultPath(for: database, in: console)
        try prepare(path, backups: backups)
        let tour = DemoTour(console: console, path: path, backups: backups, records: records, sync: database.sync)
        try await tour.run()
    }

    /// Makes `path` ready: new, or an earlier demo's database (removed and made again).
    private func prepare(_ path: String, backups: String) throws {
        let fileSystem = PosixFileSystem()
        switch try FileKind.of(path) {
        case .missing:
            break
        case .file:
            throw CommandFailure(.usage, "\(path) is a file; run the demo with --db <a new directory>")
        case .directory:
            let contents = try fileSystem.contentsOfDirectory(path)
            if contents.isEmpty { break }
            guard contents.contains(Self.marker) else {
                throw CommandFailure(
                    .usage,
                    "\(path) holds something the demo did not make; run it with --db <a new directory>")
            }
            FileKind.removeDirectory(path)
            if try FileKind.of(path) != .missing {
                throw CommandFailure(.ioError, "could not clear the earlier demo database at \(path)")
            }
        }
        if try FileKind.of(backups) == .directory {
            let names = try fileSystem.contentsOfDirectory(backups)
            let foreign = names.filter { BackupFileName(parsing: $0) == nil && $0 != Self.marker }
            if !names.isEmpty && !names.contains(Self.marker) || !foreign.isEmpty {
                throw CommandFailure(
                    .usage, "\(backups) holds files the demo did not make; run it with --db <a new directory>")
            }
        }
    }
}
