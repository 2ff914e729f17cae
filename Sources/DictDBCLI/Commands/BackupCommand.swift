import ArgumentParser
import DictDB

/// `dictdb backup`: create, list and restore compressed, verified backups.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Create, list and restore compressed, verified backups.",
        discussion: """
            Backups live in --dir (default: the database path with '-backups' appended), named by time, \
            generation, journal sequence and codec. Each is read back in full before it counts, and the \
            oldest beyond --keep are pruned.
            """,
        subcommands: [BackupCreateCommand.self, BackupListCommand.self, BackupRestoreCommand.self])
}

/// The `--dir` option of the backup commands.
struct BackupDirectoryOption: ParsableArguments {
    @Option(name: .long, help: "The backup directory (default: <database path>-backups).")
    var dir: String?

    func path(for database: DatabaseOptions, in console: Console) -> String {
        if let dir, !dir.isEmpty { return dir }
        return Self.defaultPath(for: database, in: console)
    }

    /// The database path with `-backups` appended.
    static func defaultPath(for database: DatabaseOptions, in console: Console) -> String {
        var base = database.path(in: console)
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        return base + "-backups"
    }
}

/// `dictdb backup create`.
struct BackupCreateCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Write a verified backup of the database now.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var directory: BackupDirectoryOption

    @Option(name: .long, help: "The backup codec: msgpack+lz4 (default), json+gzip, msgpack, json...")
    var format: String = "msgpack+lz4"

    @Option(name: .long, help: "How many backups to keep (the oldest beyond are pruned).")
    var keep: Int = 10

    func validate() throws {
        guard keep >= 1 else { throw ValidationError("--keep must be at least 1") }
        try DatabaseOptions.check(format, kind: .codec, option: "--format")
    }

    func run(in console: Console) async throws {
        let opened = try database.open(in: console, forWriting: false)
        let target = directory.path(for: database, in: console)
        let success = try await opened.using { (db) async throws -> BackupSuccess in
            var configuration = BackupConfiguration()
            configuration.codec = format
            configuration.interval = nil
            configuration.retention = RetentionPolicy(keepCount: keep)
            let manager = BackupManager(source: db, directory: target, configuration: configuration)
            let bar = ProgressBar(console: console, label: "backing up \(opened.path)")
            bar.update(done: 0, total: nil, records: db.tableNames.reduce(0) { $0 + ((try? db.table($1).count) ?? 0) })
            defer { bar.finish() }
            switch await manager.backupNow(force: true) {
            case .succeeded(let success):
                return success
            case .failed(let failure):
                throw failure.error
            case .skipped(let skip):
                throw CommandFailure(.ioError, "the backup was skipped: nothing changed since \(skip.lastBackup)")
            }
        }
        console.print(
            "backed up \(ProgressBar.grouped(success.records)) records in \(success.tables) tables to "
                + "\(success.path) (\(ProgressBar.grouped(Int(success.bytes))) bytes, verified)")
        if !success.pruned.isEmpty { console.note("pruned \(success.pruned.count) old backups") }
    }
}

/// `dictdb backup list`.
struct BackupListCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the backups, oldest first; --verify reads each back.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var directory: BackupDirectoryOption
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Read every backup back in full and report whether it is intact.")
    var verify = false

    func run(in console: Console) async throws {
        let path = directory.path(for: database, in: console)
        guard try FileKind.of(path) == .directory else {
            throw CommandFailure(.notFound, "no backup directory at \(path)")
        }
        let backups = BackupDirectory(path)
        var rows: [Record] = []
        for backup in try backups.list() {
            var row: Record = [
                "backup": .string(FilePath.fileName(of: backup.path)),
                "taken": .string(UTCTimestamp.formatExtended(backup.timestampMillis)),
                "generation": .int(backup.generation), "sequence": .int(backup.sequence),
                "codec": .string(backup.codec), "bytes": .int(backup.bytes),
            ]
            if verify {
                do {
                    let verification = try backups.verify(backup, registry: .standard)
                    row.setField(
                        "status", to: .string("ok: \(verification.tables) tables, \(verification.records) records"))
                } catch {
                    row.setField("status", to: .string("damaged: \(error.message)"))
                }
            }
            rows.append(row)
        }
        let columns = ["backup", "taken", "generation", "sequence", "codec", "bytes"] + (verify ? ["status"] : [])
        try RowPrinter(console: console, format: output.format).print(columns: columns, records: rows)
    }
}

