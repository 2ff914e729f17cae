import ArgumentParser
import DictDB

/// `dictdb compact`: folds the journal into a new snapshot.
struct CompactCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Write a new snapshot of the database and start an empty journal (a checkpoint).",
        discussion: """
            The database does this by itself when the journal outgrows max(4 MiB, 2 x the snapshot); compact \
            does it now, so the directory holds one snapshot and an empty journal.
            """)

    @OptionGroup var database: DatabaseOptions

    func run(in console: Console) async throws {
        let opened = try database.open(in: console, forWriting: true)
        let path = opened.path
        let (before, info) = try await opened.using { (db) async throws -> (Int64, SnapshotInfo) in
            let before = try Self.directoryBytes(path)
            return (before, try db.checkpoint())
        }
        let after = try Self.directoryBytes(path)
        console.print(
            "compacted \(path): snapshot of \(ProgressBar.grouped(info.records)) records in \(info.tables) tables "
                + "(\(ProgressBar.grouped(Int(info.bytes))) bytes); directory \(ProgressBar.grouped(Int(before))) -> "
                + "\(ProgressBar.grouped(Int(after))) bytes")
    }

    /// The bytes of the files directly in `path`.
    static func directoryBytes(_ path: String) throws(DictDBError) -> Int64 {
        let fileSystem = PosixFileSystem()
        var total: Int64 = 0
        for name in try fileSystem.contentsOfDirectory(path) {
            total += (try fileSystem.fileSize(FilePath.join(path, name))) ?? 0
        }
        return total
    }
}
