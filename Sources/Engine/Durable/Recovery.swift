import DictDBAPI

/// Rebuilds a database from its directory: the newest readable snapshot, then every journal entry after
/// its sequence, checking that the sequences run on without a gap across journal files.
struct Recovery {
    let directory: DatabaseDirectory
    let format: any JournalFileFormat
    let registry: Registry
    let pointInTime: Bool
    /// Where to stop replaying (``OpenOptions/recoverUpTo``); `nil` replays everything.
    let target: RecoveryTarget?

    /// What recovery produced.
    struct Outcome {
        var database: Database
        var report: OpenReport
        var lastSequence: UInt64
        /// The journal to keep appending to, when the directory is already in its steady state (one
        /// snapshot generation and its journal); otherwise a new generation must be started.
        var resumable: (path: String, header: JournalFormat.Header)?
        /// The highest generation any file in the directory has.
        var highestGeneration: UInt64
        var snapshotBytes: Int64
    }

    private var fileSystem: any FileSystem { directory.fileSystem }

    func run() throws(DictDBError) -> Outcome {
        let started = ContinuousClock.now
        var report = OpenReport()
        let listing = try directory.list(format: format)
        for temporary in listing.temporaries {
            try? fileSystem.removeFile(FilePath.join(directory.path, temporary))
        }

        // 1. The newest snapshot that loads.
        var database: Database?
        var snapshotGeneration: UInt64 = 0
        var snapshotSequence: UInt64 = 0
        var snapshotBytes: Int64 = 0
        var snapshotError: DictDBError?
        for generation in listing.snapshots.reversed() {
            let path = directory.snapshotPath(generation: generation)
            do throws(DictDBError) {
                let (loaded, meta) = try Database.loadSnapshot(from: path, registry: registry, fileSystem: fileSystem)
                guard meta.sequence >= 0 else {
                    throw SnapshotFormat.corrupt("_meta has a negative sequence", path)
                }
                if let target, Self.snapshotIsPast(meta, target) {
                    report.skippedSnapshots.append("\(path): it is past the recovery target (\(target))")
                    continue
                }
                database = loaded
                snapshotGeneration = generation
                snapshotSequence = UInt64(meta.sequence)
                snapshotBytes = ((try? fileSystem.fileSize(path)) ?? nil) ?? 0
                report.snapshot = path
                break
            } catch {
                // A missing plugin is not damage: falling back to an older snapshot would hide it.
                if error.code == .unknownPlugin { throw error }
                if snapshotError == nil { snapshotError = error }
                report.skippedSnapshots.append("\(path): \(error.message)")
            }
        }
        let db = database ?? Database(registry: registry)

        // 2. The journals from that generation on, in order.
        var expected = snapshotSequence &+ 1
        var resumable: (path: String, header: JournalFormat.Header)?
        var steady = listing.snapshots.allSatisfy { $0 == snapshotGeneration }
        let journals = listing.journals.filter { $0 >= snapshotGeneration }
        if journals.count != listing.journals.count { steady = false }
        if journals.count != 1 { steady = false }
        for (position, generation) in journals.enumerated() {
            let path = directory.journalPath(generation: generation, format: format)
            let isLast = position == journals.count - 1
            let bytes = try directory.readAll(path)
            if isLast, !hasCompleteHeader(bytes) {
                // A crash while the journal was being created: no record can have been acknowledged in it.
                try fileSystem.removeFile(path)
                try fileSystem.syncDirectory(directory.path)
                steady = false
                continue
            }
            let scan = try format.scan(bytes, path: path)
            if scan.header.baseSequence >= expected {
                throw snapshotError
                    ?? DictDBError(
                        .corrupt,
                        "\(path) starts after sequence \(scan.header.baseSequence), but the changes from \(expected) on are missing",
                        context: .init(path: path, offset: 0))
            }
            var stopAt: Int?
            for (index, entry) in scan.entries.enumerated() where entry.sequence >= expected {
                if let target, try Self.entryIsPast(entry, target, path: path) {
                    stopAt = index
                    break
                }
                try apply(entry, to: db, path: path)
                expected &+= 1
                report.replayedRecords += 1
            }
            if let stopAt {
                let later = journals.dropFirst(position + 1).map {
                    directory.journalPath(generation: $0, format: format)
                }
                report.stoppedAtTarget = try setAside(
                    after: stopAt, of: scan, bytes: bytes, path: path, laterJournals: later, lastKept: expected &- 1)
                steady = false
                break
            }
            var stop = false
            switch scan.ending {
            case .clean:
                break
            case .tornTail(let offset, let reason) where isLast:
                report.tornTail = try cutTail(of: path, bytes: bytes, at: offset, reason: reason)
            case .tornTail(let offset, let reason), .damaged(let offset, let reason, _):
                let later = journals.dropFirst(position + 1).map {
                    directory.journalPath(generation: $0, format: format)
                }
                guard pointInTime else {
                    // Entries written after the damaged one was known synced prove the damage hit durable
                    // data; otherwise it may also be unsynced writes that a power loss kept out of order
                    // (possible under `batch` and `os`). Either way nothing is dropped silently.
                    let diagnosis =
                        try sawSynced(expected, after: offset, in: bytes, laterJournals: later)
                        ? "later entries were written after it was synced, so this is damage to durable data"
                        : "no later entry saw it synced, so it may be unsynced writes a power loss kept out of order"
                    throw DictDBError(
                        .corrupt,
                        "\(path) is damaged at offset \(offset) (\(reason)) and valid changes follow; \(diagnosis); open with point-in-time recovery to keep the changes before it",
                        context: .init(path: path, offset: Int64(offset)))
                }
                report.tornTail = try cutTail(of: path, bytes: bytes, at: offset, reason: reason)
                report.stoppedAtDamage = "\(path) at offset \(offset): \(reason)"
                for laterPath in later { try fileSystem.rename(laterPath, to: laterPath + ".discarded") }
                try fileSystem.syncDirectory(directory.path)
                steady = false
                stop = true
            }
            if isLast || stop { resumable = (path, scan.header) }
            if stop { break }
        }
        if database == nil, let snapshotError, report.replayedRecords == 0, !listing.snapshots.isEmpty {
            throw snapshotError
        }
        if case .sequence(let wanted)? = target, expected &- 1 < wanted {
            throw DictDBError(
                .invalidArgument,
                "the journal in \(directory.path) ends at sequence \(expected &- 1), before the recovery target \(wanted)",
                context: .init(path: directory.path, expected: String(wanted), found: String(expected &- 1)))
        }
        report.lastSequence = expected &- 1
        report.duration = ContinuousClock.now - started
        return Outcome(
            database: db, report: report, lastSequence: expected &- 1, resumable: steady ? resumable : nil,
            highestGeneration: max(listing.snapshots.last ?? 0, listing.journals.last ?? 0),
            snapshotBytes: snapshotBytes)
    }

