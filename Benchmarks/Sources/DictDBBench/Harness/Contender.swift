/// A database under test, driven through the standard workload the way a user's code would drive it.
///
/// ## Contract
///
/// - Every timed method makes one library call per operation (one insert per record, one lookup per key,
///   one select per query, one update or delete per key), as `shared/BENCHMARKS.md` asks; setup (creating
///   tables and indexes, loading data for the read workloads) happens in ``reset()`` and
///   ``ensureLoaded(_:)``, outside the timed region.
/// - Rows read back are decoded into ``Employee`` values by hand, so every contender returns the same thing.
/// - Each timed method returns a number that the workload checks: a wrong answer fails the run, however
///   fast it was.
/// - A contender is created with secondary indexes (dept and salary, W1's) or without any; ``reset()``
///   and ``ensureLoaded(_:)`` keep that choice.
///
/// To add a workload: add its method here, implement it in ``DictDBContender`` and ``SQLiteContender``,
/// and add an ``Experiment`` that calls it to ``Scenarios/standard``.
protocol Contender: AnyObject {
    /// The name in the report, such as `DictDB` or `SQLite`.
    var name: String { get }

    /// Drops all data and creates the empty `employees` table, with the indexes W1 asks for (dept and
    /// salary) unless the contender was made without indexes. Untimed.
    func reset() throws

    /// Makes sure the table holds exactly the workload's records, unchanged (loading them if it does not).
    /// Untimed.
    func ensureLoaded(_ workload: Workload) throws

    /// The number of records in the table.
    func recordCount() throws -> Int

    /// W1: inserts every record with one call per record; keys come from auto-increment.
    func insertAll(_ records: [EmployeeRow]) throws

    /// W2: looks each key up and decodes the record. Returns the sum of the checksums of the records found.
    func lookUp(_ ids: [Int]) throws -> Int

    /// W3: runs one `dept == x` select per entry and decodes every row. Returns the number of rows.
    func selectByDept(_ depts: [String]) throws -> Int

    /// W4: runs one `low <= salary <= low + width` select per low bound and decodes every row. Returns the
    /// number of rows.
    func selectBySalary(lows: [Double], width: Double) throws -> Int

    /// W4's index-build rows: creates the index on `field` (`dept` or `salary`, of the kind ``reset()``
    /// would give it) over the records already in the table.
    func createIndex(on field: String) throws

    /// Drops every secondary index. Untimed.
    func dropIndexes() throws

    /// The number of entries of the index on `field`, or `nil` when there is no such index. Untimed, for
    /// checking an index build.
    func indexEntries(on field: String) throws -> Int?

    /// W5: sets each record's salary, one update by key per entry. Returns the number of records updated.
    /// The table no longer holds the workload unchanged afterwards.
    func updateSalaries(_ updates: [SalaryUpdate]) throws -> Int

    /// W5: deletes each key, one delete by key per entry. Returns the number of records deleted.
    func delete(_ ids: [Int]) throws -> Int

    /// W6: writes the whole database to `path` in `format`. Throws for a format the contender lacks.
    func saveSnapshot(_ format: SnapshotFormat, to path: String) throws -> SavedSnapshot

    /// W6: reads back a file ``saveSnapshot(_:to:)`` wrote, into a new database (or, for SQLite's formats,
    /// into rows). Checking what was read is left to ``LoadedSnapshot/contents()``, untimed.
    func loadSnapshot(_ format: SnapshotFormat, from path: String) throws -> any LoadedSnapshot
}

/// How W6 writes a database to a file and reads it back.
enum SnapshotFormat: Sendable, Hashable, CustomStringConvertible {
    /// DictDB's `save(to:codec:)` and `Database.load(from:registry:)` with this codec (`json`, `msgpack`,
    /// `json+gzip`, `msgpack+lz4`).
    case codec(String)
    /// SQLite's `VACUUM INTO` a file, then opening that file and reading every row.
    case sqliteFile
    /// Every row read from SQLite and written with Foundation's `JSONEncoder`; read back with `JSONDecoder`.
    case jsonEncoder

    var description: String {
        switch self {
        case .codec(let name): return name
        case .sqliteFile: return "VACUUM INTO + open and read all rows"
        case .jsonEncoder: return "rows through JSONEncoder / JSONDecoder"
        }
    }
}

/// What a W6 save wrote.
struct SavedSnapshot: Sendable {
    /// Records written.
    var records: Int
    /// The file's size in bytes.
    var bytes: Int
}

/// What a W6 load read, kept alive until it has been checked.
protocol LoadedSnapshot {
    /// The records read and the sum of their ``Employee/checksum``s, and the number of secondary indexes
    /// the loaded database has (`nil` when the format holds rows only). Untimed.
    func contents() throws -> SnapshotContents
}

/// The checkable contents of a loaded snapshot.
struct SnapshotContents: Sendable {
    /// The number of records.
    var records: Int
    /// The sum of the records' checksums.
    var checksum: Int
    /// Secondary indexes of the loaded database, or `nil` for a rows-only format.
    var indexes: Int?
}

/// The contenders of one run: the subject (DictDB), its peer (SQLite, fast path) and the peer variants
/// and index-less twins some workloads report on.
struct Lineup {
    /// The database whose speed is claimed.
    var subject: any Contender
    /// The peer every goal is a ratio against.
    var peer: any Contender
    /// SQLite committing each insert on its own (an extra row of W1; no goal).
    var peerAutocommit: any Contender
    /// DictDB without secondary indexes (W3 and W4 informational rows, index builds).
    var subjectWithoutIndexes: any Contender
    /// SQLite without secondary indexes (W3 and W4 informational rows, index builds).
    var peerWithoutIndexes: any Contender
    /// Makes a new subject, with indexes and an empty table, for measurements that start from nothing (W8).
    var makeSubject: () throws -> any Contender
    /// Makes a new peer, with indexes and an empty table, for measurements that start from nothing (W8).
    var makePeer: () throws -> any Contender
}

extension Lineup {
    /// Every contender of the lineup that holds a database (not the factories' future ones).
    var all: [any Contender] {
        [subject, peer, peerAutocommit, subjectWithoutIndexes, peerWithoutIndexes]
    }

    /// Empties every contender but `kept` (``Contender/reset()``), so that memory readings count one
    /// database only. Errors are ignored: an empty table that could not be made is reported by the next
    /// workload that needs it.
    func release(except kept: (any Contender)?) {
        for contender in all where contender !== kept {
            try? contender.reset()
        }
    }
}
