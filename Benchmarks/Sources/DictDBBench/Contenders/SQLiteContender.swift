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
    private var queue: DatabaseQueue
    /// Whether the table holds exactly the workload's records (after a complete ``insertAll(_:)``).
    private var holdsWorkload = false

    private static let insertSQL = "INSERT INTO employees (name, age, dept, salary, email) VALUES (?, ?, ?, ?, ?)"
    private static let selectColumns = "SELECT id, name, age, dept, salary, email FROM employees"

    init(commitMode: CommitMode) throws {
        self.commitMode = commitMode
        self.name = commitMode == .oneTransaction ? "SQLite" : "SQLite autocommit"
        self.queue = try Self.makeEmptyDatabase()
    }

    func reset() throws {
        queue = try Self.makeEmptyDatabase()
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

    /// A new `:memory:` database with the `employees` table and indexes on dept and salary. `id` is an
    /// `INTEGER PRIMARY KEY` (the rowid), SQLite's own auto-increment key.
    private static func makeEmptyDatabase() throws -> DatabaseQueue {
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
                    );
                    CREATE INDEX employees_dept ON employees(dept);
                    CREATE INDEX employees_salary ON employees(salary);
                    """)
        }
        return queue
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
