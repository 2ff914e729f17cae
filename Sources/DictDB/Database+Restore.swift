/// A database loaded from a backup: the backup chosen and the newer ones passed over as damaged.
public struct RestoredBackup: Sendable {
    /// The restored (in-memory) database.
    public var database: Database
    /// The backup it came from.
    public var backup: BackupInfo
    /// Newer backups that could not be read, newest first, each with its error.
    public var skipped: [SkippedBackup]
}

/// An on-disk database restored to a point in time: a backup, then the live journal replayed over it.
public struct PointInTimeRestore: Sendable {
    /// The restored database, open in the new directory (close it when done).
    public var database: Database
    /// The backup the restore started from.
    public var backup: BackupInfo
    /// Newer candidate backups that could not be read, newest first, each with its error.
    public var skipped: [SkippedBackup]
    /// What recovery did: the entries replayed, the last sequence, where it stopped
    /// (`OpenReport.stoppedAtTarget`).
    public var report: OpenReport
}

extension Database {
    /// Loads the newest backup in `directory` that reads back whole, passing over damaged ones.
    ///
    /// ```swift
    /// let restored = try Database.restoreNewestBackup(in: "/var/backups/app")
    /// for skipped in restored.skipped { print("damaged:", skipped) }
    /// let db = restored.database
    /// ```
    ///
    /// - Parameters:
    ///   - directory: the backup directory.
    ///   - atOrBeforeMillis: only consider backups taken at or before this time (ms since 1970, UTC).
    ///   - registry: the plugins the backups name (codec, key generators, index kinds).
    ///   - limits: the nesting, length and size limits each read enforces.
    ///   - fileSystem: where the backups are read from.
    /// - Throws: `DictDBError.Code.invalidArgument` when there is no backup (at or before the time),
    ///   `DictDBError.Code.corrupt` listing each error when none can be read,
    ///   `DictDBError.Code.unknownPlugin` when the registry lacks a plugin a backup needs.
    public static func restoreNewestBackup(
        in directory: String, atOrBefore atOrBeforeMillis: Int64? = nil, registry: Registry = .standard,
        limits: DecodingLimits = .default, fileSystem: any FileSystem = PosixFileSystem()
    ) throws(DictDBError) -> RestoredBackup {
        let selection = try BackupDirectory(directory, fileSystem: fileSystem).newestValid(
            atOrBefore: atOrBeforeMillis
        ) { (backup) throws(DictDBError) -> Database in
            try Database.load(from: backup.path, registry: registry, limits: limits, fileSystem: fileSystem)
        }
        return RestoredBackup(database: selection.value, backup: selection.backup, skipped: selection.skipped)
    }

    /// Loads the newest readable backup in `directory` taken at or before a time (ms since 1970, UTC).
    /// See ``restoreNewestBackup(in:atOrBefore:registry:limits:fileSystem:)``.
    public static func restoreBackup(
        in directory: String, atOrBefore millis: Int64, registry: Registry = .standard,
        limits: DecodingLimits = .default, fileSystem: any FileSystem = PosixFileSystem()
    ) throws(DictDBError) -> RestoredBackup {
        try restoreNewestBackup(
            in: directory, atOrBefore: millis, registry: registry, limits: limits, fileSystem: fileSystem)
    }

    /// Restores an on-disk database to a point in time: the newest readable backup at or before the target
    /// becomes the snapshot of a new database directory, and the live database's journal is replayed over
    /// it up to the target sequence or time.
    ///
    /// ```swift
    /// let restored = try Database.restoreBackup(
    ///     from: "/var/backups/app", upTo: .time(millis: beforeTheBadDeploy),
    ///     replayingJournalOf: "/var/lib/app/db", into: "/var/lib/app/db-restored")
    /// defer { try? restored.database.close() }
    /// ```
    ///
    /// Only backups of an on-disk database (generation 1 or more) whose generation's journal is still in
    /// `liveDirectory` can be used: a checkpoint deletes the journals older than its generation, so the
    /// window reaches back to the last checkpoint (raise `OpenOptions.checkpointMinimumBytes` to widen it).
    /// The live database may be open meanwhile: its files are only read (newest journal first, so an
    /// older one is complete when it is copied). Entries after the target end up in
    /// `journal-N.log.after-<sequence>` files in the new directory, not in the database.
    ///
    /// - Parameters:
    ///   - backups: the backup directory.
    ///   - target: the last journal sequence to include, or a time: the entries written at or before it.
    ///   - liveDirectory: the on-disk database whose journal is replayed.
    ///   - newDirectory: where the restored database is made; it must not exist or be empty. After a
    ///     failure it is left empty.
    ///   - registry: the plugins the backup, the journal and the result need.
    ///   - options: how to open the result (its `OpenOptions.recoverUpTo` is set to `target`).
    /// - Throws: `DictDBError.Code.invalidArgument` when `newDirectory` is not empty, no backup fits the
    ///   target, or the journal ends before a sequence target; `DictDBError.Code.corrupt` when every
    ///   candidate is damaged or the journal has a gap; `DictDBError.Code.io`.
    public static func restoreBackup(
        from backups: String, upTo target: RecoveryTarget, replayingJournalOf liveDirectory: String,
        into newDirectory: String, registry: Registry = .standard, options: OpenOptions = OpenOptions()
    ) throws(DictDBError) -> PointInTimeRestore {
        let fileSystem = options.fileSystem
        let live = try DirectoryFiles(liveDirectory, fileSystem: fileSystem)
        if try fileSystem.fileSize(newDirectory) != nil, !(try fileSystem.contentsOfDirectory(newDirectory).isEmpty) {
            throw DictDBError(
                .invalidArgument, "\(newDirectory) is not empty; restore into a new directory",
                context: .init(path: newDirectory))
        }
        let (backup, skipped) = try chooseBackup(in: backups, for: target, live: live, registry: registry, options)
        do throws(DictDBError) {
            try fileSystem.createDirectory(newDirectory)
            let configuration = FilePath.join(newDirectory, DirectoryFiles.configurationName)
            try fileSystem.copyFile(FilePath.join(liveDirectory, DirectoryFiles.configurationName), to: configuration)
            let snapshot = FilePath.join(newDirectory, DirectoryFiles.snapshotName(generation: backup.generation))
            try fileSystem.copyFile(backup.path, to: snapshot)
            // Newest first: once a newer journal exists, the older one is no longer written to.
            for journal in live.journals.reversed() where journal.generation >= backup.generation {
                try fileSystem.copyFile(
                    FilePath.join(liveDirectory, journal.name), to: FilePath.join(newDirectory, journal.name))
            }
            var restoreOptions = options
            restoreOptions.recoverUpTo = target
            restoreOptions.createIfMissing = false
            let database = try Database.open(at: newDirectory, options: restoreOptions, registry: registry)
            guard let report = database.openReport else {
                throw DictDBError(.invalidState, "the restored database at \(newDirectory) is not on disk")
            }
            return PointInTimeRestore(database: database, backup: backup, skipped: skipped, report: report)
        } catch {
            // The directory was empty: everything in it now is this restore's.
            for name in (try? fileSystem.contentsOfDirectory(newDirectory)) ?? [] {
                try? fileSystem.removeFile(FilePath.join(newDirectory, name))
            }
            throw error
        }
    }