/// `dictdb backup restore`.
struct BackupRestoreCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a new database directory.",
        discussion: """
            Without a backup name, the newest backup that reads back whole is used (damaged newer ones are \
            reported and passed over). With --until, the newest backup taken at or before that time is used \
            and the live database's journal (--db) is replayed over it up to that time: a point-in-time \
            restore.

            Examples:
              dictdb backup restore --to ./restored
              dictdb backup restore --until 2026-11-27T10:15:00Z --to ./before-the-deploy
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var directory: BackupDirectoryOption

    @Argument(help: "The backup file name (as 'backup list' prints it); default: the newest intact one.")
    var backup: String?

    @Option(name: .long, help: "The new database directory (must not exist).")
    var to: String

    @Option(name: .long, help: "Restore the state at this UTC time (2026-11-27T10:15:00Z), replaying the journal.")
    var until: String?

    func run(in console: Console) async throws {
        let backupPath = directory.path(for: database, in: console)
        guard try FileKind.of(backupPath) == .directory else {
            throw CommandFailure(.notFound, "no backup directory at \(backupPath)")
        }
        guard try FileKind.of(to) == .missing else {
            throw CommandFailure(.usage, "\(to) already exists; restore into a new directory")
        }
        if backup == nil, try BackupDirectory(backupPath).list().isEmpty {
            throw CommandFailure(.notFound, "no backups in \(backupPath) (make one with 'dictdb backup create')")
        }
        if let until {
            guard backup == nil else { throw CommandFailure(.usage, "give a backup name or --until, not both") }
            guard let millis = UTCTimestamp.parse(iso8601: until) else {
                throw CommandFailure(.usage, "--until '\(until)' is not a UTC time like 2026-11-27T10:15:00Z")
            }
            var options = OpenOptions()
            options.syncPolicy = database.sync
            let restored = try Database.restoreBackup(
                from: backupPath, upTo: .time(millis: millis), replayingJournalOf: database.path(in: console),
                into: to, options: options)
            let records = try restored.database.tableNames.reduce(0) { $0 + (try restored.database.table($1).count) }
            try restored.database.close()
            report(restored.skipped, console: console)
            console.print(
                "restored \(FilePath.fileName(of: restored.backup.path)) and \(restored.report.replayedRecords) "
                    + "journal entries up to \(until) into \(to) (\(ProgressBar.grouped(records)) records)")
            return
        }
        let source: Database
        let chosen: String
        if let backup {
            let path = FilePath.join(backupPath, backup)
            guard try FileKind.of(path) == .file else {
                throw CommandFailure(.notFound, "no backup \(backup) in \(backupPath)")
            }
            source = try Database.load(from: path)
            chosen = backup
        } else {
            let restored = try Database.restoreNewestBackup(in: backupPath)
            report(restored.skipped, console: console)
            source = restored.database
            chosen = FilePath.fileName(of: restored.backup.path)
        }
        var options = OpenOptions()
        options.codec = database.codec
        options.syncPolicy = database.sync
        let target = try Database.open(at: to, options: options)
        var records = 0
        do {
            for name in source.tableNames { records += try target.copyTable(try source.table(name)).count }
            try target.close()
        } catch {
            // The directory was new: leave nothing half-restored behind.
            try? target.close()
            FileKind.removeDirectory(to)
            throw error
        }
        console.print(
            "restored \(chosen) into \(to) (\(source.tableNames.count) tables, \(ProgressBar.grouped(records)) records)"
        )
    }

    private func report(_ skipped: [SkippedBackup], console: Console) {
        for item in skipped { console.note("skipped damaged backup \(item.backup.name): \(item.error.message)") }
    }
}
