import DictDBAPI

/// `every-N`: the journal is synced before the call that writes the N-th unsynced record returns, and not
/// before. A power loss may lose at most the N - 1 records written since the last sync; a process crash
/// loses nothing (every record reaches the kernel before its call returns, whatever the policy).
///
/// It suits bulk loaders that can replay a bounded tail: `every-1` is `always`, a large N approaches `os`.
/// The engine also syncs at checkpoints, `close()`, `commit()` and calls made with `durability: .always`.
///
/// ```swift
/// registry.register(syncPolicy: EveryNSyncPolicy(every: 100))   // registered as "every-100"
/// ```
public struct EveryNSyncPolicy: SyncPolicy {
    /// How many records may wait for a sync; at least 1.
    public let every: Int

    /// Creates the policy; values below 1 become 1.
    public init(every: Int) {
        self.every = max(1, every)
    }

    /// `every-N`, such as `every-64`.
    public var name: String { "every-\(every)" }

    /// ``DictDBAPI/SyncDecision/syncBeforeReturning`` once `every` records are pending, otherwise
    /// ``DictDBAPI/SyncDecision/noSync``. The time since the last sync plays no part.
    public func decision(pendingRecords: Int, timeSinceLastSync: Duration) -> SyncDecision {
        pendingRecords >= every ? .syncBeforeReturning : .noSync
    }
}
