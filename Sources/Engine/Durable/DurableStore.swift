import DictDBAPI

/// The on-disk side of an open database: its directory, lock, journal and checkpoints.
final class DurableStore: @unchecked Sendable {
    // @unchecked: the mutable state is a LockedValue; the rest is immutable or thread-safe.

    let directory: DatabaseDirectory
    /// The recorded configuration (its plugin names are refreshed by checkpoints).
    var configuration: DirectoryConfiguration { state.withLock { $0.configuration } }
    let codec: any StorageCodec
    let log: DurableLog
    let report: OpenReport
    let options: OpenOptions
    private let fileLock: any FileLock
    /// Serializes checkpoints.
    private let checkpointLock = Lock()

    private struct State {
        var generation: UInt64
        var snapshotBytes: Int64
        var checkpointRunning = false
        var closed = false
        var configuration: DirectoryConfiguration
        /// The journal sequence the newest snapshot covers, when nothing after it was replayed at the open:
        /// while the log has not moved past it, closing has nothing to fold into a new snapshot.
        var settledSequence: UInt64?
    }

    private let state: LockedValue<State>

    init(
        directory: DatabaseDirectory, configuration: DirectoryConfiguration, codec: any StorageCodec, log: DurableLog,
        report: OpenReport, options: OpenOptions, fileLock: any FileLock, generation: UInt64, snapshotBytes: Int64
    ) {
        self.directory = directory
        self.codec = codec
        self.log = log
        self.report = report
        self.options = options
        self.fileLock = fileLock
        self.state = LockedValue(
            State(
                generation: generation, snapshotBytes: snapshotBytes, configuration: configuration,
                // Entries replayed at the open may never have been synced (a failed fsync drops them from
                // the disk but not from the page cache recovery reads): only a snapshot settles them.
                settledSequence: report.replayedRecords == 0 ? log.lastSequence : nil))
    }

    /// Whether the journal has outgrown max(minimum, factor x snapshot size).
    func journalIsTooLarge(_ bytes: Int64) -> Bool {
        let snapshotBytes = state.withLock { $0.snapshotBytes }
        let threshold = max(options.checkpointMinimumBytes, Int64(Double(snapshotBytes) * options.checkpointFactor))
        return bytes > threshold
    }

    /// Starts a checkpoint on the calling thread if the journal is too large and none is running; errors
    /// are left for the next write to meet (a failed sync makes the journal read-only).
    func checkpointIfNeeded(_ journalBytes: Int64, database: Database) {
        guard journalIsTooLarge(journalBytes) else { return }
        let claimed = state.withLock { state -> Bool in
            if state.checkpointRunning || state.closed { return false }
            state.checkpointRunning = true
            return true
        }
        guard claimed else { return }
        defer { state.withLock { $0.checkpointRunning = false } }
        _ = try? checkpoint(database)
    }

    /// Writes a new snapshot generation from a consistent cut and starts a new journal, then deletes the
    /// files the new generation supersedes. Writers are held only while the journal switches (one
    /// fdatasync of the old journal, creation of the new one); the snapshot is written without any lock.
    ///
    /// The order makes every crash recoverable: new journal (after the old one is synced) -> snapshot
    /// (atomic replace) -> delete older files -> fsync the directory.
    @discardableResult
    func checkpoint(_ database: Database) throws(DictDBError) -> SnapshotInfo {
        checkpointLock.lock()
        defer { checkpointLock.unlock() }
        let generation = state.withLock { $0.generation } + 1
        let journalPath = directory.journalPath(generation: generation, format: log.format)
        let format = log.format
        let fileSystem = directory.fileSystem
        var outcome: DurableLog.RotationOutcome?
        let cut = database.consistentCut {
            outcome = log.rotate { (sequence) throws(DictDBError) -> JournalWriter in
                let header = JournalFormat.Header(generation: generation, baseSequence: sequence)
                return try JournalWriter.create(
                    at: journalPath, header: header, headerBytes: format.encodeHeader(header), fileSystem: fileSystem)
            }
        }
        let sequence: UInt64
        switch outcome {
        case .rotated(let last, let old)?:
            sequence = last
            try? old.close()
        case .failed(let error, let undo)?:
            // Never reuse the generation: a file of it may be left behind.
            state.withLock { $0.generation = generation }
            DurableLog.undo(undo)
            throw error
        case nil:
            throw DictDBError(.invalidState, "the checkpoint could not switch journals")
        }
        state.withLock { $0.generation = generation }
        CrashPoint.hit("checkpoint.afterRotate")
        let info = try Database.writeSnapshot(
            cut, to: directory.snapshotPath(generation: generation), codec: codec, generation: Int64(generation),
            sequence: Int64(sequence), fileSystem: fileSystem)
        state.withLock {
            $0.snapshotBytes = info.bytes
            $0.settledSequence = sequence
        }
        CrashPoint.hit("checkpoint.afterSnapshot")
        try recordPlugins(of: cut)
        try removeFiles(before: generation)
        CrashPoint.hit("checkpoint.afterCleanup")
        return info
    }

    /// Rewrites `dictdb.json` when the tables use other key generators or index kinds than it names.
    func recordPlugins(of cut: ConsistentCut) throws(DictDBError) {
        let current = configuration
        let updated = current.naming(pluginsOf: cut)
        guard updated != current else { return }
        try updated.write(to: directory)
        state.withLock { $0.configuration = updated }
    }

    /// Deletes snapshots and journals older than `generation`, then fsyncs the directory.
    func removeFiles(before generation: UInt64) throws(DictDBError) {
        try Self.removeFiles(in: directory, format: log.format, before: generation)
    }

    static func removeFiles(
        in directory: DatabaseDirectory, format: any JournalFileFormat, before generation: UInt64
    ) throws(DictDBError) {
        let listing = try directory.list(format: format)
        var removed = false
        for old in listing.snapshots where old < generation {
            try directory.fileSystem.removeFile(directory.snapshotPath(generation: old))
            removed = true
        }
        for old in listing.journals where old < generation {
            try directory.fileSystem.removeFile(directory.journalPath(generation: old, format: format))
            removed = true
        }
        if removed { try directory.fileSystem.syncDirectory(directory.path) }
    }

    /// Checkpoints (unless `checkpointing` is false, or nothing was journaled since the open or the last
    /// checkpoint), syncs and closes the journal, and releases the directory lock. Idempotent.
    func close(database: Database, checkpointing: Bool) throws(DictDBError) {
        let first = state.withLock { state -> Bool in
            if state.closed { return false }
            state.closed = true
            return true
        }
        guard first else { return }
        var failure: DictDBError?
        if checkpointing && log.lastSequence != state.withLock({ $0.settledSequence }) {
            do {
                try checkpoint(database)
            } catch {
                failure = error
            }
        }
        do {
            try log.close()
        } catch {
            if failure == nil { failure = error }
        }
        fileLock.release()
        if let failure { throw failure }
    }
}
