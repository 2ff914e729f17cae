import DictDBAPI

/// Appends records to a binary journal file, one `write()` per record.
///
/// A failed or short write is cut back (`ftruncate`) to the record's start before anything else is
/// appended, so a torn record never sits in front of later ones, and the call fails with the journal as it
/// was. A failed truncate or fsync leaves the file in an unknown state: the writer then refuses every
/// further call (``DictDBError/Code/readOnly``) until the database is reopened and recovered. An fsync is
/// never retried.
final class JournalWriter {
    let path: String
    private let file: any WritableFile
    private(set) var header: JournalFormat.Header
    /// The sequence the next record gets.
    private(set) var nextSequence: UInt64
    /// Bytes written since the last successful sync.
    private(set) var unsyncedRecords = 0
    /// Why the writer refuses work (after a failure it could not undo), if it does.
    private(set) var failure: DictDBError?

    /// Creates a new journal: header, fsync, directory fsync, then opens it for appending.
    /// - Throws: ``DictDBError/Code/io`` (nothing is left behind on failure).
    static func create(
        at path: String, header: JournalFormat.Header, fileSystem: any FileSystem
    ) throws(DictDBError)
        -> JournalWriter
    {
        try create(at: path, header: header, headerBytes: JournalFormat.encodeHeader(header), fileSystem: fileSystem)
    }

    /// Creates a new journal whose header a ``JournalFileFormat`` encoded.
    static func create(
        at path: String, header: JournalFormat.Header, headerBytes: [UInt8], fileSystem: any FileSystem
    ) throws(DictDBError)
        -> JournalWriter
    {
        let created = try fileSystem.createExclusive(path)
        do {
            try created.write(headerBytes)
            try created.sync()
            try created.close()
            try fileSystem.syncDirectory(FilePath.directory(of: path))
        } catch {
            try? created.close()
            try? fileSystem.removeFile(path)
            throw error
        }
        let file: any WritableFile
        do {
            file = try fileSystem.openForAppending(path, create: false)
        } catch {
            try? fileSystem.removeFile(path)
            throw error
        }
        return JournalWriter(path: path, file: file, header: header, nextSequence: header.baseSequence &+ 1)
    }

    /// Continues an existing journal whose valid part ends at `validEnd` (after recovery truncated it).
    static func resume(
        at path: String, header: JournalFormat.Header, nextSequence: UInt64, fileSystem: any FileSystem
    ) throws(DictDBError) -> JournalWriter {
        let file = try fileSystem.openForAppending(path, create: false)
        return JournalWriter(path: path, file: file, header: header, nextSequence: nextSequence)
    }

    private init(path: String, file: any WritableFile, header: JournalFormat.Header, nextSequence: UInt64) {
        self.path = path
        self.file = file
        self.header = header
        self.nextSequence = nextSequence
    }

    /// The journal's size in bytes.
    var size: Int64 { file.offset }

    /// Appends one record with one `write()` and returns its sequence.
    /// - Throws: ``DictDBError/Code/io`` with the journal unchanged; ``DictDBError/Code/readOnly`` after an
    ///   earlier failure that could not be undone.
    @discardableResult
    func append(_ type: JournalFormat.RecordType, payload: [UInt8]) throws(DictDBError) -> UInt64 {
        let sequence = nextSequence
        try appendFramed(JournalFormat.encode(.init(type: type, sequence: sequence, payload: payload)))
        return sequence
    }

    /// Appends one complete entry (already framed with sequence ``nextSequence``) with one `write()`.
    /// - Throws: ``DictDBError/Code/io`` with the journal unchanged; ``DictDBError/Code/readOnly`` after an
    ///   earlier failure that could not be undone.
    func appendFramed(_ bytes: [UInt8]) throws(DictDBError) {
        try checkUsable()
        let start = file.offset
        CrashPoint.hit("journal.beforeWrite")
        if CrashPoint.isDue("journal.midRecord") {
            try? file.write(Array(bytes.prefix(max(1, bytes.count / 2))))
            CrashPoint.crash()
        }
        do {
            try file.write(bytes)
        } catch {
            do {
                try file.truncate(to: start)
            } catch let truncation {
                failure = DictDBError(
                    .readOnly, "the journal \(path) could not be cut back after a failed write; reopen the database",
                    context: .init(path: path, offset: start), underlying: truncation)
            }
            throw error
        }
        CrashPoint.hit("journal.afterWrite")
        nextSequence &+= 1
        unsyncedRecords += 1
    }

    /// Forces the file's data to stable storage without touching the writer's state, for a caller that
    /// tracks what is synced itself and may run it while another thread appends.
    func syncData() throws(DictDBError) {
        try file.sync()
        CrashPoint.hit("journal.afterSync")
    }

    /// Marks the writer unusable after a failure its owner detected (a failed ``syncData()``).
    func poison(_ error: DictDBError) {
        if failure == nil { failure = error }
    }

    /// Forces the appended records to stable storage (`fdatasync`).
    /// - Throws: ``DictDBError/Code/io``; the writer is unusable afterwards (never retry an fsync).
    func sync() throws(DictDBError) {
        try checkUsable()
        guard unsyncedRecords > 0 else { return }
        do {
            try file.sync()
            unsyncedRecords = 0
        } catch {
            failure = DictDBError(
                .readOnly, "fsync of the journal \(path) failed; acknowledged records may be lost; reopen the database",
                context: .init(path: path), underlying: error)
            throw error
        }
    }

    /// Closes the file (without syncing).
    func close() throws(DictDBError) {
        try file.close()
    }

    private func checkUsable() throws(DictDBError) {
        if let failure { throw failure }
    }
}
