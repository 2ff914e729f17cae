import Foundation
import GRDB

/// SQLite in memory through GRDB's fast path: prepared statements reused across operations, arguments
/// bound without re-validation, and rows decoded by column index into ``Employee`` (no Codable, no
/// dictionary). This is the peer of every goal; idiomatic GRDB (Codable records, `fetchOne(db, key:)`) is
/// 2-10x slower.
final class SQLiteContender: Contender {
    /// How W1's inserts are committed.
    enum CommitMode {
        /// All inserts in one transaction (the peer of the W1 goal).
        case oneTransaction
        /// No explicit transaction: SQLite commits each insert on its own.
        case autocommit
    }

    let name: String
    private let commitMode: CommitMode
    /// Whether ``reset()`` creates the secondary indexes.
    private let indexed: Bool
    private var queue: DatabaseQueue
    /// Whether the table holds exactly the workload's records, unchanged (after a complete
    /// ``insertAll(_:)``).
    private var holdsWorkload = false

    private static let insertSQL = "INSERT INTO employees (name, age, dept, salary, email) VALUES (?, ?, ?, ?, ?)"
    private static let selectColumns = "SELECT id, name, age, dept, salary, email FROM employees"
    /// The `FROM ... WHERE` clause that lists the table's secondary indexes (SQLite's automatic ones have no
    /// `sql`).
    fileprivate static let secondaryIndexes =
        "FROM sqlite_master WHERE type = 'index' AND tbl_name = 'employees' AND sql IS NOT NULL"
    /// The fields the benchmark indexes; index names are `employees_<field>`.
    private static let indexableFields: Set<String> = ["dept", "salary"]

    /// A contender with the indexes on dept and salary (`indexed`) or none.
    init(commitMode: CommitMode, indexed: Bool = true) throws {
        self.commitMode = commitMode
        self.indexed = indexed
        switch (commitMode, indexed) {
        case (.oneTransaction, true): name = "SQLite"
        case (.oneTransaction, false): name = "SQLite (no indexes)"
        case (.autocommit, true): name = "SQLite autocommit"
        case (.autocommit, false): name = "SQLite autocommit (no indexes)"
        }
        self.queue = try Self.makeEmptyDatabase(indexed: indexed)
    }

    func reset() throws {
        queue = try Self.makeEmptyDatabase(indexed: indexed)
        holdsWorkload = false
    }

    func ensureLoaded(_ workload: Workload) throws {
        if holdsWorkload, try recordCount() == workload.records.count { return }
        try reset()
        try insertAll(workload.records)
    }

