import DictDBAPI
import Dispatch

/// Takes scheduled, verified, pruned backups of a database.
///
/// ```swift
/// var configuration = BackupConfiguration()
/// configuration.codec = "json+gzip"
/// configuration.interval = .seconds(15 * 60)
/// configuration.retention = RetentionPolicy(keepCount: 96)
/// let backups = BackupManager(source: db, directory: "/var/backups/app", configuration: configuration)
/// backups.start()                       // a backup now, then every 15 minutes
/// backups.notifyChange()                // after important writes: a backup soon (at most one a minute)
/// let result = await backups.backupNow()
/// await backups.stop()                  // waits for a backup in flight
/// ```
///
/// Each backup is a consistent cut of the database (writers are not blocked while it is written), written
/// with the configured codec to a staging file in `directory`, read back in full through the codec (the
/// checksum included), and only then renamed to its ``BackupFileName`` and counted. Then retention deletes
/// old backups, never the newest verified one and never a file whose name is not a backup's. When nothing
/// changed since the last good backup (see `BackupChangeMarker`), the attempt is skipped. After a
/// failure the next attempt waits for the ``BackoffPolicy`` delay; ``BackupStatus/consecutiveFailures``
/// counts failures until a success resets it.
///
/// The schedule runs on one task whose waits use the clock given at creation (a test clock makes tests run
/// without sleeping); the file work of a backup runs on a dispatch queue, off Swift's cooperative threads.
/// Hooks run outside any lock, after the backup; an error they throw is counted and otherwise ignored.
/// Call ``stop()`` before dropping a started manager: its task keeps it alive.
public final class BackupManager: Sendable {
    /// Where backups are written.
    public let directory: String
    /// How backups are scheduled, written, kept and reported.
    public let configuration: BackupConfiguration
    private let worker: BackupWorker
    private let clock: ErasedClock
    private let state = LockedValue(ManagerState())
    private let gate = AsyncGate()
    private let wake = WakeSignal()
    private let queue = DispatchQueue(label: "dictdb.backup")

    /// A manager for `source` (a `Database`) writing to `directory` (created when missing), with the
    /// continuous clock.
    public convenience init(
        source: any BackupSource, directory: String, configuration: BackupConfiguration = BackupConfiguration()
    ) {
        self.init(source: source, directory: directory, configuration: configuration, clock: ContinuousClock())
    }

    /// A manager whose schedule runs on `clock` (tests pass a manual clock).
    public init<C: Clock>(
        source: any BackupSource, directory: String, configuration: BackupConfiguration, clock: C
    ) where C.Duration == Duration {
        self.directory = directory
        self.configuration = configuration
        self.clock = ErasedClock(clock)
        worker = BackupWorker(
            source: source, directory: BackupDirectory(directory, fileSystem: configuration.fileSystem),
            configuration: configuration)
    }

    // MARK: - Schedule

    /// Starts the schedule: a backup at once, then every ``BackupConfiguration/interval``. Does nothing
    /// when already started.
    public func start() {
        state.withLock { state in
            guard state.task == nil else { return }
            state.startPending = true
            state.task = Task { await self.runLoop() }
        }
    }

    /// Stops the schedule and returns once no backup is in flight (a backup running now finishes first,
    /// hooks included for a scheduled one). Does nothing more when already stopped.
    public func stop() async {
        let task = state.withLock { state -> Task<Void, Never>? in
            defer { state.task = nil }
            return state.task
        }
        task?.cancel()
        await task?.value
        // A backupNow() from elsewhere may still hold the gate.
        await gate.enter()
        gate.leave()
    }

    /// Asks for a backup because the data changed: it runs soon, but not sooner than
    /// ``BackupConfiguration/minimumSpacing`` after the last attempt began (a burst makes one backup), and
    /// not during a failure backoff. Only while started.
    public func notifyChange() {
        state.withLock { $0.changePending = true }
        wake.signal()
    }

