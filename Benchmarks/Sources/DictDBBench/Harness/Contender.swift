/// A database under test, driven through the standard workload the way a user's code would drive it.
///
/// ## Contract
///
/// - Every timed method makes one library call per operation (one insert per record, one lookup per key,
///   one select per query), as `shared/BENCHMARKS.md` asks; setup (creating tables and indexes, loading data
///   for the read workloads) happens in ``reset()`` and ``ensureLoaded(_:)``, outside the timed region.
/// - Rows read back are decoded into ``Employee`` values by hand, so every contender returns the same thing.
/// - Each timed method returns a number that ``Scenario/expectedAnswer(for:)`` checks: a wrong answer fails
///   the run, however fast it was.
///
/// To add a workload (W4...): add its method here, implement it in ``DictDBContender`` and
/// ``SQLiteContender``, and add a ``Scenario`` that calls it to ``Scenarios/standard``.
protocol Contender: AnyObject {
    /// The name in the report, such as `DictDB` or `SQLite`.
    var name: String { get }

    /// Drops all data and creates the empty `employees` table with the indexes W1 asks for
    /// (dept and salary). Untimed.
    func reset() throws

    /// Makes sure the table holds exactly the workload's records (loading them if it does not). Untimed.
    func ensureLoaded(_ workload: Workload) throws

    /// The number of records in the table.
    func recordCount() throws -> Int

    /// W1: inserts every record with one call per record; keys come from auto-increment.
    func insertAll(_ records: [EmployeeRow]) throws

    /// W2: looks each key up and decodes the record. Returns the sum of the records' checksums.
    func lookUp(_ ids: [Int]) throws -> Int

    /// W3: runs one `dept == x` select per entry and decodes every row. Returns the number of rows.
    func selectByDept(_ depts: [String]) throws -> Int
}

/// The contenders of one run: the subject (DictDB), its peer (SQLite, fast path) and any extra peer
/// variants a workload reports on (SQLite with one autocommit per insert, for W1).
struct Lineup {
    /// The database whose speed is claimed.
    var subject: any Contender
    /// The peer every goal is a ratio against.
    var peer: any Contender
    /// SQLite committing each insert on its own (an extra row of W1; no goal).
    var peerAutocommit: any Contender
}
