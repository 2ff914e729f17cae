import DictDBAPI

/// How a ``BackupManager`` schedules, writes, keeps and reports backups.
///
/// ```swift
/// var configuration = BackupConfiguration()
/// configuration.codec = "msgpack+lz4"                 // any registered codec; compression is in the name
/// configuration.interval = .seconds(3600)             // a backup at start, then every hour
/// configuration.minimumSpacing = .seconds(60)         // notifyChange() backs up at most once a minute
/// configuration.retention = RetentionPolicy(keepCount: 24, maxAge: .seconds(7 * 86_400))
/// configuration.onSuccess = { success in print("backed up \(success.bytes) bytes to \(success.path)") }
/// configuration.onError = { failure in print("backup attempt \(failure.attempt) failed: \(failure.error)") }
/// ```
public struct BackupConfiguration: Sendable {
    /// The codec backups are written with: `json`, `msgpack`, `json+gzip`, `msgpack+lz4`, or any codec
    /// registered in the source's registry (`msgpack+lz4` by default).
    public var codec: String = "msgpack+lz4"
    /// The time between scheduled backups; the first runs at ``BackupManager/start()``. `nil`: no
    /// schedule, only ``BackupManager/backupNow(force:)`` and ``BackupManager/notifyChange()``. Intervals
    /// (and backoff delays) shorter than 1 ms count as 1 ms, so a schedule never spins.
    public var interval: Duration? = .seconds(3600)
    /// The least time between the start of one backup and a backup that ``BackupManager/notifyChange()``
    /// asks for, so a burst of changes makes one backup.
    public var minimumSpacing: Duration = .seconds(60)
    /// Which backups to keep after each backup.
    public var retention = RetentionPolicy()
    /// How long to wait after failures.
    public var backoff = BackoffPolicy()
    /// The limits the verifying read checks (see `DecodingLimits`).
    public var verifyLimits: DecodingLimits = .default
    /// The file system backups are written, verified and pruned through (tests inject faults).
    public var fileSystem: any FileSystem = PosixFileSystem()
    /// The wall-clock time, in milliseconds since 1970 (UTC), for backup names and ages.
    public var wallClock: @Sendable () -> Int64 = { SystemWallClock.nowMillis() }
    /// A random number in `0..<1` for the backoff's jitter.
    public var random: @Sendable () -> Double = { Double.random(in: 0..<1) }
    /// Called after each verified backup, outside any lock. An error it throws is counted in
    /// ``BackupStatus/hookErrors`` and otherwise ignored.
    public var onSuccess: (@Sendable (BackupSuccess) throws -> Void)?
    /// Called after each failed attempt, outside any lock; ``BackupFailure/attempt`` counts consecutive
    /// failures. An error it throws is counted in ``BackupStatus/hookErrors`` and otherwise ignored.
    public var onError: (@Sendable (BackupFailure) throws -> Void)?
    /// Called when an attempt is skipped because nothing changed since the last good backup.
    public var onSkip: (@Sendable (BackupSkip) throws -> Void)?

    /// The defaults: `msgpack+lz4`, hourly, at most one change-triggered backup a minute, the 10 newest
    /// kept, backoff from 1 s doubling up to 5 minutes with 20% jitter.
    public init() {}
}
