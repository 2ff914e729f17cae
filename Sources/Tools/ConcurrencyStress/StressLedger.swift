import DictDB
import DictDBToolSupport
import Synchronization

/// The kinds of work the run counts, in the order the summary prints them.
enum Tally: String, CaseIterable {
    // Writes.
    case transfer
    case crossBranch = "cross-branch"
    case move, update
    case bulkUpdate = "bulk-update"
    case insert
    case batchInsert = "batch"
    case delete, savepoint, rollback, aborted
    case refusedDuplicate = "refused-dup"
    // Reads.
    case scan, aggregate
    case indexRead = "index-read"
    case consistentRead = "tx-read"
    case get
    // Background.
    case save, checkpoint, backup
    case backupSkipped = "backup-skipped"
    case loadedBack = "loaded-back"
    // Checks.
    case check, explained
    case indexServed = "index-served"
    case indexCompared = "index-compared"

    /// The tallies that are write operations.
    static let writes: [Tally] = [
        .transfer, .crossBranch, .move, .update, .bulkUpdate, .insert, .batchInsert, .delete, .savepoint, .rollback,
        .aborted, .refusedDuplicate,
    ]
    /// The tallies that are reads.
    static let reads: [Tally] = [.scan, .aggregate, .indexRead, .consistentRead, .get]
    /// The tallies of the background threads.
    static let background: [Tally] = [.save, .checkpoint, .backup, .backupSkipped, .loadedBack]
}

/// What a run did and found, shared by its threads.
///
/// Each thread counts in its own ``Counts`` and merges them at the end; only violations, the progress
/// counter and the stop flag are shared while the run goes.
final class StressLedger: Sendable {
    /// Per-thread counts, merged into the ledger when the thread ends.
    struct Counts {
        private(set) var values: [Tally: Int] = [:]

        /// Adds `amount` to a tally.
        mutating func add(_ tally: Tally, _ amount: Int = 1) {
            values[tally, default: 0] += amount
        }

        /// The count of a tally.
        subscript(tally: Tally) -> Int { values[tally] ?? 0 }

        /// Adds another thread's counts.
        mutating func merge(_ other: Counts) {
            for (tally, value) in other.values { add(tally, value) }
        }
    }

    /// How many violations are kept word for word (all are counted).
    static let keptViolations = 25

    /// The kinds of thread whose progress the watchdog follows separately, so that writers stuck while
    /// readers go on still count as a stall.
    enum Role: Int, CaseIterable {
        case writer, reader, background
        /// The main thread's final checks, after the others stopped.
        case final
    }

    private let state = LockedValue((counts: Counts(), violations: [String](), violationCount: 0))
    private let progress = Role.allCases.map { _ in Counter() }
    private let stopping = Atomic<Bool>(false)
    private let verbose: Bool
    /// The net change of the number of accounts the writers saw: inserts minus deletes.
    let accountDelta = Atomic<Int>(0)
    /// Writes that certainly changed the database, counted after they returned (the backup thread checks
    /// that a backup is never skipped as "unchanged" after some).
    let committedWrites = Atomic<Int>(0)
    /// The largest account key handed out so far (writers pick keys up to it).
    let largestKey = Atomic<Int>(0)

    /// A ledger; `verbose` prints each violation as it is found.
    init(verbose: Bool) {
        self.verbose = verbose
    }

    /// Records a broken invariant.
    func violation(_ message: String) {
        let count = state.withLock { state -> Int in
            state.violationCount += 1
            if state.violations.count < Self.keptViolations { state.violations.append(message) }
            return state.violationCount
        }
        if verbose || count == 1 { ToolConsole.printError("VIOLATION: \(message)") }
    }

    /// Notes that a thread of `role` completed an operation (for the watchdog).
    func tick(_ role: Role) {
        progress[role.rawValue].value.add(1, ordering: .relaxed)
    }

    /// Operations completed so far by threads of `role`.
    func progressCount(_ role: Role) -> Int {
        progress[role.rawValue].value.load(ordering: .relaxed)
    }

    /// Asks every thread to stop.
    func stop() {
        stopping.store(true, ordering: .releasing)
    }

    /// Whether the threads should stop.
    var shouldStop: Bool { stopping.load(ordering: .acquiring) }

    /// Adds a thread's counts when it ends.
    func merge(_ counts: Counts) {
        state.withLock { $0.counts.merge(counts) }
    }

    /// The merged counts, the violations kept and the number of violations.
    var result: (counts: Counts, violations: [String], violationCount: Int) {
        state.withLock { ($0.counts, $0.violations, $0.violationCount) }
    }

    /// Raises ``largestKey`` to `key` when it is larger.
    func noteKey(_ key: Value) {
        guard let key = key.intValue.flatMap({ Int(exactly: $0) }) else { return }
        var current = largestKey.load(ordering: .relaxed)
        while key > current {
            let (exchanged, original) = largestKey.compareExchange(
                expected: current, desired: key, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}

/// An atomic counter that can sit in an array (an `Atomic` itself cannot be copied).
final class Counter: Sendable {
    /// The count.
    let value = Atomic<Int>(0)
}
