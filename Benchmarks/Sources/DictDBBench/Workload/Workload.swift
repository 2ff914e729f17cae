/// The standard workload of `shared/BENCHMARKS.md`, as written by `gen_workload.py`.
///
/// One file is the single source of truth for every contender: the records, the keys and query
/// parameters of each workload, and the expected answers that every run checks (a fast wrong answer is a
/// failure). Record `i` of ``records`` (0-based) gets primary key `i + 1` from the auto-increment generator.
struct Workload: Sendable, Decodable {
    /// The generator's seed, for the report.
    var seed: Int
    /// The number of records.
    var n: Int
    /// The department names (W3 queries pick from them).
    var depts: [String]
    /// The width of the W4 salary ranges.
    var rangeWidth: Double
    /// The records to insert, in key order.
    var records: [EmployeeRow]
    /// W2: primary keys to look up.
    var lookups: [Int]
    /// W3: the department of each `dept == x` query.
    var deptQueries: [String]
    /// W4: the lower bound of each `x <= salary <= x + rangeWidth` query.
    var salaryLows: [Double]
    /// W5: `[id, new salary]` pairs.
    var updates: [SalaryUpdate]
    /// W5: keys to delete after the updates.
    var deletes: [Int]
    /// The answers every implementation must give.
    var expected: ExpectedAnswers

    enum CodingKeys: String, CodingKey {
        case seed, n, depts, records, lookups, updates, deletes, expected
        case rangeWidth = "range_width"
        case deptQueries = "dept_queries"
        case salaryLows = "salary_lows"
    }
}

/// The expected row totals, computed by the generator from the full table (before W5).
struct ExpectedAnswers: Sendable, Decodable {
    /// W3: rows returned by all `dept == x` queries together.
    var w3RowsTotal: Int
    /// W4: rows returned by all salary range queries together.
    var w4RowsTotal: Int

    enum CodingKeys: String, CodingKey {
        case w3RowsTotal = "w3_rows_total"
        case w4RowsTotal = "w4_rows_total"
    }
}

/// One generated record, stored in the file as the array `[name, age, dept, salary, email]`.
struct EmployeeRow: Sendable, Decodable {
    var name: String
    var age: Int
    var dept: String
    var salary: Double
    var email: String

    init(from decoder: any Decoder) throws {
        var fields = try decoder.unkeyedContainer()
        name = try fields.decode(String.self)
        age = try fields.decode(Int.self)
        dept = try fields.decode(String.self)
        salary = try fields.decode(Double.self)
        email = try fields.decode(String.self)
    }
}

/// A W5 update, stored in the file as `[id, new_salary]`.
struct SalaryUpdate: Sendable, Decodable {
    var id: Int
    var salary: Double

    init(from decoder: any Decoder) throws {
        var fields = try decoder.unkeyedContainer()
        id = try fields.decode(Int.self)
        salary = try fields.decode(Double.self)
    }
}

/// A record as the benchmark's user code holds it after reading it back: what W2-W4 decode rows into, by
/// hand, for every contender. Codable for W6's JSONEncoder peer.
struct Employee: Sendable, Codable {
    var id: Int64
    var name: String
    var age: Int64
    var dept: String
    var salary: Double
    var email: String

    /// A number that depends on every field, so that decoding cannot be skipped and answers can be checked.
    var checksum: Int {
        Int(truncatingIfNeeded: id) &+ Int(truncatingIfNeeded: age) &+ name.utf8.count &+ dept.utf8.count
            &+ email.utf8.count &+ Int(salary)
    }
}

extension EmployeeRow {
    /// The same number as ``Employee/checksum`` for this record stored under primary key `id`.
    func checksum(id: Int) -> Int {
        id &+ age &+ name.utf8.count &+ dept.utf8.count &+ email.utf8.count &+ Int(salary)
    }
}
