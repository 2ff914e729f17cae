import DictDBAPI

/// How ``Database/open(at:options:registry:)`` opens or creates an on-disk database.
///
/// ```swift
/// var options = OpenOptions()
/// options.syncPolicy = "batch"
/// let db = try Database.open(at: "/var/lib/app/db", options: options, registry: .standard)
/// ```
public struct OpenOptions: Sendable {
    /// The snapshot codec for a new database (`msgpack` by default; `json`, `msgpack+lz4`, ...). The journal
    /// encodes entries with its base codec (the part before `+`). An existing database keeps the codec it
    /// was created with; naming another one is an error.
    public var codec: String?
    /// The journal layout for a new database: `binary` (the default) or `ndjson` (one JSON object per line,
    /// for `jq` and `tail -f`). Fixed at creation, like ``codec``.
    public var journalFormat: String?
    /// The sync policy: `always` (the default for a new database), `batch`, `os`, or any registered
    /// `SyncPolicy`. An existing database uses the one it recorded unless this names another.
    public var syncPolicy: String?
    /// Create the directory and an empty database when nothing is there (true by default).
    public var createIfMissing = true
    /// When the journal is damaged in the middle (a bad record followed by valid ones), open at the last
    /// good record instead of refusing: later records are moved aside, and the open report says so.
    public var pointInTimeRecovery = false
    /// Recover only up to this point: replay journal entries up to the sequence or time and no further,
    /// starting from the newest snapshot at or before it. The entries after it are moved aside (to
    /// `journal-N.log.after-<last sequence kept>`) before anything new is written, and
    /// ``OpenReport/stoppedAtTarget`` says where recovery stopped. `nil` (the default) recovers everything.
    /// Restoring a backup to a point in time uses it.
    public var recoverUpTo: RecoveryTarget?
    /// Checkpoint when the journal is larger than both this and ``checkpointFactor`` x the last snapshot.
    public var checkpointMinimumBytes: Int64 = 4 << 20
    /// See ``checkpointMinimumBytes``.
    public var checkpointFactor: Double = 2
    /// The file system every file goes through (the real one by default; tests inject faults).
    public var fileSystem: any FileSystem = PosixFileSystem()

    /// Options for opening with the recorded configuration, or creating with the defaults.
    public init() {}
}

/// How far ``OpenOptions/recoverUpTo`` lets recovery go.
///
/// ```swift
/// var options = OpenOptions()
/// options.recoverUpTo = .sequence(1200)                        // the state after journal entry 1200
/// options.recoverUpTo = .time(millis: 1_795_754_141_123)       // the entries written at or before then
/// ```
public enum RecoveryTarget: Sendable, Hashable, CustomStringConvertible {
    /// Up to and including the journal entry with this sequence. Opening fails with
    /// `DictDBError.Code.invalidArgument` if the journal ends before it.
    case sequence(UInt64)
    /// The longest run of journal entries written at or before this time (ms since 1970, UTC), each entry
    /// being stamped when it was written. A snapshot is used only if it was created at or before it.
    case time(millis: Int64)

    /// `sequence 1200` or `time 1795754141123 ms`.
    public var description: String {
        switch self {
        case .sequence(let sequence): return "sequence \(sequence)"
        case .time(let millis): return "time \(millis) ms"
        }
    }
}

/// What opening an on-disk database found and did.
public struct OpenReport: Sendable, Hashable {
    /// A torn journal tail: bytes a crash cut short, which recovery copied aside and cut off.
    public struct TornTail: Sendable, Hashable {
        /// The journal file.
        public var journal: String
        /// Where the torn bytes began.
        public var offset: Int
        /// How many bytes were cut.
        public var bytes: Int
        /// Why they are not a record.
        public var reason: String
        /// Where the cut bytes were saved.
        public var savedAs: String
    }

    /// Whether the database was created by this open.
    public var created = false
    /// The snapshot recovery started from (`nil`: the empty database).
    public var snapshot: String?
    /// Snapshots that could not be read, newest first, with the reason; recovery used an older one.
    public var skippedSnapshots: [String] = []
    /// How many journal records were replayed over the snapshot.
    public var replayedRecords = 0
    /// The sequence of the last change in the database.
    public var lastSequence: UInt64 = 0
    /// A torn tail cut off the journal, if there was one.
    public var tornTail: TornTail?
    /// With point-in-time recovery: where the damaged journal was cut, and why.
    public var stoppedAtDamage: String?
    /// With ``OpenOptions/recoverUpTo``: the first entry left out and where the entries after the target
    /// were moved; `nil` when the journal ended before any entry past the target.
    public var stoppedAtTarget: String?
    /// How long recovery took.
    public var duration: Duration = .zero
}
