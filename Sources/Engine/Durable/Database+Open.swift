import DictDBAPI

extension Database {
    /// Opens the on-disk database in `directory`, creating it if needed, and recovers it: the newest valid
    /// snapshot, then every journal entry after it.
    ///
    /// ```swift
    /// let db = try Database.open(at: "/var/lib/app/db", registry: .standard)
    /// defer { try? db.close() }
    /// try db.createTable("events", ifNotExists: true).insert(["kind": "login"])   // journaled
    /// ```
    ///
    /// Every committed change reaches the journal with one `write()` before its call returns; the sync
    /// policy (``OpenOptions/syncPolicy``) decides when it is forced to stable storage. The directory is
    /// locked (`flock`) while open. A torn journal tail left by a crash is copied aside and cut off (see
    /// ``openReport``); damage followed by valid records refuses to open unless
    /// ``OpenOptions/pointInTimeRecovery`` is set.
    ///
    /// - Throws: `DictDBError.Code.locked` when the database is open elsewhere (this process included),
    ///   `DictDBError.Code.unknownPlugin` naming a codec, journal format, sync policy, key generator or
    ///   index kind the registry lacks, `DictDBError.Code.corrupt` naming the file and offset,
    ///   `DictDBError.Code.invalidArgument` for options that contradict the recorded configuration,
    ///   `DictDBError.Code.io`.
    public static func open(
        at path: String, options: OpenOptions = OpenOptions(), registry: Registry
    ) throws(DictDBError) -> Database {
        let fileSystem = options.fileSystem
        let directory = DatabaseDirectory(path: path, fileSystem: fileSystem)
        if try fileSystem.fileSize(path) == nil {
            guard options.createIfMissing else {
                throw DictDBError(
                    .invalidArgument, "there is no database at \(path) (createIfMissing is off)",
                    context: .init(path: path))
            }
            try fileSystem.createDirectory(path)
            // The new directory's entry must be durable before anything in it is acknowledged.
            try fileSystem.syncDirectory(FilePath.directory(of: path))
        }
        let fileLock = try fileSystem.lockExclusively(directory.lockPath)
        do {
            return try open(directory, options: options, registry: registry, fileLock: fileLock)
        } catch {
            fileLock.release()
            throw error
        }
    }

    private static func open(
        _ directory: DatabaseDirectory, options: OpenOptions, registry: Registry, fileLock: any FileLock
    ) throws(DictDBError) -> Database {
        let jsonCodec = try registry.codec(named: "json")
        let (configuration, created) = try loadOrCreateConfiguration(
            directory, options: options, registry: registry, jsonCodec: jsonCodec)
        let codec = try registry.codec(named: configuration.codec)
        let format = try journalFormat(configuration, registry: registry, jsonCodec: jsonCodec)
        let policy = try registry.syncPolicy(named: options.syncPolicy ?? configuration.syncPolicy)
        try configuration.checkPlugins(in: registry)

        let recovery = Recovery(
            directory: directory, format: format, registry: registry, pointInTime: options.pointInTimeRecovery,
            target: options.recoverUpTo)
        var outcome = try recovery.run()
        outcome.report.created = created
        let database = outcome.database
        let writer: JournalWriter
        var generation: UInt64
        var snapshotBytes = outcome.snapshotBytes
        if let (path, header) = outcome.resumable {
            writer = try JournalWriter.resume(
                at: path, header: header, nextSequence: outcome.lastSequence &+ 1, fileSystem: directory.fileSystem)
            generation = header.generation
            // An earlier open may have created the journal (or the directory) and failed before syncing the
            // directory entries; entries synced into a file whose name is not durable would be lost with it.
            do {
                try directory.fileSystem.syncDirectory(directory.path)
                try directory.fileSystem.syncDirectory(FilePath.directory(of: directory.path))
            } catch {
                try? writer.close()
                throw error
            }
        } else {
            // Start a clean generation: new journal, then a snapshot of the recovered state, then remove
            // everything older. A crash at any step leaves a directory this code recovers.
            generation = outcome.highestGeneration + 1
            let header = JournalFormat.Header(generation: generation, baseSequence: outcome.lastSequence)
            writer = try JournalWriter.create(
                at: directory.journalPath(generation: generation, format: format), header: header,
                headerBytes: format.encodeHeader(header), fileSystem: directory.fileSystem)
            do {
                let info = try writeSnapshot(
                    database.consistentCut(), to: directory.snapshotPath(generation: generation), codec: codec,
                    generation: Int64(generation), sequence: Int64(outcome.lastSequence),
                    fileSystem: directory.fileSystem)
                snapshotBytes = info.bytes
                try DurableStore.removeFiles(in: directory, format: format, before: generation)
            } catch {
                try? writer.close()
                throw error
            }
        }
        let log = DurableLog(writer: writer, format: format, policy: policy)
        let store = DurableStore(
            directory: directory, configuration: configuration, codec: codec, log: log, report: outcome.report,
            options: options, fileLock: fileLock, generation: generation, snapshotBytes: snapshotBytes)
        if outcome.resumable == nil {
            do {
                try store.recordPlugins(of: database.consistentCut())
            } catch {
                try? store.close(database: database, checkpointing: false)
                throw error
            }
        }
        database.attach(store)
        return database
    }