    /// The newest backup that can start a restore to `target`: of an on-disk database, its generation's
    /// journal still live, at or before the target, and readable whole.
    private static func chooseBackup(
        in backups: String, for target: RecoveryTarget, live: DirectoryFiles, registry: Registry,
        _ options: OpenOptions
    ) throws(DictDBError) -> (BackupInfo, [SkippedBackup]) {
        let directory = BackupDirectory(backups, fileSystem: options.fileSystem)
        let generations = Set(live.journals.map(\.generation))
        let candidates = try directory.list().reversed().filter { backup in
            guard backup.generation >= 1, generations.contains(backup.generation) else { return false }
            switch target {
            case .sequence(let sequence): return UInt64(clamping: backup.sequence) <= sequence
            case .time(let millis): return backup.timestampMillis <= millis
            }
        }
        var skipped: [SkippedBackup] = []
        for backup in candidates {
            let verification: BackupVerification
            do throws(DictDBError) {
                verification = try directory.verify(backup, registry: registry)
            } catch  where [.corrupt, .unsupportedFormat, .limitExceeded, .compression, .io].contains(error.code) {
                skipped.append(SkippedBackup(backup: backup, error: error))
                continue
            }
            // Recovery trusts `_meta`: it must hold the sequence in the name, and (for a time) predate it.
            guard verification.meta["sequence"].intValue == backup.sequence else { continue }
            if case .time(let millis) = target, (verification.meta["created"].intValue ?? .max) > millis { continue }
            return (backup, skipped)
        }
        let oldest = live.journals.first.map { "generation \($0.generation)" } ?? "none"
        let reasons = skipped.isEmpty ? "" : "; damaged: " + skipped.map(\.description).joined(separator: "; ")
        throw DictDBError(
            skipped.isEmpty ? .invalidArgument : .corrupt,
            "no backup in \(backups) can start a restore to \(target): it must be of an on-disk database, taken at or before the target, during a generation whose journal is still in \(live.path) (oldest: \(oldest))\(reasons)",
            context: .init(path: backups))
    }

    /// Copies a file (atomically at the destination), in chunks.
}

/// The files of an on-disk database directory that a point-in-time restore copies, by the names the
/// engine gives them (`dictdb.json`, `snapshot-<20 digits>.dictdb`, `journal-<20 digits>.log|ndjson`): the
/// directory layout is a file format, fixed like the files themselves.
private struct DirectoryFiles {
    static let configurationName = "dictdb.json"

    let path: String
    /// The journals, oldest first.
    let journals: [(name: String, generation: Int64)]

    init(_ path: String, fileSystem: any FileSystem) throws(DictDBError) {
        self.path = path
        guard try fileSystem.fileSize(FilePath.join(path, Self.configurationName)) != nil else {
            throw DictDBError(
                .invalidArgument, "\(path) is not an on-disk database (it has no \(Self.configurationName))",
                context: .init(path: path))
        }
        journals = try fileSystem.contentsOfDirectory(path).compactMap { name in
            for suffix in [".log", ".ndjson"] {
                if let generation = Self.generation(of: name, prefix: "journal-", suffix: suffix) {
                    return (name, generation)
                }
            }
            return nil
        }.sorted { $0.generation < $1.generation }
    }

    static func snapshotName(generation: Int64) -> String {
        "snapshot-\(padded(generation)).dictdb"
    }

    private static func padded(_ generation: Int64) -> String {
        let digits = String(generation)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    private static func generation(of name: String, prefix: String, suffix: String) -> Int64? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
        guard digits.count == 20, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(digits)
    }
}
