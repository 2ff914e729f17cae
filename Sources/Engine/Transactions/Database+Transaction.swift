import DictDBAPI

extension Database {
    /// Runs `body` as one all-or-nothing unit across any number of tables.
    ///
    /// ```swift
    /// try db.transaction { tx in
    ///     let accounts = try tx.table("accounts")
    ///     try accounts.update(key: from, set: ["balance": .int(fromBalance - amount)])
    ///     try accounts.update(key: to, set: ["balance": .int(toBalance + amount)])
    /// }
    /// ```
    ///
    /// The transaction commits when `body` returns and rolls back (records, indexes and key counters of
    /// every table it touched) when `body` throws or calls ``Transaction/rollback()``; the body's value is
    /// returned either way unless it threw.
    ///
    /// Isolation: transactions run one at a time (serializable). Readers outside see the state before the
    /// transaction until it is installed, then all of it: never half. Inside, reads through the handle see
    /// the transaction's own writes. Plain writes to a table the transaction touched wait until it ends.
    /// Inside the body, write through the handle: a plain write or a nested `transaction` from the same
    /// thread throws `DictDBError.Code.invalidState` (use ``Transaction/savepoint(_:)`` to nest).
    ///
    /// - Throws: whatever `body` throws (after rolling back), or `DictDBError.Code.invalidState` when
    ///   called from inside a transaction body.
    /// On disk, a committed transaction is one journal entry: recovery applies all of it or none of it.
    /// - Parameters:
    ///   - durability: ``Durability/always`` to sync before returning, whatever the policy.
    ///   - body: the work, run once with the transaction's handle; its result is returned after the commit.
    @discardableResult
    public func transaction<T>(durability: Durability = .policy, _ body: (Transaction) throws -> T) throws -> T {
        if transactionState.isOpenOnCurrentThread {
            throw DictDBError(
                .invalidState, "a transaction is already open on this thread: use tx.savepoint { } to nest work")
        }
        transactionState.begin()
        let transaction = Transaction(database: self)
        let result: T
        let pending: Transaction.PendingCommit?
        do {
            result = try body(transaction)
            pending = try transaction.finish(commit: !transaction.rollbackRequested, durability: durability)
        } catch {
            _ = try? transaction.finish(commit: false, durability: durability)
            transactionState.end()
            throw error
        }
        transactionState.end()
        // Wait for the sync outside the transaction, so the next one can commit into the same fsync.
        try pending?.wait()
        return result
    }
}
