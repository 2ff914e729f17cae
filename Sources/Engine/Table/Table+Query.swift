import DictDBAPI

extension Table {
    /// The record with primary key `key`, or `nil`.
    ///
    /// `1` and `1.0` name the same key.
    /// - Complexity: O(1).
    public func get(_ key: Value) throws(DictDBError) -> Record? {
        try read { storage in storage.row(forKey: key).flatMap { storage.record(at: $0) } }
    }

    /// Whether a record with primary key `key` exists.
    public func contains(key: Value) throws(DictDBError) -> Bool {
        try read { storage in storage.row(forKey: key) != nil }
    }

    /// The records a query selects.
    ///
    /// ```swift
    /// let rows = try users.select(Query(Field("age") > 30).orderBy(.descending("age")).limit(10))
    /// ```
    ///
    /// Candidates come from the plan ``explain(_:)`` shows and are checked against the full condition, so
    /// the answer equals a full scan's. Sorting, projection and paging run after the table lock is released.
    /// - Throws: ``DictDBError/Code/invalidQuery``, ``DictDBError/Code/invalidValue``,
    ///   ``DictDBError/Code/tableNotFound``.
    public func select(_ query: Query = Query()) throws(DictDBError) -> [Record] {
        try query.validate()
        let canStopEarly = query.ordering.isEmpty && !query.isDistinct
        let wanted = canStopEarly ? ResultShaping.rowsNeeded(offset: query.offsetCount, limit: query.limitCount) : nil
        let matches = try read { storage in
            let plan = Planner(storage: storage, table: name).plan(query.condition)
            var found: [Record] = []
            for row in storage.candidateRows(for: plan.access) {
                guard let record = storage.record(at: row), query.condition.matches(record) else { continue }
                found.append(record)
                if let wanted, found.count >= wanted { break }
            }
            return found
        }
        return ResultShaping.shape(matches, by: query)
    }

    /// The records matching `condition`, in insertion order.
    public func select(where condition: Condition) throws(DictDBError) -> [Record] {
        try select(Query(condition))
    }

    /// The first record a query selects, or `nil`.
    public func first(_ query: Query) throws(DictDBError) -> Record? {
        try select(query.limit(1)).first
    }

    /// How many records match `condition`.
    public func count(where condition: Condition) throws(DictDBError) -> Int {
        try condition.validate()
        if case .all = condition { return try read { $0.liveCount } }
        return try read { storage in
            let plan = Planner(storage: storage, table: name).plan(condition)
            var n = 0
            for row in storage.candidateRows(for: plan.access) {
                if let record = storage.record(at: row), condition.matches(record) { n += 1 }
            }
            return n
        }
    }

    /// The plan the table would use for a query's condition, for `EXPLAIN`.
    /// - Throws: ``DictDBError/Code/invalidQuery`` for a malformed query.
    public func explain(_ query: Query) throws(DictDBError) -> Plan {
        try query.validate()
        return try read { storage in Planner(storage: storage, table: name).plan(query.condition) }
    }

    /// Every record, in insertion order, read from one consistent cut. For exports and tests.
    public func allRecords() throws(DictDBError) -> [Record] {
        try read { storage in storage.rows.compactMap { $0 } }
    }
}