    func recordCount() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM employees") ?? 0 }
    }

    func insertAll(_ records: [EmployeeRow]) throws {
        try queue.writeWithoutTransaction { db in
            let statement = try db.makeStatement(sql: Self.insertSQL)
            let insertEach = {
                for row in records {
                    try statement.execute(arguments: [row.name, row.age, row.dept, row.salary, row.email])
                }
            }
            switch commitMode {
            case .oneTransaction:
                try db.inTransaction {
                    try insertEach()
                    return .commit
                }
            case .autocommit:
                try insertEach()
            }
        }
        holdsWorkload = true
    }

    func lookUp(_ ids: [Int]) throws -> Int {
        try queue.read { db in
            let statement = try db.makeStatement(sql: "\(Self.selectColumns) WHERE id = ?")
            var sum = 0
            for id in ids {
                statement.setUncheckedArguments([id])
                guard let employee = try Employee.fetchOne(statement) else { continue }
                sum &+= employee.checksum
            }
            return sum
        }
    }

    func selectByDept(_ depts: [String]) throws -> Int {
        try queue.read { db in
            let statement = try db.makeStatement(sql: "\(Self.selectColumns) WHERE dept = ?")
            var total = 0
            for dept in depts {
                statement.setUncheckedArguments([dept])
                let employees = try Employee.fetchAll(statement)
                total += employees.count { $0.dept == dept }
            }
            return total
        }
    }

    func selectBySalary(lows: [Double], width: Double) throws -> Int {
        try queue.read { db in
            let statement = try db.makeStatement(sql: "\(Self.selectColumns) WHERE salary BETWEEN ? AND ?")
            var total = 0
            for low in lows {
                let high = low + width
                statement.setUncheckedArguments([low, high])
                let employees = try Employee.fetchAll(statement)
                total += employees.count { $0.salary >= low && $0.salary <= high }
            }
            return total
        }
    }

    func createIndex(on field: String) throws {
        guard Self.indexableFields.contains(field) else { throw UnsupportedIndex(field: field) }
        try queue.write { db in try db.execute(sql: "CREATE INDEX employees_\(field) ON employees(\(field))") }
    }

    func dropIndexes() throws {
        try queue.write { db in
            let names = try String.fetchAll(db, sql: "SELECT name \(Self.secondaryIndexes)")
            for name in names { try db.execute(sql: "DROP INDEX \(name)") }
        }
    }

    func indexEntries(on field: String) throws -> Int? {
        guard Self.indexableFields.contains(field) else { return nil }
        return try queue.read { db in
            let exists = try Bool.fetchOne(
                db, sql: "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'index' AND name = ?",
                arguments: ["employees_\(field)"])
            guard exists == true else { return nil }
            // INDEXED BY makes SQLite read the count from that index, or fail.
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM employees INDEXED BY employees_\(field)")
        }
    }

    func updateSalaries(_ updates: [SalaryUpdate]) throws -> Int {
        holdsWorkload = false
        return try queue.write { db in
            let statement = try db.makeStatement(sql: "UPDATE employees SET salary = ? WHERE id = ?")
            var updated = 0
            for update in updates {
                statement.setUncheckedArguments([update.salary, update.id])
                try statement.execute()
                updated += db.changesCount
            }
            return updated
        }
    }

    func delete(_ ids: [Int]) throws -> Int {
        holdsWorkload = false
        return try queue.write { db in
            let statement = try db.makeStatement(sql: "DELETE FROM employees WHERE id = ?")
            var deleted = 0
            for id in ids {
                statement.setUncheckedArguments([id])
                try statement.execute()
                deleted += db.changesCount
            }
            return deleted
        }
    }

    func saveSnapshot(_ format: SnapshotFormat, to path: String) throws -> SavedSnapshot {
        switch format {
        case .sqliteFile:
            let records = try recordCount()
            try queue.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            return SavedSnapshot(records: records, bytes: size)
        case .jsonEncoder:
            let employees = try queue.read { db in try Employee.fetchAll(db, sql: Self.selectColumns) }
            let data = try JSONEncoder().encode(employees)
            try data.write(to: URL(fileURLWithPath: path))
            return SavedSnapshot(records: employees.count, bytes: data.count)
        case .codec:
            throw UnsupportedFormat(contender: name, format: format)
        }
    }

    func loadSnapshot(_ format: SnapshotFormat, from path: String) throws -> any LoadedSnapshot {
        switch format {
        case .sqliteFile:
            let file = try DatabaseQueue(path: path)
            let employees = try file.read { db in
                try Employee.fetchAll(db.makeStatement(sql: Self.selectColumns))
            }
            return LoadedRows(employees: employees, file: file)
        case .jsonEncoder:
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return LoadedRows(employees: try JSONDecoder().decode([Employee].self, from: data), file: nil)
        case .codec:
            throw UnsupportedFormat(contender: name, format: format)
        }
    }

    /// A new `:memory:` database with the `employees` table, and indexes on dept and salary when
    /// `indexed`. `id` is an `INTEGER PRIMARY KEY` (the rowid), SQLite's own auto-increment key.
    private static func makeEmptyDatabase(indexed: Bool) throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE employees (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        age INTEGER NOT NULL,
                        dept TEXT NOT NULL,
                        salary REAL NOT NULL,
                        email TEXT NOT NULL
                    )
                    """)
            if indexed {
                for field in ["dept", "salary"] {
                    try db.execute(sql: "CREATE INDEX employees_\(field) ON employees(\(field))")
                }
            }
        }
        return queue
    }
}

/// Rows read back by W6 from SQLite's file or from JSON, checked after the timed load.
private struct LoadedRows: LoadedSnapshot {
    var employees: [Employee]
    /// The database file opened, for counting its indexes; `nil` for JSON.
    var file: DatabaseQueue?

    func contents() throws -> SnapshotContents {
        let checksum = employees.reduce(0) { $0 &+ $1.checksum }
        let indexes = try file?.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) \(SQLiteContender.secondaryIndexes)") ?? 0
        }
        return SnapshotContents(records: employees.count, checksum: checksum, indexes: indexes)
    }
}

extension Employee: FetchableRecord {
    /// Decodes the columns of ``SQLiteContender``'s selects by index, reading straight from the statement.
    init(row: Row) throws {
        id = row[0]
        name = row[1]
        age = row[2]
        dept = row[3]
        salary = row[4]
        email = row[5]
    }
}
