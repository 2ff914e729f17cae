import Foundation
import GRDB

/// SQLite in a file through GRDB's fast path (W7): WAL journal mode, `PRAGMA synchronous` FULL, NORMAL or
/// OFF, no explicit transaction (SQLite commits each insert on its own), one prepared statement.
///
/// In WAL mode FULL syncs the WAL at every commit; NORMAL syncs it only at checkpoints (every 1,000 pages
/// by default), so a commit survives a crash of the process but maybe not a power loss; OFF never syncs.
struct DurableSQLite: DurableContender {
    /// The `PRAGMA synchronous` level.
    enum Synchronous: String, Sendable {
        case full = "FULL"
        case normal = "NORMAL"
        case off = "OFF"

        /// What `PRAGMA synchronous` reads back.
        var pragmaValue: Int {
            switch self {
            case .full: return 2
            case .normal: return 1
            case .off: return 0
            }
        }
    }

    var synchronous: Synchronous

    var name: String { "SQLite \(synchronous.rawValue)" }
    var setting: String { "file, WAL, synchronous = \(synchronous.rawValue), autocommit" }

    func open(in directory: String) throws -> any DurableSession {
        try DurableSQLiteSession(directory: directory, synchronous: synchronous)
    }

    /// The file name inside a W7 directory.
    static let fileName = "bench.sqlite"
    static let insertSQL = "INSERT INTO employees (name, age, dept, salary, email) VALUES (?, ?, ?, ?, ?)"
    static let createSQL = """
        CREATE TABLE employees (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            age INTEGER NOT NULL,
            dept TEXT NOT NULL,
            salary REAL NOT NULL,
            email TEXT NOT NULL
        )
        """

    /// W7's recovery row, for reference: inserts every row in one transaction into a WAL database with
    /// `wal_autocheckpoint = 0`, copies its files while it is open (a crash image: the rows are in the WAL
    /// only), then times opening the copy (SQLite rebuilds its WAL index from the WAL) and
    /// `SELECT COUNT(*)`. Closing is untimed.
    static func timeRecovery(of records: [EmployeeRow], in directory: String) throws -> RecoveryOutcome {
        let source = "\(directory)/source"
        let image = "\(directory)/image"
        let files = FileManager.default
        try files.createDirectory(atPath: source, withIntermediateDirectories: true)
        try files.createDirectory(atPath: image, withIntermediateDirectories: true)
        let queue = try openQueue(in: source, synchronous: .off)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            try db.execute(sql: createSQL)
            try db.inTransaction {
                let statement = try db.makeStatement(sql: insertSQL)
                for row in records {
                    try statement.execute(arguments: [row.name, row.age, row.dept, row.salary, row.email])
                }
                return .commit
            }
        }
        // Copied while the connection is open: closing checkpoints the WAL into the database file.
        for suffix in ["", "-wal"] {
            try files.copyItem(atPath: "\(source)/\(fileName)\(suffix)", toPath: "\(image)/\(fileName)\(suffix)")
        }
        try queue.close()
        let walBytes = (try? files.attributesOfItem(atPath: "\(image)/\(fileName)-wal")[.size] as? Int) ?? 0
        let timed = try Stopwatch.time { () throws -> (DatabaseQueue, Int) in
            let reopened = try openQueue(in: image, synchronous: .off)
            let count = try reopened.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM employees") ?? 0 }
            return (reopened, count)
        }
        try timed.result.0.close()
        return RecoveryOutcome(
            seconds: timed.seconds, reportedSeconds: nil, replayed: nil, logBytes: walBytes, count: timed.result.1)
    }

    /// Opens (or creates) the WAL database in `directory` and sets `synchronous`. GRDB sets
    /// `synchronous = NORMAL` when it turns WAL on, after `prepareDatabase`, so the level is set afterwards
    /// on the queue's one connection.
    static func openQueue(in directory: String, synchronous: Synchronous) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.journalMode = .wal
        let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)") }
        return queue
    }
}

/// An open SQLite file database with its `employees` table.
///
/// `Sendable`: `DatabaseQueue` serializes every access to its one connection.
final class DurableSQLiteSession: DurableSession {
    private let queue: DatabaseQueue
    private let synchronous: DurableSQLite.Synchronous

    init(directory: String, synchronous: DurableSQLite.Synchronous) throws {
        self.synchronous = synchronous
        queue = try DurableSQLite.openQueue(in: directory, synchronous: synchronous)
        try queue.writeWithoutTransaction { db in try db.execute(sql: DurableSQLite.createSQL) }
    }

    func insertEach(_ records: ArraySlice<EmployeeRow>, concurrently: Bool) throws {
        if concurrently {
            // Each insert takes the queue on its own, so the threads' inserts interleave as their commits
            // would with any SQLite connection (one writer at a time).
            for row in records {
                try queue.writeWithoutTransaction { db in
                    try db.cachedStatement(sql: DurableSQLite.insertSQL)
                        .execute(arguments: [row.name, row.age, row.dept, row.salary, row.email])
                }
            }
        } else {
            try queue.writeWithoutTransaction { db in
                let statement = try db.makeStatement(sql: DurableSQLite.insertSQL)
                for row in records {
                    try statement.execute(arguments: [row.name, row.age, row.dept, row.salary, row.email])
                }
            }
        }
    }

    func configurationProblem() throws -> String? {
        let (mode, level) = try queue.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "?",
                try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            )
        }
        if mode.lowercased() != "wal" { return "journal_mode is \(mode), not wal" }
        if level != synchronous.pragmaValue {
            return "synchronous is \(level), not \(synchronous.pragmaValue) (\(synchronous.rawValue))"
        }
        return nil
    }

    func recordCount() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM employees") ?? 0 }
    }

    func close() throws { try queue.close() }
}
