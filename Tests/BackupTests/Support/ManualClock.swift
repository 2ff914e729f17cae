import DictDBAPI
import Testing

/// A clock that moves only when a test says so, and that also gives the wall-clock time backups are named
/// with (a fixed start plus the time advanced): schedules, spacing, backoff and ages run without sleeping.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
    }

    private let state = LockedValue(State())
    /// The wall-clock time at the clock's zero, in ms since 1970 (2026-11-27T04:35:41.000Z).
    let wallStart: Int64

    init(wallStart: Int64 = 1_795_754_141_000) {
        self.wallStart = wallStart
    }

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .zero }

    /// The wall-clock time now: `wallStart` plus the time advanced.
    var wallMillis: Int64 {
        let (seconds, attoseconds) = now.offset.components
        return wallStart + seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// How many tasks are asleep on the clock.
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline a task sleeps until, as time from the clock's zero.
    var nextDeadline: Duration? { state.withLock { $0.sleepers.values.map(\.deadline.offset).min() } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { state -> Int in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action {
                    case wait
                    case wake
                    case cancel
                }
                let action = state.withLock { state -> Action in
                    if deadline <= state.now { return .wake }
                    if Task.isCancelled { return .cancel }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .wait
                }
                switch action {
                case .wait: break
                case .wake: continuation.resume()
                case .cancel: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock on and wakes every task whose deadline has come.
    func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers.removeValue(forKey: id) }
            return Array(due.values)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves the clock to the earliest deadline anyone sleeps until (waking them).
    func advanceToNextDeadline() {
        guard let deadline = nextDeadline else { return }
        advance(by: deadline - now.offset)
    }
}

/// Waits, yielding and never sleeping, until `condition` holds; records an issue after 300 s of real time
/// (a safety net against a hang, not part of any test's timing).
func eventually(
    _ what: @autoclosure () -> String = "the condition", sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () -> Bool
) async {
    // Generous: in a full parallel `swift test` on two cores, tests that block pool threads (processes,
    // long synchronous model runs) can keep the manager's task from running for a while.
    let deadline = ContinuousClock.now + .seconds(300)
    while !condition() {
        if ContinuousClock.now > deadline {
            Issue.record("timed out waiting for \(what())", sourceLocation: sourceLocation)
            return
        }
        await Task.yield()
    }
}
