import DictDBAPI
import Synchronization

/// A counter generator with one deliberate flaw (or none), to show the generator check passes a correct
/// generator and names the clause a broken one breaks.
struct FlawedKeyGenerator: PrimaryKeyGenerator {
    /// What the generator gets wrong.
    enum Flaw: String, Sendable, CaseIterable {
        /// Nothing: counts up and skips past larger explicit integer keys.
        case none
        /// Every 100th key repeats the one before.
        case repeatsAKey
        /// Does not remember explicit keys.
        case ignoresObservedKeys
        /// Returns a NaN key now and then.
        case nonFiniteKey
        /// Keeps its counter as an infinite double.
        case unstorableState
    }

    let flaw: Flaw
    var name: String { "flawed-\(flaw.rawValue)" }
    var initialState: Value { flaw == .unstorableState ? .double(.infinity) : 0 }

    init(_ flaw: Flaw) { self.flaw = flaw }

    func nextKey(state: inout Value) throws(DictDBError) -> Value {
        let current = state.intValue ?? 0
        if flaw == .repeatsAKey && current % 100 == 99 {
            state = .int(current + 1)
            return .int(current)
        }
        if flaw == .nonFiniteKey && current % 100 == 60 {
            state = .int(current + 1)
            return .double(.nan)
        }
        if flaw != .unstorableState { state = .int(current + 1) }
        return .int(current + 1)
    }

    func observe(explicitKey: Value, state: inout Value) {
        guard flaw != .ignoresObservedKeys, let key = explicitKey.intValue, key > state.intValue ?? 0 else { return }
        state = .int(key)
    }
}

/// A policy whose decision depends on how often it was asked, not only on its arguments.
final class ImpureSyncPolicy: SyncPolicy {
    let name = "impure"
    private let calls = Atomic<Int>(0)

    func decision(pendingRecords: Int, timeSinceLastSync: Duration) -> SyncDecision {
        let (count, _) = calls.add(1, ordering: .relaxed)
        return count % 7 == 0 ? .syncBeforeReturning : .noSync
    }
}

/// A policy that defers syncs by `delay`.
struct DeferringSyncPolicy: SyncPolicy {
    let delay: Duration
    var name: String { "defer-\(delay)" }

    func decision(pendingRecords: Int, timeSinceLastSync: Duration) -> SyncDecision {
        pendingRecords > 10 ? .syncWithin(delay) : .noSync
    }
}
