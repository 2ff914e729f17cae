import DictDBAPI
import Synchronization

/// The write-ahead journal of an on-disk database, shared by all its tables: it numbers and appends each
/// committed change with one `write()`, forces records to stable storage as the sync policy says (with
/// group commit: concurrent committers share one `fdatasync`), and handles a failed sync.
///
/// Callers append while holding the write lock of every table the change touched, so the journal's order
/// is the order in which changes reached memory; they wait for durability after releasing those locks,
/// which is what lets writers of one table share an fsync.
///
/// After a failed fsync nothing written since the last good sync is known to be on disk. The journal then
/// refuses all writes (``DictDBError/Code/readOnly``), and every change since the last good sync is undone
/// in memory, newest first, before the waiting callers get the error: memory returns to the last state
/// known to be durable, and the database must be reopened (recovery then reads what the disk holds).
final class DurableLog: @unchecked Sendable {
    // @unchecked: every mutable field is only touched while `monitor` is held, except `writer`'s file
    // sync, which runs outside it by design (see `syncAsLeader`).

    /// How to undo one journaled change in memory.
    enum Undo {
        /// Nothing to undo (a catalog entry, applied only after it was synced).
        case none
        /// A table write: roll its change log back.
        case table(Table, ChangeLog)
        /// A transaction, or a compaction: put the storages back as they were.
        case restore([(table: Table, storage: TableStorage)])
    }

    /// What an append returns: the entry's sequence and whether the caller must wait for its sync.
    struct Ticket {
        var sequence: UInt64
        var mustSync: Bool
        /// The journal's size after the entry, for checkpoint decisions.
        var journalBytes: Int64
    }

    /// The most unsynced entries whose undo the log keeps; reaching it forces a sync (this bounds the
    /// memory the `os` policy holds between checkpoints).
    static let undoLimit = 4096

    let format: any JournalFileFormat
    let policy: any SyncPolicy
    /// Guards the state below. Condition 0 wakes committers waiting for a sync, condition 1 the flusher,
    /// condition 2 a sync leader gathering its group (so an append wakes one thread, not every waiter).
    private let monitor = Monitor(conditions: 3)
    private static let committers = 0
    private static let flusherCondition = 1
    private static let leader = 2
    /// The longest a sync leader waits for more committers to join its group.
    static let gatherWindow: Duration = .microseconds(300)
    private var writer: JournalWriter
    private var lastWritten: UInt64
    private var lastSynced: UInt64 {
        didSet { syncedWatermark.store(lastSynced, ordering: .relaxed) }
    }
    /// ``lastSynced``, readable without the monitor.
    private let syncedWatermark = Atomic<UInt64>(0)
    private var syncing = false
    private var undoing = false
    private var failure: DictDBError?
    private var pending: [(sequence: UInt64, undo: Undo)] = []
    private var lastSyncTime = ContinuousClock.now
    private var syncCount = 0
    /// How many entries the last sync covered and how long it took: with concurrent committers, the next
    /// leader waits (up to one sync, at most ``gatherWindow``) until that many have appended.
    private var lastGroupSize = 0
    private var lastSyncDuration: Duration = .zero
    /// While a leader waits for its group to fill: how many unsynced entries it waits for (the append
    /// that reaches it wakes the leader; earlier ones do not, so it is woken once).
    private var gatherTarget: UInt64?
    private var flushDeadline: ContinuousClock.Instant?
    private var flusher: BackgroundThread?
    private var stopping = false
    /// Starts the flusher's thread, or returns `nil` when the system refuses one.
    private let startThread: (@escaping @Sendable () -> Void) -> BackgroundThread?

    /// Creates the log over `writer`. `startThread` starts the `batch` policy's flusher (tests pass one
    /// that refuses, as the system may).
    init(
        writer: JournalWriter, format: any JournalFileFormat, policy: any SyncPolicy,
        startThread: @escaping (@escaping @Sendable () -> Void) -> BackgroundThread? = { BackgroundThread($0) }
    ) {
        self.writer = writer
        self.format = format
        self.policy = policy
        self.startThread = startThread
        lastWritten = writer.nextSequence &- 1
        lastSynced = lastWritten
        syncedWatermark.store(lastWritten, ordering: .relaxed)
    }

    // MARK: - Appending

    /// Throws the reason writes are refused, if they are.
    func checkWritable() throws(DictDBError) {
        let failure = monitor.withLock { self.failure }
        if let failure { throw failure }
    }