    private static func loadOrCreateConfiguration(
        _ directory: DatabaseDirectory, options: OpenOptions, registry: Registry, jsonCodec: any StorageCodec
    ) throws(DictDBError) -> (DirectoryConfiguration, created: Bool) {
        let path = directory.configurationPath
        let fileSystem = directory.fileSystem
        if try fileSystem.fileSize(path) != nil {
            let bytes = try directory.readAll(path, limit: 1 << 20)
            let value: Value
            do {
                value = try jsonCodec.decode(bytes, limits: .default)
            } catch {
                throw DictDBError(
                    .corrupt, "\(path) is not valid JSON: \(error.message)", context: .init(path: path),
                    underlying: error
                )
            }
            let configuration = try DirectoryConfiguration(value, path: path)
            if let codec = options.codec, codec != configuration.codec {
                throw DictDBError(
                    .invalidArgument,
                    "the database at \(directory.path) was created with codec '\(configuration.codec)', not '\(codec)'",
                    context: .init(path: path, expected: configuration.codec, found: codec))
            }
            if let format = options.journalFormat, format != configuration.journalFormat {
                throw DictDBError(
                    .invalidArgument,
                    "the database at \(directory.path) was created with journal format '\(configuration.journalFormat)', not '\(format)'",
                    context: .init(path: path, expected: configuration.journalFormat, found: format))
            }
            return (configuration, false)
        }
        let existing = try fileSystem.contentsOfDirectory(directory.path).filter {
            $0.hasPrefix("snapshot-") || $0.hasPrefix("journal-")
        }
        if !existing.isEmpty {
            throw DictDBError(
                .corrupt, "\(directory.path) holds database files but no \(DatabaseDirectory.configurationName)",
                context: .init(path: path))
        }
        let configuration = DirectoryConfiguration(
            codec: options.codec ?? "msgpack", journalFormat: options.journalFormat ?? "binary",
            syncPolicy: options.syncPolicy ?? "always")
        // Check every name before anything is written.
        _ = try registry.codec(named: configuration.codec)
        _ = try journalFormat(configuration, registry: registry, jsonCodec: jsonCodec)
        _ = try registry.syncPolicy(named: configuration.syncPolicy)
        try fileSystem.replaceAtomically(path) { (file) throws(DictDBError) in try file.write(configuration.text) }
        return (configuration, true)
    }

    private static func journalFormat(
        _ configuration: DirectoryConfiguration, registry: Registry, jsonCodec: any StorageCodec
    ) throws(DictDBError) -> any JournalFileFormat {
        switch configuration.journalFormat {
        case "binary":
            let base = configuration.codec.split(separator: "+").first.map(String.init) ?? configuration.codec
            return BinaryJournalFormat(codec: try registry.codec(named: base))
        case "ndjson":
            return NDJSONJournalFormat(jsonCodec: jsonCodec)
        default:
            throw DictDBError(
                .unknownPlugin, "unknown journal format '\(configuration.journalFormat)' (known: binary, ndjson)",
                context: .init(expected: "binary, ndjson", found: configuration.journalFormat))
        }
    }

    // MARK: - Working with an open on-disk database

