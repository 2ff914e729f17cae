import DictDBAPI

extension Table {
    /// Sets fields on every record matching `condition` and returns how many records changed.
    ///
    /// ```swift
    /// let n = try users.update(set: ["active": false], where: Field("lastSeen") < 2020)
    /// ```
    ///
    /// Setting the primary key re-keys the record (its indexes follow); two records can never end up with
    /// one key. Assigning `Value.null` stores null.
    /// - Returns: the number of records updated; 0 is not an error.
    /// - Throws: `DictDBError.Code.duplicateKey`, `DictDBError.Code.uniqueViolation`,
    ///   `DictDBError.Code.schemaViolation`, `DictDBError.Code.invalidKey` (a null key),
    ///   `DictDBError.Code.invalidQuery`. All-or-nothing: on error no record changes.
    @discardableResult
    public func update(
        set changes: Record, where condition: Condition = .all, durability: Durability = .policy
    ) throws(DictDBError) -> Int {
        try checkNoTransactionOnThisThread()
        try checkUpdate(changes, condition)
        while true {
            let (version, matches) = try read { storage in
                (storage.version, matchingRows(condition, in: storage))
            }
            if matches.isEmpty { return 0 }
            var planned: [TableStorage.Change] = []
            planned.reserveCapacity(matches.count)
            for (row, old) in matches {
                planned.append(TableStorage.Change(row: row, new: try prepare(old.merging(changes))))
            }
            let done = try write(durability: durability) { (storage) throws(DictDBError) -> Bool in
                guard storage.version == version else { return false }
                try applyPlanned(planned, rekeys: changes.hasField(primaryKey), to: &storage)
                return true
            }
            if done { return planned.count }
        }
    }

    /// Sets fields on the record with primary key `key`.
    /// - Returns: whether a record with that key existed.
    /// - Throws: as ``update(set:where:durability:)``.
    @discardableResult
    public func update(key: Value, set changes: Record, durability: Durability = .policy) throws(DictDBError) -> Bool {
        try checkNoTransactionOnThisThread()
        try checkUpdate(changes, .all)
        let rekeys = changes.hasField(primaryKey)
        if schema == nil {
            // Without a schema, preparing the merged record runs no caller code and cannot fail (its old
            // fields were valid and the new ones were just checked): read and write under one lock.
            return try write(durability: durability) { (storage) throws(DictDBError) -> Bool in
                if storage.canSetFields(changes) {
                    guard let row = storage.row(forKey: key) else { return false }
                    return storage.setFields(changes, at: row)
                }
                guard let row = storage.row(forKey: key), let old = storage.record(at: row) else { return false }
                try applyPlanned(TableStorage.Change(row: row, new: old.merging(changes)), rekeys: rekeys, to: &storage)
                return true
            }
        }
        while true {
            let (version, found) = try lock.withReadLock { () throws(DictDBError) -> (UInt64, (RowID, Record)?) in
                try checkNotDropped()
                return (storage.version, lockedRecord(forKey: key))
            }
            guard let (row, old) = found else { return false }
            let change = TableStorage.Change(row: row, new: try prepare(old.merging(changes)))
            let done = try write(durability: durability) { (storage) throws(DictDBError) -> Bool in
                guard storage.version == version else { return false }
                try applyPlanned(change, rekeys: rekeys, to: &storage)
                return true
            }
            if done { return true }
        }
    }

    /// Deletes every record matching `condition` and returns how many were deleted.
    ///
    /// ```swift
    /// try sessions.delete(where: Field("expires") < now)
    /// ```
    /// - Throws: `DictDBError.Code.invalidQuery` for a malformed condition.
    @discardableResult
    public func delete(where condition: Condition, durability: Durability = .policy) throws(DictDBError) -> Int {
        try write(durability: durability) { (storage) throws(DictDBError) -> Int in
            try applyDelete(where: condition, to: &storage)
        }
    }

    /// Deletes the record with primary key `key`.
    /// - Returns: whether a record with that key existed.
    @discardableResult
    public func delete(key: Value, durability: Durability = .policy) throws(DictDBError) -> Bool {
        try write(durability: durability) { storage in
            guard let row = storage.row(forKey: key) else { return false }
            storage.apply(TableStorage.Change(row: row, new: nil))
            return true
        }
    }

    /// Deletes every record; indexes stay (empty) and the key generator keeps counting.
    /// - Returns: how many records were deleted.
    @discardableResult
    public func deleteAll(durability: Durability = .policy) throws(DictDBError) -> Int {
        try write(durability: durability) { storage in
            let n = storage.liveCount
            storage.removeAllRecords()
            return n
        }
    }

    /// The live rows matching `condition`, in insertion order, found through the best plan.
    func matchingRows(_ condition: Condition, in storage: TableStorage) -> [(row: RowID, record: Record)] {
        let planner = Planner(storage: storage, table: name)
        let plan = planner.plan(condition)
        let filter = planner.residual(of: condition, after: plan.access)
        var result: [(row: RowID, record: Record)] = []
        storage.forEachCandidate(plan.access) { row, record in
            if filter.matches(record) { result.append((row, record)) }
            return true
        }
        return result
    }
}
