import DictDBAPI

extension Table {
    /// Inserts a record and returns its primary key.
    ///
    /// A record without a primary key (or with null) gets one from the table's key generator; an explicit
    /// key is always allowed and is never generated again.
    ///
    /// ```swift
    /// let id = try users.insert(["name": "Ada", "age": 36])   // 1
    /// try users.insert(["id": 100, "name": "Grace"])          // explicit key
    /// ```
    ///
    /// - Throws: `DictDBError.Code.duplicateKey`, `DictDBError.Code.uniqueViolation`,
    ///   `DictDBError.Code.schemaViolation`, `DictDBError.Code.invalidValue` (non-finite double),
    ///   `DictDBError.Code.invalidKey`, `DictDBError.Code.tableNotFound` after a drop. Nothing changes
    ///   when it throws, and no key is consumed.
    /// - Complexity: O(1) amortized plus the cost of each index's insert.
    /// - Parameters:
    ///   - record: the fields to store; without the primary key, the table's generator makes one.
    ///   - durability: ``Durability/always`` to have an on-disk database sync before returning,
    ///     whatever its policy.
    @discardableResult
    public func insert(_ record: Record, durability: Durability = .policy) throws(DictDBError) -> Value {
        let prepared = try prepare(record)
        return try write(durability: durability) { (storage) throws(DictDBError) -> Value in
            try applyInsert(prepared, to: &storage)
        }
    }

    /// Inserts several records as one all-or-nothing step and returns their keys in order.
    ///
    /// If any record fails (schema, duplicate key within the batch or against the table, unique index),
    /// none is inserted and the key generator is left as it was.
    /// - Throws: the first failing record's error, with `DictDBError.Context` naming it.
    @discardableResult
    public func insertBatch(_ records: [Record], durability: Durability = .policy) throws(DictDBError) -> [Value] {
        var prepared: [Record] = []
        prepared.reserveCapacity(records.count)
        for record in records { prepared.append(try prepare(record)) }
        return try write(durability: durability) { (storage) throws(DictDBError) -> [Value] in
            try applyInsert(prepared, to: &storage)
        }
    }
}
