import Foundation
import GRDB

/// SQLite for W9: a `DatabasePool` (WAL, GRDB's default `synchronous = NORMAL`, so a commit does not wait
/// for the disk; a 5 s busy timeout) on a file database in a new folder, with indexes on dept and salary.
///
/// GRDB fast path, as in W2 and W7: the writer holds the pool's writer connection and runs one prepared
/// `UPDATE ... WHERE id = ?` per write, each its own transaction (autocommit), so every write is committed
/// when it returns; each reader holds one of the pool's reader connections (`unsafeRead`: no transaction
/// around the loop, so each lookup sees the latest commit and never holds a WAL snapshot) and runs one
/// prepared `SELECT ... WHERE id = ?` per read, rows decoded by column index.
struct ConcurrentSQLite: ConcurrentContender {
    var name: String { "SQLite" }
    var setting: String {
        "DatabasePool on a file, WAL, synchronous = NORMAL, busy timeout 5 s, indexes on dept and salary; the writer runs one prepared "
            + "UPDATE per write (autocommit) on the writer connection, each reader one prepared SELECT per read on "
            + "a reader connection (unsafeRead: no transaction around the loop)"
    }

    func open(in directory: String, loading records: [EmployeeRow]) throws -> any ConcurrentSession {
        try ConcurrentSQLiteSession(directory: directory, loading: records)
    }
}

/// An open SQLite `DatabasePool` loaded with the workload.
///
/// `Sendable`: `DatabasePool` serializes its writes and hands each read its own connection.
final class ConcurrentSQLiteSession: ConcurrentSession {
    private let pool: DatabasePool
    private let records: Int

    private static let selectSQL = "SELECT id, name, age, dept, salary, email FROM employees WHERE id = ?"

    init(directory: String, loading rows: [EmployeeRow]) throws {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(DurableSQLite.fileName).path
        var configuration = Configuration()
        // The writer's commits and checkpoints and the readers' short read transactions contend for the
        // WAL index's locks; without a busy timeout SQLite reports that as SQLITE_BUSY (seen here about
        // once a minute) instead of waiting, as a program sharing a pool between threads would configure.
        configuration.busyMode = .timeout(5)
        pool = try DatabasePool(path: path, configuration: configuration)
        records = rows.count
        try pool.write { db in
            try db.execute(sql: DurableSQLite.createSQL)
            for field in ["dept", "salary"] {
                try db.execute(sql: "CREATE INDEX employees_\(field) ON employees(\(field))")
            }
            let statement = try db.makeStatement(sql: DurableSQLite.insertSQL)
            for row in rows {
                try statement.execute(arguments: [row.name, row.age, row.dept, row.salary, row.email])
            }
        }
    }

    func write(seed: UInt64, for duration: Duration) throws -> WriterTally {
        let records = records
        return try pool.writeWithoutTransaction { db in
            let statement = try db.makeStatement(sql: "UPDATE employees SET salary = ? WHERE id = ?")
            return try WriterTally.measure(seed: seed, records: records, for: duration) { id, salary in
                statement.setUncheckedArguments([salary, id])
                try statement.execute()
                return db.changesCount == 1
            }
        }
    }

    func read(_ keys: [Int], from start: Int, for duration: Duration) throws -> ReaderTally {
        try pool.unsafeRead { db in
            let statement = try db.makeStatement(sql: Self.selectSQL)
            return try ReaderTally.measure(keys, from: start, for: duration) { id in
                statement.setUncheckedArguments([id])
                return try Employee.fetchOne(statement)
            }
        }
    }

    func salaries(of ids: [Int]) throws -> [Double?] {
        try pool.read { db in
            let statement = try db.makeStatement(sql: "SELECT salary FROM employees WHERE id = ?")
            return try ids.map { id in
                statement.setUncheckedArguments([id])
                return try Double.fetchOne(statement)
            }
        }
    }

    func keys(withSalary salary: Double) throws -> [Int] {
        try pool.read { db in
            try Int.fetchAll(
                db, sql: "SELECT id FROM employees INDEXED BY employees_salary WHERE salary = ?", arguments: [salary])
        }
    }

    func count(salaryFrom low: Double, to high: Double) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM employees INDEXED BY employees_salary WHERE salary BETWEEN ? AND ?",
                arguments: [low, high]) ?? 0
        }
    }

    func recordCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM employees") ?? 0 }
    }

    func configurationProblem() throws -> String? {
        let mode = try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "?" }
        return mode.lowercased() == "wal" ? nil : "journal_mode is \(mode), not wal"
    }

    func close() throws { try pool.close() }
}
