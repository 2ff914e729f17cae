/// A database that W7 writes durably: created in a fresh directory, written one acknowledged insert at a
/// time, checked and closed.
///
/// ## Contract
///
/// - ``open(in:)`` creates the database in an existing empty directory, with an empty `employees` table
///   without secondary indexes. Untimed.
/// - ``DurableSession/insertEach(_:concurrently:)`` makes one library call per record, and each call
///   returns only once the record is as durable as the contender's setting promises (`always` and
///   `synchronous = FULL`: on stable storage; the others: in the kernel). Several threads may call it at
///   once on one session when `concurrently` is true.
/// - Everything else (checks, counting, closing) is untimed.
protocol DurableContender: Sendable {
    /// The name in the report, such as `DictDB always` or `SQLite FULL`.
    var name: String { get }
    /// The setting in a few words, for the notes (`sync policy always`, `WAL, synchronous = FULL`).
    var setting: String { get }
    /// Creates the database in `directory` (which exists and is empty).
    func open(in directory: String) throws -> any DurableSession
}

/// One open durable database of a ``DurableContender``.
protocol DurableSession: AnyObject, Sendable {
    /// Inserts each record with one call, each acknowledged before the next call of the same thread.
    /// - Parameter concurrently: other threads insert into the same table at the same time.
    func insertEach(_ records: ArraySlice<EmployeeRow>, concurrently: Bool) throws
    /// Untimed: a message when the database is not configured as the contender claims (sync policy,
    /// journal mode, synchronous level), else `nil`.
    func configurationProblem() throws -> String?
    /// The number of records in the table.
    func recordCount() throws -> Int
    /// Closes the database (DictDB checkpoints; SQLite checkpoints its WAL). Untimed.
    func close() throws
}

/// What W7's recovery row measured for one contender in one pass.
struct RecoveryOutcome: Sendable {
    /// Seconds to open the database (SQLite: and count its rows), timed from outside.
    var seconds: Double
    /// DictDB's own figure for its recovery (`openReport.duration`), when it has one.
    var reportedSeconds: Double?
    /// Journal records replayed (DictDB's `openReport.replayedRecords`), when known.
    var replayed: Int?
    /// The size of the journal (DictDB) or WAL (SQLite) that was recovered.
    var logBytes: Int
    /// Records in the table after opening.
    var count: Int
}
