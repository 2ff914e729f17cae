import DictDBAPI

/// Why a backup attempt ran.
public enum BackupTrigger: String, Sendable, Hashable {
    /// The first backup after ``BackupManager/start()``.
    case start
    /// The interval elapsed.
    case schedule
    /// ``BackupManager/notifyChange()`` asked for one.
    case change
    /// A retry after a failure, when the backoff delay elapsed.
    case retry
    /// ``BackupManager/backupNow(force:)``.
    case manual
}

/// A backup that was written, verified and counted.
public struct BackupSuccess: Sendable, Hashable {
    /// The backup file.
    public var path: String
    /// Its name: time, generation, sequence, codec.
    public var name: BackupFileName
    /// Its size in bytes.
    public var bytes: Int64
    /// How long writing and verifying took.
    public var duration: Duration
    /// The journal sequence (on disk) or change counter (in memory) it holds.
    public var sequence: Int64
    /// The database generation it was cut from (0 in memory).
    public var generation: Int64
    /// The number of tables it holds.
    public var tables: Int
    /// The number of records it holds.
    public var records: Int
    /// What started it.
    public var trigger: BackupTrigger
    /// The older backups retention deleted afterwards.
    public var pruned: [String]
    /// Backups retention meant to delete but could not (the next run tries again).
    public var pruneErrors: [String]
}

/// An attempt that wrote nothing because the source had not changed since the last good backup.
public struct BackupSkip: Sendable, Hashable {
    /// Where the source stands (unchanged).
    public var marker: BackupChangeMarker
    /// The last good backup, which still holds the same data.
    public var lastBackup: String
    /// What started the attempt.
    public var trigger: BackupTrigger
    /// Older backups retention deleted (ages move on even when the data does not).
    public var pruned: [String]
}

/// A failed attempt: nothing was counted, and any partial file was removed.
public struct BackupFailure: Sendable, CustomStringConvertible {
    /// What went wrong.
    public var error: DictDBError
    /// The number of consecutive failures, this one included (1 for the first).
    public var attempt: Int
    /// When the manager runs retries after this failure, how long it waits (`nil`: not running).
    public var retryIn: Duration?
    /// What started the attempt.
    public var trigger: BackupTrigger

    /// `attempt 2 (retry in 2 s): io: ...`.
    public var description: String {
        let retry = retryIn.map { " (retry in \($0))" } ?? ""
        return "attempt \(attempt)\(retry): \(error)"
    }
}

/// What one backup attempt did.
public enum BackupResult: Sendable {
    /// Written, verified and counted.
    case succeeded(BackupSuccess)
    /// Nothing changed since the last good backup.
    case skipped(BackupSkip)
    /// It failed; see the error.
    case failed(BackupFailure)

    /// The success, if it succeeded.
    public var success: BackupSuccess? {
        if case .succeeded(let success) = self { return success }
        return nil
    }

    /// The failure, if it failed.
    public var failure: BackupFailure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }

    /// Whether it was skipped.
    public var isSkipped: Bool {
        if case .skipped = self { return true }
        return false
    }
}

/// Where a ``BackupManager`` stands.
public struct BackupStatus: Sendable {
    /// Whether the schedule runs (between ``BackupManager/start()`` and ``BackupManager/stop()``).
    public var isRunning: Bool
    /// Failures since the last success or skip: the backoff exponent.
    public var consecutiveFailures: Int
    /// Backups written and verified.
    public var succeeded: Int
    /// Attempts skipped because nothing changed.
    public var skipped: Int
    /// Attempts that failed.
    public var failed: Int
    /// Errors thrown by the hooks (ignored otherwise).
    public var hookErrors: Int
    /// The last good backup.
    public var lastSuccess: BackupSuccess?
    /// The last attempt's result.
    public var lastResult: BackupResult?
}