    /// Appends one entry with one `write()`. Call with the write locks of the touched tables held.
    /// - Parameter undo: how to take the change back out of memory if a later fsync fails.
    /// - Throws: ``DictDBError/Code/io`` with the journal unchanged (the caller undoes its change),
    ///   ``DictDBError/Code/readOnly`` after a failed fsync.
    func append(
        _ type: JournalFormat.RecordType, body: Value, undo: Undo, durability: Durability
    ) throws(DictDBError) -> Ticket {
        // The watermark may be a little stale (read before the lock): that only makes it smaller.
        let stamped = JournalBody.stamped(
            body, synced: syncedWatermark.load(ordering: .relaxed), millis: WallClock.nowMillis())
        let encoded = try format.encodeBody(stamped)
        monitor.lock()
        defer { monitor.unlock() }
        if let failure { throw failure }
        let sequence = lastWritten &+ 1
        do {
            try writer.appendFramed(format.frame(type: type, sequence: sequence, encodedBody: encoded))
        } catch {
            // A write that could not be cut back leaves a torn record in the file: nothing may follow
            // it, not even in a new journal after a checkpoint, so the whole log turns read-only.
            if let broken = writer.failure {
                failure = broken
                monitor.broadcast(Self.committers)
            }
            throw error
        }
        lastWritten = sequence
        pending.append((sequence, undo))
        if let gatherTarget, lastWritten - lastSynced >= gatherTarget { monitor.broadcast(Self.leader) }
        var mustSync = durability == .always || pending.count >= Self.undoLimit
        if !mustSync {
            let decision = policy.decision(
                pendingRecords: Int(lastWritten - lastSynced), timeSinceLastSync: ContinuousClock.now - lastSyncTime)
            switch decision {
            case .syncBeforeReturning:
                mustSync = true
            case .syncWithin(let delay):
                let deadline = ContinuousClock.now + delay
                if flushDeadline.map({ deadline < $0 }) ?? true {
                    if flusher == nil {
                        flusher = startThread { [unowned self] in self.runFlusher() }
                    }
                    if flusher != nil {
                        flushDeadline = deadline
                        monitor.broadcast(Self.flusherCondition)
                    } else {
                        // No thread to sync later (the system refused one): this write syncs now instead.
                        mustSync = true
                    }
                }
            case .noSync:
                break
            }
        }
        return Ticket(sequence: sequence, mustSync: mustSync, journalBytes: writer.size)
    }

    /// Adds an undo step for the entry just appended (a compaction that followed it).
    func appendUndo(_ undo: Undo, after sequence: UInt64) {
        monitor.withLock {
            if lastSynced < sequence { pending.append((sequence, undo)) }
        }
    }

    // MARK: - Syncing

    /// Returns once every entry up to `sequence` is on stable storage, syncing (or joining a sync in
    /// progress) as needed. Call without holding any table lock.
    /// - Throws: the fsync's error (memory already rolled back to the last durable state).
    func waitUntilDurable(_ sequence: UInt64) throws(DictDBError) {
        monitor.lock()
        defer { monitor.unlock() }
        while true {
            if let failure, !undoing {
                if lastSynced >= sequence { return }
                throw failure
            }
            if lastSynced >= sequence { return }
            if syncing || undoing {
                monitor.wait(Self.committers)
            } else {
                syncAsLeader()
            }
        }
    }

    /// Forces everything written so far to stable storage: the barrier behind `Database.commit()`.
    func syncAll() throws(DictDBError) {
        let target = monitor.withLock { lastWritten }
        try waitUntilDurable(target)
    }

    /// Runs one fsync covering everything written so far. Called with the monitor held; releases it
    /// during the fsync so that other writers keep appending (they join the next group).
    private func syncAsLeader() {
        syncing = true
        // Commit delay (PostgreSQL's commit_delay, adaptive): when the last sync served several
        // committers, wait (up to one sync's duration, at most ``gatherWindow``) until as many have
        // appended, so that one fdatasync covers them all. (A group grows on its own: entries appended
        // during a sync join the next one.)
        if lastGroupSize > 1 {
            let started = ContinuousClock.now
            let deadline = started + min(lastSyncDuration, Self.gatherWindow)
            gatherTarget = UInt64(lastGroupSize)
            while lastWritten - lastSynced < UInt64(lastGroupSize), failure == nil {
                let now = ContinuousClock.now
                if now >= deadline { break }
                monitor.wait(Self.leader, timeout: deadline - now)
            }
            gatherTarget = nil
        }
        let target = lastWritten
        let syncStarted = ContinuousClock.now
        let file = writer
        monitor.unlock()
        var outcome: DictDBError?
        do {
            try file.syncData()
        } catch {
            outcome = error
        }
        monitor.lock()
        syncing = false
        if let outcome {
            fail(outcome)
        } else {
            lastGroupSize = Int(target - min(target, lastSynced))
            recordSync(through: target)
            lastSyncDuration = lastSyncTime - syncStarted
        }
        monitor.broadcast(Self.committers)
    }

    /// Notes a successful sync of everything up to `target`: those entries need no undo any more.
    /// Called with the monitor held.
    private func recordSync(through target: UInt64) {
        lastSynced = max(lastSynced, target)
        lastSyncTime = .now
        syncCount += 1
        pending.removeFirst(pending.prefix { $0.sequence <= target }.count)
    }

    /// Refuses all further writes with `readOnly` and hands back the unsynced entries to undo. Called with
    /// the monitor held.
    private func turnReadOnly(_ readOnly: DictDBError) -> [(sequence: UInt64, undo: Undo)] {
        failure = readOnly
        writer.poison(readOnly)
        let toUndo = pending
        pending = []
        return toUndo
    }

