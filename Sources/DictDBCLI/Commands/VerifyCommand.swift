import ArgumentParser
import DictDB

/// `dictdb verify`: checks a snapshot file or a database directory without changing it.
struct VerifyCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a snapshot file or a database directory, changing nothing, and report.",
        discussion: """
            A snapshot (or backup) file is read in full: header, every table, the checksum at the end. A \
            database directory is copied to a temporary directory and recovered there exactly as an open \
            would: the snapshot, then the journal, which may end in a torn (unfinished) write that recovery \
            cuts, or hold damage that recovery refuses. Indexes are rebuilt from the records, so a unique index \
            that the records break is reported too. Exit status 0 when it is intact (a torn tail is reported, not an error), 4 when damaged.
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The file or directory to check (default: the database).")
    var path: String?

    func run(in console: Console) async throws {
        let target = path ?? database.path(in: console)
        switch try FileKind.of(target) {
        case .missing:
            throw CommandFailure(.notFound, "nothing at \(target)")
        case .file:
            let loaded = try Database.load(from: target, codec: database.codec)
            let records = try Self.checkTables(of: loaded)
            console.print(
                "\(target): ok (snapshot, \(loaded.tableNames.count) tables, \(ProgressBar.grouped(records)) records)")
        case .directory:
            try verifyDirectory(target, console: console)
        }
    }

    private func verifyDirectory(_ target: String, console: Console) throws {
        let fileSystem = PosixFileSystem()
        guard try fileSystem.fileSize(FilePath.join(target, "dictdb.json")) != nil else {
            throw CommandFailure(.notFound, "\(target) is not a DictDB database (it has no dictdb.json)")
        }
        let scratch = try Self.makeScratchDirectory()
        defer { FileKind.removeDirectory(scratch) }
        // Hold the database's lock while copying, when it is free, so the copy is one moment's state.
        let lock = try? fileSystem.lockExclusively(FilePath.join(target, "dictdb.lock"))
        if lock == nil { console.note("note: \(target) is open elsewhere; checking its files as they are now") }
        do {
            for name in try fileSystem.contentsOfDirectory(target) where name != "dictdb.lock" {
                let source = FilePath.join(target, name)
                if try FileKind.of(source) == .file {
                    try fileSystem.copyFile(source, to: FilePath.join(scratch, name))
                }
            }
        } catch {
            lock?.release()
            throw error
        }
        lock?.release()

        var options = OpenOptions()
        options.createIfMissing = false
        // A verify must not trigger a checkpoint in the copy: that would hide what the files hold.
        options.checkpointMinimumBytes = .max
        let db: Database
        let records: Int
        do {
            db = try Database.open(at: scratch, options: options)
            records = try Self.checkTables(of: db)
        } catch let error as DictDBError {
            throw Self.naming(target, insteadOf: scratch, in: error)
        }
        defer { try? db.close(checkpointing: false) }
        let report = db.openReport
        var lines = ["\(target): ok (\(db.tableNames.count) tables, \(ProgressBar.grouped(records)) records)"]
        if let report {
            lines.append("  snapshot: \(report.snapshot.map { FilePath.fileName(of: $0) } ?? "none (new database)")")
            for skipped in report.skippedSnapshots { lines.append("  skipped unreadable snapshot: \(skipped)") }
            lines.append("  journal: \(report.replayedRecords) entries replayed, last sequence \(report.lastSequence)")
            if let torn = report.tornTail {
                lines.append(
                    "  torn tail: \(torn.bytes) bytes at offset \(torn.offset) of \(FilePath.fileName(of: torn.journal)) "
                        + "(\(torn.reason)); an unfinished write that the next open cuts")
            }
        }
        for line in lines { console.print(line) }
    }

    /// Reads every record of every table (a load has already rebuilt the indexes and checked unique ones).
    static func checkTables(of db: Database) throws -> Int {
        var total = 0
        for name in db.tableNames { total += try db.table(name).allRecords().count }
        return total
    }

    /// The error with the scratch copy's path replaced by the database's own, so it names the files checked.
    static func naming(_ target: String, insteadOf scratch: String, in error: DictDBError) -> DictDBError {
        var error = error
        error.message = error.message.replacing(scratch, with: target)
        error.context.path = error.context.path?.replacing(scratch, with: target)
        return error
    }

    static func makeScratchDirectory() throws -> String {
        let base = ProcessEnvironment.current["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let path = FilePath.join(base, "dictdb-verify-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))")
        try PosixFileSystem().createDirectory(path)
        return path
    }
}
