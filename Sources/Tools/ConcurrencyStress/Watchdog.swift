import DictDBToolSupport
import Foundation
import Synchronization

/// Ends the process when a run stops making progress: an engine deadlock or a hang cannot be interrupted
/// any other way. Threads tick the ledger for their role after each operation; when a role that should be
/// running (see `isRunning`) makes no progress for the limit, the watchdog prints what it knows and exits
/// with status 1.
final class Watchdog: Sendable {
    private let ledger: StressLedger
    private let limit: Double
    private let isRunning: @Sendable (StressLedger.Role) -> Bool
    private let describe: @Sendable () -> String
    private let finished = Atomic<Bool>(false)

    /// A watchdog over `ledger`'s progress per role; `describe` says what was running, for the message.
    init(
        ledger: StressLedger, limitSeconds: Double, isRunning: @escaping @Sendable (StressLedger.Role) -> Bool,
        describe: @escaping @Sendable () -> String
    ) {
        self.ledger = ledger
        limit = limitSeconds
        self.isRunning = isRunning
        self.describe = describe
    }

    /// Starts watching on a thread of its own.
    func start() {
        let thread = Thread { [self] in watch() }
        thread.start()
    }

    /// Stops watching.
    func finish() {
        finished.store(true, ordering: .releasing)
    }

    /// Checks each role's progress every 100 ms until ``finish()``.
    private func watch() {
        let roles = StressLedger.Role.allCases
        var lastProgress = roles.map { _ in -1 }
        var lastChange = roles.map { _ in Stopwatch() }
        var wasRunning = roles.map { _ in false }
        while !finished.load(ordering: .acquiring) {
            pause(milliseconds: 100)
            for role in roles {
                let index = role.rawValue
                let running = isRunning(role)
                defer { wasRunning[index] = running }
                let progress = ledger.progressCount(role)
                if !running || !wasRunning[index] || progress != lastProgress[index] {
                    lastProgress[index] = progress
                    lastChange[index] = Stopwatch()
                    continue
                }
                guard lastChange[index].seconds > limit, !finished.load(ordering: .acquiring) else { continue }
                stall(role)
            }
        }
    }

    /// Reports a stalled role and ends the process.
    private func stall(_ role: StressLedger.Role) -> Never {
        let (_, violations, count) = ledger.result
        ToolConsole.printError(
            "VIOLATION: stall: no \(role) operation completed for \(NumberText.fixed(limit, 1)) s (\(describe()))")
        for violation in violations { ToolConsole.printError("  earlier violation: \(violation)") }
        ToolConsole.printError("concurrency-stress: FAILED: stalled, after \(count) other violation(s)")
        exit(1)
    }
}
