import DictDBAPI

extension Table {
    /// The record with primary key `key`, or `nil`.
    ///
    /// `1` and `1.0` name the same key.
    /// - Complexity: O(1).
    public func get(_ key: Value) throws(DictDBError) -> Record? {
        // The lock taken and released here rather than through `withReadLock`: a point read is short
        // enough that the closure's context and calls are a tenth of it.
        lock.lockShared()
        defer { lock.unlock() }
        try checkNotDropped()
        return lockedRecord(forKey: key)?.record
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
    /// Candidates come from the plan ``explain(_:analyze:)`` shows and are checked against the full
    /// condition, so the answer equals a full scan's. Sorting, projection and paging run after the table
    /// lock is released; an ordered index that serves `orderBy` skips the sort, and with a limit stops early.
    /// - Throws: `DictDBError.Code.invalidQuery`, `DictDBError.Code.invalidValue`,
    ///   `DictDBError.Code.tableNotFound`.
    public func select(_ query: Query = Query()) throws(DictDBError) -> [Record] {
        try run(query).rows
    }

    /// The records a query selects, as ``select(_:)`` returns them, but projected as they are read: the
    /// result holds the selected records (which share storage with the table) and builds each projected
    /// record on access, so a large projected result can be streamed without materializing it. The rows
    /// are the same consistent cut ``select(_:)`` reads; later writes do not change them.
    /// - Throws: what ``select(_:)`` throws.
    public func selectRows(_ query: Query = Query()) throws(DictDBError) -> SelectedRows {
        try query.validate()
        let (matches, plan) = try read { storage in collect(query, in: storage) }
        return ResultShaping.shapeLazily(matches, by: query, alreadyOrdered: plan.providesOrder)
    }

    /// Runs a query and returns its rows with the plan that served it, counters filled in.
    func run(_ query: Query) throws(DictDBError) -> (rows: [Record], plan: Plan) {
        try query.validate()
        var (matches, plan) = try read { storage in collect(query, in: storage) }
        let rows = ResultShaping.shape(matches, by: query, alreadyOrdered: plan.providesOrder)
        matches = []
        plan.rowsReturned = rows.count
        return (rows, plan)
    }

    /// The filtered (not yet shaped) records of a query, read through the best plan for `storage`.
    func collect(_ query: Query, in storage: TableStorage) -> ([Record], Plan) {
        let planner = Planner(storage: storage, table: name)
        var plan = planner.plan(query)
        let filter = planner.residual(of: query.condition, after: plan.access)
        let canStopEarly = (query.ordering.isEmpty || plan.providesOrder) && !query.isDistinct
        let wanted = canStopEarly ? ResultShaping.rowsNeeded(offset: query.offsetCount, limit: query.limitCount) : nil
        var found: [Record] = []
        var examined = 0
        if wanted != 0 {
            storage.forEachCandidate(plan.access) { _, record in
                examined += 1
                if filter.matches(record) { found.append(record) }
                if let wanted, found.count >= wanted { return false }
                return true
            }
        }
        plan.rowsExamined = examined
        return (found, plan)
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
            let planner = Planner(storage: storage, table: name)
            let plan = planner.plan(condition)
            let filter = planner.residual(of: condition, after: plan.access)
            if case .all = filter, case .index(let indexName, let predicate) = plan.access,
                let position = storage.indexPosition(named: indexName),
                let exact = storage.indexes[position].rows(matching: predicate)
            {
                return exact.count
            }
            var n = 0
            storage.forEachCandidate(plan.access) { _, record in
                if filter.matches(record) { n += 1 }
                return true
            }
            return n
        }
    }

    /// The plan the table uses for a query, for `EXPLAIN`.
    ///
    /// With `analyze`, the query runs and the plan reports the rows it examined and returned.
    /// - Throws: `DictDBError.Code.invalidQuery` for a malformed query.
    public func explain(_ query: Query, analyze: Bool = false) throws(DictDBError) -> Plan {
        var plan: Plan
        if analyze {
            plan = try run(query).plan
        } else {
            try query.validate()
            plan = try read { storage in Planner(storage: storage, table: name).plan(query) }
        }
        plan.filter = query.condition.description
        return plan
    }

    /// Every record, in insertion order, read from one consistent cut. For exports and tests.
    public func allRecords() throws(DictDBError) -> [Record] {
        try read { storage in storage.rows.compactMap { $0 } }
    }
}