    /// Turns the journal read-only after a failed fsync and undoes every unsynced change, newest first.
    /// Called with the monitor held; releases it while undoing (undo takes table locks).
    private func fail(_ error: DictDBError) {
        let readOnly = DictDBError(
            .readOnly,
            "fsync of the journal \(writer.path) failed, so recent changes may not be on disk; they were undone in memory and the database accepts no more writes until it is reopened",
            context: .init(path: writer.path), underlying: error)
        let toUndo = turnReadOnly(readOnly)
        undoing = true
        monitor.unlock()
        Self.undo(toUndo)
        monitor.lock()
        undoing = false
        monitor.broadcast(Self.committers)
    }

    /// Undoes journaled changes, newest first, each under its table's write lock.
    static func undo(_ entries: [(sequence: UInt64, undo: Undo)]) {
        for entry in entries.reversed() {
            switch entry.undo {
            case .none:
                break
            case .table(let table, let log):
                table.lock.withWriteLock { table.storage.rollBack(log) }
            case .restore(let saved):
                let ordered = saved.sorted { $0.table.name < $1.table.name }
                for item in ordered { item.table.lock.lockExclusive() }
                for item in ordered { item.table.storage = item.storage }
                for item in ordered.reversed() { item.table.lock.unlock() }
            }
        }
    }

    // MARK: - Background flushing (the `batch` policy)

    private func runFlusher() {
        monitor.lock()
        defer { monitor.unlock() }
        while !stopping {
            guard let deadline = flushDeadline else {
                monitor.wait(Self.flusherCondition)
                continue
            }
            let now = ContinuousClock.now
            if now < deadline {
                monitor.wait(Self.flusherCondition, timeout: deadline - now)
                continue
            }
            flushDeadline = nil
            if failure == nil, !syncing, !undoing, lastSynced < lastWritten { syncAsLeader() }
        }
    }

    // MARK: - Checkpoints and closing

    /// The last sequence written.
    var lastSequence: UInt64 { monitor.withLock { lastWritten } }

    /// The current journal file, and how many entries wait for a sync and how many syncs ran.
    var journalInfo: (path: String, bytes: Int64, generation: UInt64, unsynced: UInt64, syncs: Int) {
        monitor.withLock {
            (writer.path, writer.size, writer.header.generation, lastWritten - lastSynced, syncCount)
        }
    }

    /// Syncs the current journal and switches appends to a new one made by `makeNext` (given the last
    /// written sequence). Call with every table's read lock held, so no change is between memory and
    /// journal. Returns the sequence the old journal ends at.
    /// - Throws: a failed sync or creation; after a failed sync the caller must release its locks and
    ///   call ``undo(_:)`` on the returned entries (the log is read-only by then).
    func rotate(
        _ makeNext: (UInt64) throws(DictDBError) -> JournalWriter
    ) -> RotationOutcome {
        monitor.lock()
        defer { monitor.unlock() }
        while syncing || undoing { monitor.wait(Self.committers) }
        if let failure { return .failed(failure, undo: []) }
        let sequence = lastWritten
        if lastSynced < lastWritten {
            do {
                try writer.syncData()
            } catch {
                let readOnly = DictDBError(
                    .readOnly, "fsync of the journal \(writer.path) failed during a checkpoint; reopen the database",
                    context: .init(path: writer.path), underlying: error)
                let toUndo = turnReadOnly(readOnly)
                monitor.broadcast(Self.committers)
                return .failed(readOnly, undo: toUndo)
            }
            recordSync(through: lastWritten)
            monitor.broadcast(Self.committers)
        }
        let next: JournalWriter
        do {
            next = try makeNext(sequence)
        } catch {
            return .failed(error, undo: [])
        }
        let old = writer
        writer = next
        return .rotated(sequence: sequence, old: old)
    }

    /// What a rotation did: the sequence the old journal ends at and its writer (to close), or why it
    /// failed and what to undo once the caller's locks are released.
    enum RotationOutcome {
        case rotated(sequence: UInt64, old: JournalWriter)
        case failed(DictDBError, undo: [(sequence: UInt64, undo: Undo)])
    }

    /// Syncs, stops the flusher and closes the journal; later writes throw ``DictDBError/Code/invalidState``.
    /// - Throws: a failed final sync (the database is then read-only, as after any failed fsync).
    func close() throws(DictDBError) {
        var syncError: DictDBError?
        do {
            try syncAll()
        } catch {
            syncError = error
        }
        let thread = monitor.withLock { () -> BackgroundThread? in
            stopping = true
            if failure == nil {
                failure = DictDBError(.invalidState, "the database is closed; reopen it to write")
            }
            monitor.broadcast(Self.committers)
            monitor.broadcast(Self.flusherCondition)
            let thread = flusher
            flusher = nil
            return thread
        }
        thread?.join()
        try? writer.close()
        if let syncError { throw syncError }
    }
}