    // MARK: - Recovering up to a target

    /// Whether a snapshot holds changes past the target: a later sequence, or (for a time) it was created
    /// after it.
    static func snapshotIsPast(_ meta: SnapshotFormat.Meta, _ target: RecoveryTarget) -> Bool {
        switch target {
        case .sequence(let sequence): return UInt64(clamping: meta.sequence) > sequence
        case .time(let millis): return meta.createdMillis > millis
        }
    }

    /// Whether a journal entry is past the target.
    /// - Throws: ``DictDBError/Code/invalidArgument`` for a time target and an entry without a time.
    static func entryIsPast(_ entry: JournalEntry, _ target: RecoveryTarget, path: String) throws(DictDBError) -> Bool {
        switch target {
        case .sequence(let sequence):
            return entry.sequence > sequence
        case .time(let millis):
            guard let time = JournalBody.time(entry.body) else {
                throw DictDBError(
                    .invalidArgument,
                    "\(path): journal entry \(entry.sequence) does not say when it was written, so recovery cannot stop at a time; recover up to a sequence instead",
                    context: .init(path: path))
            }
            return time > millis
        }
    }

    /// Moves every entry after the target out of the way, so that nothing recovery left out can come back:
    /// later journals are renamed `<name>.after-<lastKept>` first (until the journal holding the target
    /// is cut, the directory still recovers a prefix of the history), then that journal is copied whole to
    /// `<name>.after-<lastKept>` and rewritten with the entries before `index` only.
    /// - Returns: what the open report says about it.
    private func setAside(
        after index: Int, of scan: JournalFileScan, bytes: [UInt8], path: String, laterJournals: [String],
        lastKept: UInt64
    ) throws(DictDBError) -> String {
        let suffix = ".after-\(lastKept)"
        for later in laterJournals { try fileSystem.rename(later, to: later + suffix) }
        if !laterJournals.isEmpty { try fileSystem.syncDirectory(directory.path) }
        try fileSystem.replaceAtomically(path + suffix) { (file) throws(DictDBError) in try file.write(bytes) }
        var kept = format.encodeHeader(scan.header)
        for entry in scan.entries[..<index] {
            kept += format.frame(
                type: entry.type, sequence: entry.sequence, encodedBody: try format.encodeBody(entry.body))
        }
        try fileSystem.replaceAtomically(path) { (file) throws(DictDBError) in try file.write(kept) }
        let moved = ([path] + laterJournals).map { $0 + suffix }.joined(separator: ", ")
        let first = scan.entries[index].sequence
        return
            "stopped before sequence \(first) in \(path) (\(target.map(\.description) ?? "no target")); the entries after \(lastKept) were moved to \(moved)"
    }

