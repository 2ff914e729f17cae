import DictDBAPI

/// An open transaction: the handle ``Database/transaction(durability:_:)`` passes to its body.
///
/// Work through ``table(_:)``: every table the transaction touches gets a private working copy (an O(1)
/// copy-on-write copy; the first write to it pays one copy of that table's storage), so readers keep
/// seeing the committed state until the whole transaction is installed at once. Plain writers to a touched
/// table wait until the transaction ends. Reads through the handle see the transaction's own writes.
///
/// The handle is only valid inside the body; using it afterwards throws `DictDBError.Code.invalidState`.
public final class Transaction {
    struct Touched {
        let table: Table
        let original: TableStorage
        /// The working copy as it started: the original, logging its changes when the table is on disk.
        let start: TableStorage
        var working: TableStorage
    }

    private let database: Database
    private var touched: [String: Touched] = [:]
    private var isOpen = true
    private(set) var rollbackRequested = false

    init(database: Database) {
        self.database = database
    }

    /// The named table, as this transaction sees it.
    /// - Throws: `DictDBError.Code.tableNotFound`, `DictDBError.Code.invalidState` after the body ended
    ///   or after ``rollback()``.
    public func table(_ name: String) throws(DictDBError) -> TransactionTable {
        try checkOpen()
        if touched[name] == nil {
            let table = try database.table(name)
            table.gate.close()
            do {
                let storage = try table.read { $0 }
                var working = storage
                if table.journal != nil { working.beginLog() }
                touched[name] = Touched(table: table, original: storage, start: working, working: working)
            } catch {
                table.gate.open()
                throw error
            }
        }
        return TransactionTable(transaction: self, name: name)
    }

    /// Discards every change of the transaction when the body returns; later calls through the handle
    /// throw `DictDBError.Code.invalidState`. The body's return value is still returned.
    public func rollback() {
        rollbackRequested = true
    }

    /// Runs `body` as a savepoint: if it throws, the changes it made are undone (earlier changes of the
    /// transaction stay) and the error is rethrown.
    ///
    /// ```swift
    /// try db.transaction { tx in
    ///     try tx.table("orders").insert(order)
    ///     try? tx.savepoint { tx in try tx.table("stock").update(set: ["qty": 0], where: ...) }
    /// }
    /// ```
    @discardableResult
    public func savepoint<T>(_ body: (Transaction) throws -> T) throws -> T {
        try checkOpen()
        let saved = touched.mapValues(\.working)
        do {
            return try body(self)
        } catch {
            for (name, entry) in touched {
                touched[name]?.working = saved[name] ?? entry.start
            }
            throw error
        }
    }

    /// Runs `body` on the working copy of a touched table.
    func withWorkingCopy<T>(
        _ name: String, _ body: (Table, inout TableStorage) throws(DictDBError) -> T
    )
        throws(DictDBError) -> T
    {
        try checkOpen()
        guard var entry = touched.removeValue(forKey: name) else {
            throw DictDBError(
                .invalidState, "table '\(name)' is not part of this transaction", context: .init(table: name))
        }
        defer { touched[name] = entry }
        return try body(entry.table, &entry.working)
    }

    private func checkOpen() throws(DictDBError) {
        if !isOpen {
            throw DictDBError(.invalidState, "the transaction has ended; its handle cannot be used any more")
        }
        if rollbackRequested {
            throw DictDBError(.invalidState, "the transaction was rolled back; it accepts no more work")
        }
    }

    /// Installs every changed working copy at once (write locks taken in name order), or discards them;
    /// then lets plain writers back in. On disk, the whole transaction becomes one journal entry, written
    /// while the locks are held; the returned commit is waited for (``PendingCommit/wait()``) by the
    /// caller once the transaction has let go of everything, so that committers share fsyncs.
    /// - Throws: the journal's error, with every table as before the transaction.
    func finish(commit: Bool, durability: Durability) throws(DictDBError) -> PendingCommit? {
        isOpen = false
        defer {
            for entry in touched.values { entry.table.gate.open() }
            touched = [:]
        }
        guard commit else { return nil }
        let changed = touched.keys.sorted().compactMap { name -> Touched? in
            guard let entry = touched[name], entry.working.version != entry.original.version else { return nil }
            return entry
        }
        guard let journal = changed.first?.table.journal else {
            for entry in changed { entry.table.lock.lockExclusive() }
            for entry in changed { entry.table.storage = entry.working }
            for entry in changed.reversed() { entry.table.lock.unlock() }
            return nil
        }
        var changes: [JournalTableChange] = []
        var installed: [(table: Table, storage: TableStorage)] = []
        for entry in changed {
            var working = entry.working
            guard working.changeLog != nil else {
                // Every working copy of an on-disk table logs from its start; never install unjournaled work.
                throw DictDBError(
                    .invalidState,
                    "the transaction lost track of its changes to '\(entry.table.name)'; nothing was committed",
                    context: .init(table: entry.table.name))
            }
            guard let log = working.endLog() else { continue }
            changes.append(JournalTableChange(table: entry.table.name, log: log, storage: working))
            installed.append((entry.table, working))
        }
        guard !changes.isEmpty else { return nil }
        let originals = changed.map { (table: $0.table, storage: $0.original) }
        for entry in changed { entry.table.lock.lockExclusive() }
        let ticket: DurableLog.Ticket
        do throws(DictDBError) {
            try journal.checkWritable()
            for item in installed { item.table.storage = item.storage }
            ticket = try journal.append(
                .commit, body: JournalBody.commit(changes), undo: .restore(originals), durability: durability)
        } catch {
            for original in originals { original.table.storage = original.storage }
            for entry in changed.reversed() { entry.table.lock.unlock() }
            throw error
        }
        CrashPoint.hit("transaction.afterWrite")
        for item in installed { item.table.compactAfterCommit(journal, sequence: ticket.sequence) }
        for entry in changed.reversed() { entry.table.lock.unlock() }
        return installed.first.map { PendingCommit(ticket: ticket, journal: journal, table: $0.table) }
    }

    /// A journaled commit whose sync (if its policy asks for one) is still to be waited for.
    struct PendingCommit {
        let ticket: DurableLog.Ticket
        let journal: DurableLog
        let table: Table

        func wait() throws(DictDBError) {
            try table.finishCommit(ticket, journal: journal)
        }
    }
}
