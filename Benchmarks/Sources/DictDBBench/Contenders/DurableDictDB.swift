import DictDB
import Foundation

/// DictDB on disk (W7): `Database.open(at:options:registry:)` with a sync policy, one
/// `table.insert([...])` per record, as a user writes it.
///
/// Every insert appends one journal record with one `write()` before returning; `always` also waits for
/// the `fdatasync` that covers it (concurrent writers share one), `batch` syncs in the background every
/// 10 ms or 1,000 records, `os` leaves it to checkpoints, `commit()` and `close()`.
struct DurableDictDB: DurableContender {
    /// The sync policy: `always`, `batch` or `os`.
    var syncPolicy: String

    var name: String { "DictDB \(syncPolicy)" }
    var setting: String { "on disk, sync policy \(syncPolicy), binary journal, msgpack" }

    func open(in directory: String) throws -> any DurableSession {
        try DurableDictDBSession(directory: directory, syncPolicy: syncPolicy)
    }

    /// The options of a new database with `syncPolicy`.
    static func options(syncPolicy: String) -> OpenOptions {
        var options = OpenOptions()
        options.syncPolicy = syncPolicy
        return options
    }

    /// W7's recovery row: inserts every record under `os` with checkpoints disabled, `commit()`, drops the
    /// database without `close()` (its deinit syncs and closes the journal but writes no snapshot), then
    /// times `Database.open` of the folder, which replays the whole journal. Closes it afterwards, untimed.
    static func timeRecovery(of records: [EmployeeRow], in directory: String) throws -> RecoveryOutcome {
        let journalBytes = try writeUncheckpointed(records, in: directory)
        let timed = try Stopwatch.time { try Database.open(at: directory, registry: .standard) }
        let database = timed.result
        let report = database.openReport
        let reported = report.map { report -> Double in
            let (whole, fraction) = report.duration.components
            return Double(whole) + Double(fraction) * 1e-18
        }
        let count = try database.table("employees").count
        try database.close()
        return RecoveryOutcome(
            seconds: timed.seconds, reportedSeconds: reported, replayed: report?.replayedRecords ?? 0,
            logBytes: Int(journalBytes), count: count)
    }

    /// Inserts every record under `os` with checkpoints disabled and calls `commit()`; the database is
    /// dropped without `close()` on return, so no snapshot holds the records. Returns the journal's size.
    private static func writeUncheckpointed(_ records: [EmployeeRow], in directory: String) throws -> Int64 {
        var options = options(syncPolicy: "os")
        options.checkpointMinimumBytes = .max
        let database = try Database.open(at: directory, options: options, registry: .standard)
        let table = try database.createTable("employees")
        for row in records { try table.insert(record(row)) }
        try database.commit()
        return database.journalStatus?.journalBytes ?? 0
    }

    /// The record W1 and W7 insert for `row` (its key comes from auto-increment).
    static func record(_ row: EmployeeRow) -> Record {
        [
            "name": .string(row.name),
            "age": .int(Int64(row.age)),
            "dept": .string(row.dept),
            "salary": .double(row.salary),
            "email": .string(row.email),
        ]
    }
}

/// An open on-disk DictDB database with its `employees` table.
///
/// `Sendable`: `Database` and `Table` are thread-safe, and nothing here changes after `init`.
final class DurableDictDBSession: DurableSession {
    let database: Database
    let table: Table
    private let syncPolicy: String

    init(directory: String, syncPolicy: String) throws {
        self.syncPolicy = syncPolicy
        database = try Database.open(
            at: directory, options: DurableDictDB.options(syncPolicy: syncPolicy), registry: .standard)
        table = try database.createTable("employees")
    }

    func insertEach(_ records: ArraySlice<EmployeeRow>, concurrently: Bool) throws {
        for row in records {
            try table.insert(DurableDictDB.record(row))
        }
    }

    func configurationProblem() throws -> String? {
        guard let status = database.journalStatus else { return "the database is not on disk" }
        return status.syncPolicy == syncPolicy
            ? nil : "the sync policy in force is \(status.syncPolicy), not \(syncPolicy)"
    }

    func recordCount() throws -> Int { table.count }

    func close() throws {
        if ProcessInfo.processInfo.environment["DICTDB_BENCH_SYNCS"] != nil, let status = database.journalStatus {
            print("  (\(syncPolicy): \(status.lastSequence) entries, \(status.syncs) syncs)")
        }
        try database.close()
    }
}
