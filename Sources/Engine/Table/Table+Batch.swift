import DictDBAPI

/// How a batch outside a transaction treats a failing item.
public enum BatchMode: String, Sendable, Hashable {
    /// One failure fails the whole batch and nothing changes (the default).
    case allOrNothing
    /// Every item that can be applied is; failures are listed in the report.
    case bestEffort
}

/// What a batch did, item by item.
public struct BatchReport: Sendable {
    /// One failed item: its position in the batch and its error.
    public struct Failure: Sendable {
        /// The item's position in the batch.
        public var index: Int
        /// Why it failed.
        public var error: DictDBError
    }

    /// For inserts: each item's key, or `nil` where it failed. For updates: each item's key if a record
    /// with it existed and was updated, `nil` otherwise.
    public var keys: [Value?]
    /// The failed items, in batch order.
    public var failures: [Failure]

    /// How many items were applied.
    public var succeeded: Int { keys.count { $0 != nil } }
}

extension Table {
    /// Inserts several records in a chosen mode and reports each item.
    ///
    /// ```swift
    /// let report = try table.insertBatch(rows, mode: .bestEffort)
    /// for failure in report.failures { print("row \(failure.index): \(failure.error)") }
    /// ```
    /// - Throws: in ``BatchMode/allOrNothing`` mode, the first failing item's error (nothing changes); in
    ///   ``BatchMode/bestEffort`` mode only `DictDBError.Code.tableNotFound` or an error outside any item.
    public func insertBatch(
        _ records: [Record], mode: BatchMode, durability: Durability = .policy
    ) throws(DictDBError) -> BatchReport {
        switch mode {
        case .allOrNothing:
            return BatchReport(keys: try insertBatch(records, durability: durability).map { $0 }, failures: [])
        case .bestEffort:
            var prepared: [Result<Record, DictDBError>] = []
            prepared.reserveCapacity(records.count)
            for record in records {
                do throws(DictDBError) {
                    prepared.append(.success(try prepare(record)))
                } catch {
                    prepared.append(.failure(error))
                }
            }
            return try write(durability: durability) { (storage) throws(DictDBError) -> BatchReport in
                var report = BatchReport(keys: [], failures: [])
                for (index, item) in prepared.enumerated() {
                    do throws(DictDBError) {
                        report.keys.append(try applyInsert([try item.get()], to: &storage)[0])
                    } catch {
                        report.keys.append(nil)
                        report.failures.append(BatchReport.Failure(index: index, error: error))
                    }
                }
                return report
            }
        }
    }

    /// Sets fields on records by key, several at once, in a chosen mode.
    ///
    /// ```swift
    /// try table.updateBatch([(key: 1, set: ["salary": 51_000]), (key: 2, set: ["salary": 62_500])])
    /// ```
    /// A key with no record is not a failure: its report entry is `nil`. Several updates of one key apply
    /// in order.
    /// - Throws: in ``BatchMode/allOrNothing`` mode, the first failing item's error (nothing changes).
    @discardableResult
    public func updateBatch(
        _ updates: [(key: Value, set: Record)], mode: BatchMode = .allOrNothing, durability: Durability = .policy
    )
        throws(DictDBError) -> BatchReport
    {
        try checkNoTransactionOnThisThread()
        while true {
            let (version, snapshot) = try read { storage in (storage.version, storage) }
            var working = snapshot
            // On disk, the working copy logs its changes: installing it below carries the log into the
            // journaled write, relative to the same state (the versions match).
            if journal != nil { working.beginLog() }
            var report = BatchReport(keys: [], failures: [])
            for (index, update) in updates.enumerated() {
                do throws(DictDBError) {
                    try checkUpdate(update.set, .all)
                    guard let row = working.row(forKey: update.key), let old = working.record(at: row) else {
                        report.keys.append(nil)
                        continue
                    }
                    let change = TableStorage.Change(row: row, new: try prepare(old.merging(update.set)))
                    try applyPlanned([change], rekeys: update.set.hasField(primaryKey), to: &working)
                    report.keys.append(update.key)
                } catch {
                    if mode == .allOrNothing { throw error }
                    report.keys.append(nil)
                    report.failures.append(BatchReport.Failure(index: index, error: error))
                }
            }
            let installed = try write(durability: durability) { (storage) throws(DictDBError) -> Bool in
                guard storage.version == version else { return false }
                storage = working
                return true
            }
            if installed { return report }
        }
    }
}