    /// Whether the database lives in a directory (opened with ``open(at:options:registry:)``).
    public var isDurable: Bool { durable != nil }

    /// What the last open found and did (recovery details); `nil` in memory.
    public var openReport: OpenReport? { durable?.report }

    /// Forces every change made so far to stable storage, whatever the sync policy: a durability barrier.
    /// Does nothing in memory.
    /// - Throws: `DictDBError.Code.readOnly` after a failed fsync (the database must be reopened).
    public func commit() throws(DictDBError) {
        try durable?.log.syncAll()
    }

    /// Writes a new snapshot generation and starts a new journal, then deletes the older files (what runs
    /// automatically when the journal outgrows its threshold). Writers keep going while the snapshot is
    /// written.
    /// - Throws: `DictDBError.Code.invalidState` in memory, `DictDBError.Code.io`,
    ///   `DictDBError.Code.readOnly`.
    @discardableResult
    public func checkpoint() throws(DictDBError) -> SnapshotInfo {
        guard let durable else {
            throw DictDBError(.invalidState, "an in-memory database has no journal to checkpoint; use save(to:)")
        }
        return try durable.checkpoint(self)
    }

    /// Checkpoints, syncs and closes the journal, and releases the directory lock. Reads still work
    /// afterwards; writes throw `DictDBError.Code.invalidState`. Calling it again does nothing; in memory
    /// it does nothing.
    ///
    /// The checkpoint is skipped when nothing was journaled since the open (or the last checkpoint) and
    /// the open replayed nothing: the files already hold the state. See ``close(checkpointing:)`` to keep
    /// the journal as it is.
    /// - Throws: the checkpoint's or the final sync's error; the lock is released regardless.
    public func close() throws(DictDBError) {
        try close(checkpointing: true)
    }

    /// Closes the database, with or without a final checkpoint.
    ///
    /// ```swift
    /// let db = try Database.open(at: "./data")
    /// try db.table("events").insert(["kind": "login"])
    /// try db.close(checkpointing: false)  // quick: the next open replays the journal
    /// ```
    ///
    /// Without the checkpoint the journal stays as it is: the close is quick (no snapshot of the whole
    /// database), the next open replays the journal, and the journal keeps serving point-in-time restores
    /// (`Database.restoreBackup(from:upTo:replayingJournalOf:into:)` in DictDB) until a checkpoint
    /// (``checkpoint()``, or the automatic one when the journal outgrows its threshold) folds it into a
    /// snapshot. Short-lived processes such as the `dictdb` command line close this way. Either way the
    /// journal is synced and everything acknowledged is durable.
    /// - Throws: the checkpoint's or the final sync's error; the lock is released regardless.
    public func close(checkpointing: Bool) throws(DictDBError) {
        try durable?.close(database: self, checkpointing: checkpointing)
    }

    /// The on-disk database's directory, journal and sync figures, for diagnostics.
    public var journalStatus: JournalStatus? {
        guard let durable else { return nil }
        let info = durable.log.journalInfo
        return JournalStatus(
            directory: durable.directory.path, journal: info.path, journalBytes: info.bytes,
            generation: info.generation, lastSequence: durable.log.lastSequence, unsyncedRecords: Int(info.unsynced),
            syncs: info.syncs,
            codec: durable.configuration.codec, journalFormat: durable.log.format.name,
            syncPolicy: durable.log.policy.name)
    }
}

/// Where an on-disk database stands: its files and journal position.
public struct JournalStatus: Sendable, Hashable {
    /// The database directory.
    public var directory: String
    /// The journal file being appended to.
    public var journal: String
    /// Its size in bytes.
    public var journalBytes: Int64
    /// The current generation (snapshot and journal number).
    public var generation: UInt64
    /// The sequence of the last journaled change.
    public var lastSequence: UInt64
    /// Journaled changes not yet forced to stable storage: what a power loss could take.
    public var unsyncedRecords: Int
    /// How many times the journal was fdatasynced since the database was opened (one sync may cover
    /// many concurrent commits).
    public var syncs: Int
    /// The snapshot codec.
    public var codec: String
    /// The journal layout: `binary` or `ndjson`.
    public var journalFormat: String
    /// The sync policy in force.
    public var syncPolicy: String
}
