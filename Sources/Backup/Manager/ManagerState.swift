import DictDBAPI

/// A ``BackupManager``'s mutable state, kept behind one lock: the schedule, the last good backup, the
/// failure count and the figures ``BackupStatus`` reports. Times are durations on the manager's clock.
struct ManagerState {
    var task: Task<Void, Never>?
    /// The first attempt after `start()` has not run yet.
    var startPending = false
    /// When the next scheduled attempt (or, after failures, the retry) is due; `nil`: none is.
    var nextAttempt: Duration?
    /// `notifyChange()` asked for a backup that has not started yet.
    var changePending = false
    /// When the last attempt started.
    var lastAttemptStart: Duration?
    var consecutiveFailures = 0
    /// The newest backup this manager verified, and the source's marker it holds.
    var lastGood: (name: BackupFileName, marker: BackupChangeMarker)?
    var leftoversCleaned = false
    var succeeded = 0
    var skipped = 0
    var failed = 0
    var hookErrors = 0
    var lastSuccess: BackupSuccess?
    var lastResult: BackupResult?

    /// The least time between two attempts of the schedule or of retries, whatever the configuration says
    /// (a zero interval or backoff must not spin).
    static let shortestWait: Duration = .milliseconds(1)

    /// What the loop should do at `now`.
    enum Plan: Equatable {
        case run(BackupTrigger)
        /// Wait until then (or, for `nil`, until woken).
        case wait(until: Duration?)
    }

    func plan(now: Duration, minimumSpacing: Duration) -> Plan {
        var due = nextAttempt
        var trigger: BackupTrigger =
            startPending ? .start : consecutiveFailures > 0 ? .retry : .schedule
        if startPending {
            due = now
        } else if changePending, consecutiveFailures == 0 {
            // A change backs up soon, but never sooner than the spacing after the last attempt began.
            let changeDue = lastAttemptStart.map { $0 + minimumSpacing } ?? now
            if due.map({ changeDue < $0 }) ?? true {
                due = changeDue
                trigger = .change
            }
        }
        guard let due else { return .wait(until: nil) }
        return due <= now ? .run(trigger) : .wait(until: due)
    }

    /// Notes that an attempt starts at `now`: a change notified from here on asks for another backup.
    mutating func beginAttempt(
        at now: Duration
    ) -> (
        lastGood: (name: BackupFileName, marker: BackupChangeMarker)?, cleanLeftovers: Bool
    ) {
        startPending = false
        changePending = false
        lastAttemptStart = now
        defer { leftoversCleaned = true }
        return (lastGood, !leftoversCleaned)
    }

    /// Records an attempt's outcome and schedules the next one; returns the result to report.
    mutating func finishAttempt(
        _ outcome: BackupWorker.Outcome, trigger: BackupTrigger, started: Duration, now: Duration,
        configuration: BackupConfiguration, running: Bool
    ) -> BackupResult {
        let result: BackupResult
        switch outcome {
        case .succeeded(let success, let marker):
            consecutiveFailures = 0
            lastGood = (success.name, marker)
            lastSuccess = success
            succeeded += 1
            nextAttempt = configuration.interval.map { max(started + max($0, Self.shortestWait), now) }
            result = .succeeded(success)
        case .skipped(let skip):
            consecutiveFailures = 0
            skipped += 1
            nextAttempt = configuration.interval.map { max(started + max($0, Self.shortestWait), now) }
            result = .skipped(skip)
        case .failed(let error):
            consecutiveFailures += 1
            failed += 1
            let delay = max(
                Self.shortestWait,
                configuration.backoff.delay(afterFailures: consecutiveFailures, random: configuration.random()))
            nextAttempt = now + delay
            result = .failed(
                BackupFailure(
                    error: error, attempt: consecutiveFailures, retryIn: running ? delay : nil, trigger: trigger))
        }
        lastResult = result
        return result
    }
}