    /// Whether some entry after the damage at `offset` (in this journal or a later one) was written after
    /// the damaged sequence `sequence` was known to be synced (its watermark says so).
    private func sawSynced(
        _ sequence: UInt64, after offset: Int, in bytes: [UInt8], laterJournals: [String]
    ) throws(DictDBError) -> Bool {
        var entries = format.entries(in: bytes, from: offset + 1)
        for path in laterJournals { entries += format.entries(in: try directory.readAll(path), from: 0) }
        return entries.contains { entry in
            entry.sequence > sequence && (JournalBody.synced(entry.body).map { $0 >= sequence } ?? false)
        }
    }

    private func hasCompleteHeader(_ bytes: [UInt8]) -> Bool {
        format.name == "ndjson" ? bytes.contains(UInt8(ascii: "\n")) : bytes.count >= JournalFormat.headerSize
    }

    /// Saves the bytes from `offset` on beside the journal, then cuts the journal there (synced).
    private func cutTail(
        of path: String, bytes: [UInt8], at offset: Int, reason: String
    ) throws(DictDBError) -> OpenReport.TornTail {
        let saved = "\(path).torn-\(offset)"
        let tail = Array(bytes[offset...])
        try fileSystem.replaceAtomically(saved) { (file) throws(DictDBError) in try file.write(tail) }
        let file = try fileSystem.openForAppending(path, create: false)
        do {
            try file.truncate(to: Int64(offset))
            try file.sync()
            try file.close()
        } catch {
            try? file.close()
            throw error
        }
        CrashPoint.hit("open.afterTruncate")
        return OpenReport.TornTail(journal: path, offset: offset, bytes: tail.count, reason: reason, savedAs: saved)
    }

    /// Applies one journal entry to the database being recovered.
    private func apply(_ entry: JournalEntry, to db: Database, path: String) throws(DictDBError) {
        let context = "\(path), sequence \(entry.sequence)"
        guard let body = entry.body.objectValue else {
            throw SnapshotFormat.corrupt("the entry is not an object", context)
        }
        switch entry.type {
        case .catalog:
            guard let name = body["table"].stringValue else {
                throw SnapshotFormat.corrupt("a catalog entry names no table", context)
            }
            switch body["op"].stringValue {
            case "createTable":
                guard let primaryKey = body["primaryKey"].stringValue,
                    let keyGenerator = body["keyGenerator"].stringValue
                else { throw SnapshotFormat.corrupt("createTable lacks primaryKey or keyGenerator", context) }
                let schema: Schema? =
                    body["schema"].isNull ? nil : try Schema(storedValue: body["schema"], registry: registry)
                do throws(DictDBError) {
                    try db.createTable(name, primaryKey: primaryKey, keyGenerator: keyGenerator, schema: schema)
                } catch  where error.code == .tableExists || error.code == .invalidArgument {
                    throw SnapshotFormat.corrupt("cannot create table '\(name)': \(error.message)", context)
                }
            case "dropTable":
                do throws(DictDBError) {
                    try db.dropTable(name)
                } catch {
                    throw SnapshotFormat.corrupt("cannot drop table '\(name)': \(error.message)", context)
                }
            default:
                throw SnapshotFormat.corrupt("unknown catalog operation \(body["op"])", context)
            }
        case .commit:
            guard let changes = body["tables"].arrayValue else {
                throw SnapshotFormat.corrupt("a commit lists no tables", context)
            }
            for value in changes {
                let change = try JournalTableChange(value, path: context)
                let table: Table
                do throws(DictDBError) {
                    table = try db.table(change.table)
                } catch {
                    throw SnapshotFormat.corrupt(
                        "a commit changes table '\(change.table)', which does not exist", context)
                }
                try table.lock.withWriteLock { () throws(DictDBError) in
                    try change.replay(on: &table.storage, registry: registry, path: context)
                }
            }
        }
    }
}
