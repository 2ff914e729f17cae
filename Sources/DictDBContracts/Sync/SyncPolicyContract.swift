import DictDBAPI

/// The contract of `SyncPolicy` as a check a plugin author runs in their own tests, the same check the
/// built-in policies pass.
///
/// `check(_:maxDelay:)` asks for decisions over a grid of pending record counts and times since the last
/// sync, twice in different orders, and checks:
/// - **pure decisions**: the same arguments always give the same decision;
/// - **finite loss window**: a `SyncDecision.syncWithin(_:)` delay is neither negative nor longer than
///   `maxDelay` (`SyncDecision.noSync` leaves the records to the next checkpoint, close or `commit()`,
///   which is allowed and must be documented).
///
/// ```swift
/// @Test func everySecondKeepsTheContract() throws {
///     try SyncPolicyContract.check(EverySecondSyncPolicy())
/// }
/// ```
public enum SyncPolicyContract {
    /// The record counts asked about.
    static let pendingCounts = [0, 1, 2, 10, 100, 1_000, 4_095, 4_096, 10_000, 1 << 40]
    /// The times since the last sync asked about.
    static let elapsedTimes: [Duration] = [
        .zero, .nanoseconds(1), .microseconds(500), .milliseconds(5), .milliseconds(10), .milliseconds(999),
        .seconds(1), .seconds(10), .seconds(3_600), .seconds(86_400 * 365),
    ]

    /// Checks `policy` against the contract.
    ///
    /// - Parameters:
    ///   - policy: The policy under test.
    ///   - maxDelay: The longest `syncWithin` delay accepted.
    /// - Throws: The first ``ContractViolation`` found.
    public static func check(_ policy: any SyncPolicy, maxDelay: Duration = .seconds(60)) throws(ContractViolation) {
        let plugin = "syncPolicy '\(policy.name)'"
        var first: [SyncDecision] = []
        for pending in pendingCounts {
            for elapsed in elapsedTimes {
                let decision = policy.decision(pendingRecords: pending, timeSinceLastSync: elapsed)
                first.append(decision)
                if case .syncWithin(let delay) = decision, delay < .zero || delay > maxDelay {
                    throw ContractViolation(
                        plugin: plugin, clause: "finite loss window",
                        detail: "decision(pendingRecords: \(pending), timeSinceLastSync: \(elapsed)) is "
                            + "\(decision), outside 0...\(maxDelay)")
                }
            }
        }
        // Again, backwards and twice each: a decision that depends on anything but its arguments shows.
        var position = first.count
        for pending in pendingCounts.reversed() {
            for elapsed in elapsedTimes.reversed() {
                position -= 1
                for _ in 0..<2 {
                    let decision = policy.decision(pendingRecords: pending, timeSinceLastSync: elapsed)
                    if decision != first[position] {
                        throw ContractViolation(
                            plugin: plugin, clause: "pure decisions",
                            detail: "decision(pendingRecords: \(pending), timeSinceLastSync: \(elapsed)) was "
                                + "\(first[position]), then \(decision)")
                    }
                }
            }
        }
    }
}