    /// Runs a backup now, after any backup in flight, whether or not the schedule runs, and returns what
    /// it did. A success resets the failure count and the interval; a failure counts like any other.
    /// - Parameter force: back up even when nothing changed since the last good backup.
    @discardableResult
    public func backupNow(force: Bool = false) async -> BackupResult {
        await gate.enter()
        let result = await attempt(.manual, force: force)
        wake.signal()
        return result
    }

    /// Where the manager stands: running or not, failures, counts, the last results.
    public var status: BackupStatus {
        state.withLock { state in
            BackupStatus(
                isRunning: state.task != nil, consecutiveFailures: state.consecutiveFailures,
                succeeded: state.succeeded, skipped: state.skipped, failed: state.failed,
                hookErrors: state.hookErrors, lastSuccess: state.lastSuccess, lastResult: state.lastResult)
        }
    }

    /// The backups in ``directory``, oldest first (files whose names are not backups' are left out).
    /// - Throws: `DictDBError.Code.io`.
    public func listBackups() throws(DictDBError) -> [BackupInfo] {
        try worker.directory.list()
    }

    /// The newest backup in ``directory`` that reads back whole (taken at or before `atOrBeforeMillis`
    /// when given), with the newer ones it passed over as damaged. See
    /// ``BackupDirectory/newestValid(registry:atOrBefore:limits:)``.
    /// - Throws: `DictDBError.Code.invalidArgument` when there is no backup,
    ///   `DictDBError.Code.corrupt` when none reads back, `DictDBError.Code.unknownPlugin`.
    public func newestValidBackup(
        atOrBefore atOrBeforeMillis: Int64? = nil
    ) throws(DictDBError)
        -> BackupSelection<BackupVerification>
    {
        try worker.directory.newestValid(
            registry: worker.source.registry, atOrBefore: atOrBeforeMillis, limits: configuration.verifyLimits)
    }

    // MARK: - The loop

    private func runLoop() async {
        while !Task.isCancelled {
            let now = clock.now()
            let plan = state.withLock { $0.plan(now: now, minimumSpacing: configuration.minimumSpacing) }
            switch plan {
            case .run(let trigger):
                await gate.enter()
                // stop() may have come while a backupNow() held the gate.
                if Task.isCancelled {
                    gate.leave()
                    return
                }
                _ = await attempt(trigger, force: false)
            case .wait(let deadline):
                await waitForWake(orUntil: deadline)
            }
        }
    }

    /// Returns at `deadline` on the clock, at a wake signal, or when the task is cancelled.
    private func waitForWake(orUntil deadline: Duration?) async {
        let clock = self.clock
        let wake = self.wake
        await withTaskGroup(of: Void.self) { group in
            if let deadline { group.addTask { try? await clock.sleepUntil(deadline) } }
            group.addTask { await wake.wait() }
            await group.next()
            group.cancelAll()
        }
    }

    /// One attempt; call with the gate entered: it leaves the gate before the hooks run.
    private func attempt(_ trigger: BackupTrigger, force: Bool) async -> BackupResult {
        let started = clock.now()
        let (lastGood, cleanLeftovers) = state.withLock { $0.beginAttempt(at: started) }
        let worker = self.worker
        let outcome = await withCheckedContinuation {
            (continuation: CheckedContinuation<BackupWorker.Outcome, Never>) in
            queue.async {
                continuation.resume(
                    returning: worker.attempt(
                        trigger: trigger, force: force, lastGood: lastGood, cleanLeftovers: cleanLeftovers))
            }
        }
        let finished = clock.now()
        let result = state.withLock { state in
            state.finishAttempt(
                outcome, trigger: trigger, started: started, now: finished, configuration: configuration,
                running: state.task != nil)
        }
        gate.leave()
        runHooks(for: result)
        return result
    }

    /// Calls the hook for `result`, outside any lock; counts what it throws.
    private func runHooks(for result: BackupResult) {
        do {
            switch result {
            case .succeeded(let success): try configuration.onSuccess?(success)
            case .skipped(let skip): try configuration.onSkip?(skip)
            case .failed(let failure): try configuration.onError?(failure)
            }
        } catch {
            state.withLock { $0.hookErrors += 1 }
        }
    }
}
