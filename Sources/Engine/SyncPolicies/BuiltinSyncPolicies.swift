import DictDBAPI

/// `always`: every committed operation is fsynced before the call returns (concurrent committers share one
/// sync). Nothing acknowledged is lost, even to power loss.
public struct AlwaysSyncPolicy: SyncPolicy {
    /// `"always"`.
    public let name = "always"
    /// Creates the policy.
    public init() {}
    /// Always `SyncDecision.syncBeforeReturning`.
    public func decision(pendingRecords: Int, timeSinceLastSync: Duration) -> SyncDecision { .syncBeforeReturning }
}

/// `batch`: records are synced in groups, at most `interval` after they were written or as soon as
/// `maxRecords` are pending. A power loss may lose what was written since the last group sync: at most
/// `interval` of work or `maxRecords` records. A process crash loses nothing.
public struct BatchSyncPolicy: SyncPolicy {
    /// `"batch"`.
    public let name = "batch"
    /// The longest an acknowledged record waits for its sync.
    public var interval: Duration
    /// The most records that may wait for a sync.
    public var maxRecords: Int

    /// Creates the policy (10 ms or 1,000 records by default).
    public init(interval: Duration = .milliseconds(10), maxRecords: Int = 1000) {
        self.interval = interval
        self.maxRecords = max(1, maxRecords)
    }

    /// Sync before returning once `maxRecords` are pending or `interval` has passed; otherwise within the
    /// rest of `interval`.
    public func decision(pendingRecords: Int, timeSinceLastSync: Duration) -> SyncDecision {
        if pendingRecords >= maxRecords || timeSinceLastSync >= interval { return .syncBeforeReturning }
        return .syncWithin(interval - timeSinceLastSync)
    }
}

/// `os`: records reach the kernel at once but are synced only at checkpoints, close and explicit
/// `commit()` (and, whatever the policy, once 4,096 records are unsynced: the engine keeps what it needs to
/// undo unsynced changes after a failed fsync, and that stays bounded). A process crash loses nothing; a
/// power loss may lose everything since the last sync.
public struct OSSyncPolicy: SyncPolicy {
    /// `"os"`.
    public let name = "os"
    /// Creates the policy.
    public init() {}
    /// Always `SyncDecision.noSync`.
    public func decision(pendingRecords: Int, timeSinceLastSync: Duration) -> SyncDecision { .noSync }
}
