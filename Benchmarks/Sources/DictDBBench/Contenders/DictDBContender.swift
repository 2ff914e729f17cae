import DictDB

/// DictDB, driven through its public API the way a user writes it: one `insert` per record, `get` by
/// key, `select(where:)` with the Field DSL, and records decoded into ``Employee`` by field name.
final class DictDBContender: Contender {
    let name = "DictDB"
    /// The index kind used for salary: `sorted`, as BENCHMARKS.md asks, once the standard registry has it;
    /// until then `hash` (which serves W1's cost of maintaining an index, but no range query).
    static let salaryIndexKind = Registry.standard.names(of: .indexKind).contains("sorted") ? "sorted" : "hash"

    private var database: Database
    private var table: Table
    /// Whether the table holds exactly the workload's records (after a complete ``insertAll(_:)``).
    private var holdsWorkload = false

    init() throws {
        (database, table) = try Self.makeEmptyTable()
    }

    func reset() throws {
        (database, table) = try Self.makeEmptyTable()
        holdsWorkload = false
    }

    func ensureLoaded(_ workload: Workload) throws {
        if holdsWorkload, try recordCount() == workload.records.count { return }
        try reset()
        try insertAll(workload.records)
    }

    func recordCount() throws -> Int { table.count }

    func insertAll(_ records: [EmployeeRow]) throws {
        for row in records {
            try table.insert([
                "name": .string(row.name),
                "age": .int(Int64(row.age)),
                "dept": .string(row.dept),
                "salary": .double(row.salary),
                "email": .string(row.email),
            ])
        }
        holdsWorkload = true
    }

    func lookUp(_ ids: [Int]) throws -> Int {
        var sum = 0
        for id in ids {
            guard let record = try table.get(.int(Int64(id))) else { continue }
            sum &+= Self.decode(record).checksum
        }
        return sum
    }

    func selectByDept(_ depts: [String]) throws -> Int {
        var total = 0
        for dept in depts {
            let records = try table.select(where: Field("dept") == dept)
            var employees: [Employee] = []
            employees.reserveCapacity(records.count)
            for record in records { employees.append(Self.decode(record)) }
            total += employees.count { $0.dept == dept }
        }
        return total
    }

    /// A new database holding an empty `employees` table with W1's indexes: hash on dept, and
    /// ``salaryIndexKind`` on salary.
    private static func makeEmptyTable() throws -> (Database, Table) {
        let database = Database()
        let table = try database.createTable("employees")
        try table.createIndex(on: "dept", kind: "hash")
        try table.createIndex(on: "salary", kind: salaryIndexKind)
        return (database, table)
    }

    /// Decodes a record by field name; a missing or mistyped field gives a zero value, which the
    /// workload's checksum then reports as a wrong answer.
    private static func decode(_ record: Record) -> Employee {
        Employee(
            id: record["id"].intValue ?? 0,
            name: record["name"].stringValue ?? "",
            age: record["age"].intValue ?? 0,
            dept: record["dept"].stringValue ?? "",
            salary: record["salary"].doubleValue ?? 0,
            email: record["email"].stringValue ?? "")
    }
}
