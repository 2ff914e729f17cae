/// When a durable database forces journal records to stable storage (`always`, `batch`, `os`).
///
/// Every committed operation reaches the kernel with one `write()` before the call returns, under every
/// policy; the policy only decides when `fdatasync` makes it survive power loss.
///
/// ## Contract
///
/// An implementation must guarantee:
/// - ``decision(pendingRecords:timeSinceLastSync:)`` is a pure function of its arguments.
/// - The loss window it implies is finite and documented: after a power loss, at most the records written
///   since the last sync it asked for may be lost.
///
/// Check an implementation with `SyncPolicyContract.check` from the `DictDBContracts` library, which the
/// built-in plugins' tests run too.
public protocol SyncPolicy: Sendable {
    /// The registry name, such as `"always"`.
    var name: String { get }
    /// What to do after a record was written, given how many records and how long since the last sync.
    func decision(pendingRecords: Int, timeSinceLastSync: Duration) -> SyncDecision
}

/// What a ``SyncPolicy`` asks of the journal after a write.
public enum SyncDecision: Sendable, Hashable {
    /// Sync before the mutating call returns (concurrent committers may share one sync).
    case syncBeforeReturning
    /// Sync in the background no later than this long after the write; the call returns at once.
    case syncWithin(Duration)
    /// Leave it to the OS until the next checkpoint, close or explicit `commit()`.
    case noSync
}
