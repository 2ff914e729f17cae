import DictDB

/// DictDB in memory for W9: one `Database()` with W1's indexes (hash on dept, ``DictDBContender/salaryIndexKind``
/// on salary), written with `update(key:set:)` and read with `get(_:)` from several threads at once. The
/// table's reader-writer lock is the only coordination, as in a user's program.
struct ConcurrentDictDB: ConcurrentContender {
    var name: String { "DictDB" }
    var setting: String {
        "in memory, hash index on dept and \(DictDBContender.salaryIndexKind) index on salary; the writer calls "
            + "`table.update(key:set:)` per write, each reader `table.get(_:)` per read, decoded by field name"
    }

    func open(in directory: String, loading records: [EmployeeRow]) throws -> any ConcurrentSession {
        try ConcurrentDictDBSession(loading: records)
    }
}

/// An in-memory DictDB database loaded with the workload.
///
/// `Sendable`: `Database` and `Table` are thread-safe, and nothing here changes after `init`.
final class ConcurrentDictDBSession: ConcurrentSession {
    private let database: Database
    private let table: Table
    private let records: Int

    init(loading rows: [EmployeeRow]) throws {
        database = Database()
        table = try database.createTable("employees")
        try table.createIndex(on: "dept", kind: DictDBContender.deptIndexKind)
        try table.createIndex(on: "salary", kind: DictDBContender.salaryIndexKind)
        for row in rows { try table.insert(DurableDictDB.record(row)) }
        records = rows.count
    }

    func write(seed: UInt64, for duration: Duration) throws -> WriterTally {
        try WriterTally.measure(seed: seed, records: records, for: duration) { id, salary in
            try table.update(key: .int(Int64(id)), set: ["salary": .double(salary)])
        }
    }

    func read(_ keys: [Int], from start: Int, for duration: Duration) throws -> ReaderTally {
        try ReaderTally.measure(keys, from: start, for: duration) { id in
            try table.get(.int(Int64(id))).map(DictDBContender.decode)
        }
    }

    func salaries(of ids: [Int]) throws -> [Double?] {
        try ids.map { id in try table.get(.int(Int64(id))).flatMap { $0["salary"].doubleValue } }
    }

    func keys(withSalary salary: Double) throws -> [Int] {
        try table.select(where: Field("salary") == salary).compactMap { $0["id"].intValue.map(Int.init) }
    }

    func count(salaryFrom low: Double, to high: Double) throws -> Int {
        try table.select(where: Field("salary").between(low, high)).count
    }

    func recordCount() throws -> Int { table.count }

    func configurationProblem() throws -> String? { nil }

    func close() throws {}
}
