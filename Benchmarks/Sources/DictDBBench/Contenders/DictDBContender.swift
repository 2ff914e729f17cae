import DictDB

/// DictDB, driven through its public API the way a user writes it: one `insert` per record, `get` by
/// key, `select(where:)` with the Field DSL, `update(key:set:)` and `delete(key:)`, `save(to:codec:)` and
/// `Database.load(from:registry:)`, and records decoded into ``Employee`` by field name.
final class DictDBContender: Contender {
    let name: String
    /// The index kind used for salary: `sorted`, as BENCHMARKS.md asks, when the standard registry has it;
    /// otherwise `hash` (which serves W1's cost of maintaining an index, but no range query).
    static let salaryIndexKind = Registry.standard.names(of: .indexKind).contains("sorted") ? "sorted" : "hash"
    /// The index kind used for dept.
    static let deptIndexKind = "hash"

    /// Whether ``reset()`` creates the secondary indexes.
    private let indexed: Bool
    private var database: Database
    private var table: Table
    /// Whether the table holds exactly the workload's records, unchanged (after a complete
    /// ``insertAll(_:)``).
    private var holdsWorkload = false

    /// A contender whose table has the indexes on dept and salary (`indexed`) or none.
    init(indexed: Bool = true) throws {
        self.indexed = indexed
        name = indexed ? "DictDB" : "DictDB (no indexes)"
        (database, table) = try Self.makeEmptyTable(indexed: indexed)
    }

    func reset() throws {
        (database, table) = try Self.makeEmptyTable(indexed: indexed)
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

    func selectBySalary(lows: [Double], width: Double) throws -> Int {
        var total = 0
        for low in lows {
            let high = low + width
            let records = try table.select(where: Field("salary").between(low, high))
            var employees: [Employee] = []
            employees.reserveCapacity(records.count)
            for record in records { employees.append(Self.decode(record)) }
            total += employees.count { $0.salary >= low && $0.salary <= high }
        }
        return total
    }

    func createIndex(on field: String) throws {
        try table.createIndex(on: field, kind: try Self.indexKind(of: field))
    }

    func dropIndexes() throws {
        for index in table.indexes { try table.dropIndex(named: index.name) }
    }

    func indexEntries(on field: String) throws -> Int? {
        guard let index = table.indexes.first(where: { $0.fields == [field] }) else { return nil }
        return try table.indexStatistics()[index.name]?.entries
    }

    func updateSalaries(_ updates: [SalaryUpdate]) throws -> Int {
        holdsWorkload = false
        var updated = 0
        for update in updates {
            if try table.update(key: .int(Int64(update.id)), set: ["salary": .double(update.salary)]) {
                updated += 1
            }
        }
        return updated
    }

    func delete(_ ids: [Int]) throws -> Int {
        holdsWorkload = false
        var deleted = 0
        for id in ids {
            if try table.delete(key: .int(Int64(id))) { deleted += 1 }
        }
        return deleted
    }

    func saveSnapshot(_ format: SnapshotFormat, to path: String) throws -> SavedSnapshot {
        guard case .codec(let codec) = format else { throw UnsupportedFormat(contender: name, format: format) }
        let info = try database.save(to: path, codec: codec)
        return SavedSnapshot(records: info.records, bytes: Int(info.bytes))
    }

    func loadSnapshot(_ format: SnapshotFormat, from path: String) throws -> any LoadedSnapshot {
        guard case .codec(let codec) = format else { throw UnsupportedFormat(contender: name, format: format) }
        return LoadedDatabase(database: try Database.load(from: path, registry: .standard, codec: codec))
    }

    /// How DictDB plans `query` on the loaded table, for the notes under the table.
    func explain(_ condition: Condition) throws -> String {
        "\(try table.explain(Query(condition)))"
    }

    /// A new database holding an empty `employees` table with W1's indexes (hash on dept,
    /// ``salaryIndexKind`` on salary) or none.
    private static func makeEmptyTable(indexed: Bool) throws -> (Database, Table) {
        let database = Database()
        let table = try database.createTable("employees")
        if indexed {
            try table.createIndex(on: "dept", kind: deptIndexKind)
            try table.createIndex(on: "salary", kind: salaryIndexKind)
        }
        return (database, table)
    }

    /// The kind W1 gives the index on `field`.
    private static func indexKind(of field: String) throws -> String {
        switch field {
        case "dept": return deptIndexKind
        case "salary": return salaryIndexKind
        default: throw UnsupportedIndex(field: field)
        }
    }

    /// Decodes a record by field name; a missing or mistyped field gives a zero value, which the
    /// workload's checksum then reports as a wrong answer.
    static func decode(_ record: Record) -> Employee {
        Employee(
            id: record["id"].intValue ?? 0,
            name: record["name"].stringValue ?? "",
            age: record["age"].intValue ?? 0,
            dept: record["dept"].stringValue ?? "",
            salary: record["salary"].doubleValue ?? 0,
            email: record["email"].stringValue ?? "")
    }
}

/// A database read back by W6, checked after the timed load.
private struct LoadedDatabase: LoadedSnapshot {
    var database: Database

    func contents() throws -> SnapshotContents {
        let table = try database.table("employees")
        var checksum = 0
        let records = try table.allRecords()
        for record in records { checksum &+= DictDBContender.decode(record).checksum }
        return SnapshotContents(records: records.count, checksum: checksum, indexes: table.indexes.count)
    }
}

/// A W6 format a contender cannot write.
struct UnsupportedFormat: Error, CustomStringConvertible {
    var contender: String
    var format: SnapshotFormat

    var description: String { "\(contender) cannot save or load the format '\(format)'" }
}

/// An index on a field the benchmark does not index.
struct UnsupportedIndex: Error, CustomStringConvertible {
    var field: String

    var description: String { "the benchmark indexes dept and salary only, not '\(field)'" }
}
