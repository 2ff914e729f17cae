import DictDB
import Foundation

/// Real threads (not a dispatch pool, which runs only as many jobs as there are cores) that can be counted
/// and waited for with a time limit.
final class ThreadGroup: @unchecked Sendable {
    // @unchecked: `running` is only read or written while `monitor` is held.
    private let monitor = Monitor()
    private var running: [String: Int] = [:]

    /// Starts a thread of the given role running `body`.
    func start(_ role: String, _ body: @escaping @Sendable () -> Void) {
        monitor.withLock { running[role, default: 0] += 1 }
        let thread = Thread { [self] in
            body()
            monitor.withLock {
                running[role, default: 1] -= 1
                if running[role] == 0 { running[role] = nil }
                monitor.broadcast()
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// How many threads of a role still run.
    func count(_ role: String) -> Int {
        monitor.withLock { running[role] ?? 0 }
    }

    /// Waits until every thread has ended or `timeout` has passed; returns the roles still running (with
    /// their counts) when it gave up, an empty list when all ended.
    func waitAll(timeout: Duration) -> [String] {
        let deadline = ContinuousClock.now + timeout
        return monitor.withLock {
            while !running.isEmpty {
                let now = ContinuousClock.now
                if now >= deadline { return running.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" } }
                monitor.wait(timeout: min(deadline - now, .milliseconds(100)))
            }
            return []
        }
    }
}
