import DictDBAPI

/// Runs one backup from start to end, synchronously: skip check, consistent snapshot to a staging file,
/// verifying read, rename into place, retention. Holds no state of its own; the manager serializes calls.
struct BackupWorker: Sendable {
    let source: any BackupSource
    let directory: BackupDirectory
    let configuration: BackupConfiguration

    /// What an attempt did, before the manager adds its bookkeeping (attempt count, retry delay).
    enum Outcome {
        case succeeded(BackupSuccess, BackupChangeMarker)
        case skipped(BackupSkip)
        case failed(DictDBError)
    }

    /// The suffix of the file a backup is written to before it is verified; such names never parse as a
    /// ``BackupFileName``, so a partial backup is never taken for one.
    static let stagingSuffix = ".partial"

    private var fileSystem: any FileSystem { configuration.fileSystem }

    /// One attempt. `lastGood` is the newest verified backup of this manager and the source's marker then.
    func attempt(
        trigger: BackupTrigger, force: Bool, lastGood: (name: BackupFileName, marker: BackupChangeMarker)?,
        cleanLeftovers: Bool
    ) -> Outcome {
        do throws(DictDBError) {
            try fileSystem.createDirectory(directory.path)
            if cleanLeftovers { removeLeftovers() }
            if !force, let lastGood, source.backupChangeMarker.hasSameContent(as: lastGood.marker) {
                let pruned = prune(protecting: lastGood.name).removed
                return .skipped(
                    BackupSkip(
                        marker: lastGood.marker, lastBackup: FilePath.join(directory.path, lastGood.name.description),
                        trigger: trigger, pruned: pruned))
            }
            let (success, marker) = try write(trigger: trigger)
            return .succeeded(success, marker)
        } catch {
            return .failed(error)
        }
    }

    /// Writes, verifies and renames one backup, then applies retention.
    private func write(trigger: BackupTrigger) throws(DictDBError) -> (BackupSuccess, BackupChangeMarker) {
        let started = ContinuousClock.now
        let timestamp = configuration.wallClock()
        let codec = configuration.codec
        var named: BackupFileName?
        let snapshot: BackupSnapshot
        do throws(DictDBError) {
            snapshot = try source.writeBackupSnapshot(codec: codec, fileSystem: fileSystem) { marker in
                let name = BackupFileName(
                    timestampMillis: timestamp, generation: marker.generation, sequence: marker.sequence, codec: codec)
                named = name
                return stagingPath(for: name)
            }
        } catch {
            // Only a failed directory fsync after the rename leaves the file behind.
            if let named { try? fileSystem.removeFile(stagingPath(for: named)) }
            throw error
        }
        guard let name = named else {
            throw DictDBError(.invalidState, "the backup source wrote a snapshot without asking for its path")
        }
        let staging = stagingPath(for: name)
        let final = FilePath.join(directory.path, name.description)
        do throws(DictDBError) {
            CrashPoint.hit("backup.afterWrite")
            let verifier = BackupVerifier(
                fileSystem: fileSystem, registry: source.registry, limits: configuration.verifyLimits)
            let verified = try verifier.verify(staging, codec: codec)
            guard verified.records == snapshot.records, verified.tables == snapshot.tables else {
                throw DictDBError(
                    .corrupt,
                    "\(staging) reads back with \(verified.tables) tables and \(verified.records) records, but \(snapshot.tables) and \(snapshot.records) were written",
                    context: .init(path: staging))
            }
            CrashPoint.hit("backup.afterVerify")
            try fileSystem.rename(staging, to: final)
        } catch {
            try? fileSystem.removeFile(staging)
            throw error
        }
        try fileSystem.syncDirectory(directory.path)
        CrashPoint.hit("backup.afterRename")
        let duration = ContinuousClock.now - started
        let (pruned, pruneErrors) = prune(protecting: name)
        CrashPoint.hit("backup.afterPrune")
        let success = BackupSuccess(
            path: final, name: name, bytes: snapshot.bytes, duration: duration, sequence: snapshot.marker.sequence,
            generation: snapshot.marker.generation, tables: snapshot.tables, records: snapshot.records,
            trigger: trigger, pruned: pruned, pruneErrors: pruneErrors)
        return (success, snapshot.marker)
    }

    /// `directory/.<name>.partial`.
    private func stagingPath(for name: BackupFileName) -> String {
        FilePath.join(directory.path, "." + name.description + Self.stagingSuffix)
    }

    /// Deletes what retention says, never `protected`; returns the paths removed and the failures.
    private func prune(protecting protected: BackupFileName) -> (removed: [String], errors: [String]) {
        guard let backups = try? directory.list() else { return ([], ["cannot list \(directory.path)"]) }
        let doomed = configuration.retention.backupsToDelete(
            backups.map(\.name), protecting: protected, nowMillis: configuration.wallClock())
        var removed: [String] = []
        var errors: [String] = []
        for name in doomed {
            let path = FilePath.join(directory.path, name.description)
            do throws(DictDBError) {
                try fileSystem.removeFile(path)
                removed.append(path)
            } catch {
                errors.append("\(path): \(error)")
            }
        }
        if !removed.isEmpty { try? fileSystem.syncDirectory(directory.path) }
        return (removed, errors)
    }

    /// Removes staging files a crashed process left: `.<backup name>.partial`, and the temporary files of
    /// their atomic writes (`..<backup name>.partial.tmp-<hex>`). Nothing else is touched.
    private func removeLeftovers() {
        guard let entries = try? fileSystem.contentsOfDirectory(directory.path) else { return }
        for entry in entries where Self.isLeftover(entry) {
            try? fileSystem.removeFile(FilePath.join(directory.path, entry))
        }
    }

    /// Whether `entry` is a staging file of this manager's making.
    static func isLeftover(_ entry: String) -> Bool {
        var name = entry
        if let marker = entry.firstRange(of: stagingSuffix + ".tmp-") {
            let hex = entry[marker.upperBound...]
            guard !hex.isEmpty, hex.allSatisfy(\.isHexDigit), entry.hasPrefix("..") else { return false }
            name = String(entry[entry.index(after: entry.startIndex)..<marker.lowerBound]) + stagingSuffix
        }
        guard name.hasPrefix("."), name.hasSuffix(stagingSuffix) else { return false }
        return BackupFileName(parsing: String(name.dropFirst().dropLast(stagingSuffix.count))) != nil
    }
}
