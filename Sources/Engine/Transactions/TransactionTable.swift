import DictDBAPI

/// A table as seen through an open ``Transaction``: the same operations as ``Table``, working on the
/// transaction's private copy. Reads see the transaction's own writes; nothing is visible outside until
/// the transaction commits.
///
/// Every operation is all-or-nothing on its own (a failed insert leaves the transaction's copy as it was,
/// so the body may catch the error and go on), and the whole transaction is all-or-nothing again.
public struct TransactionTable {
    let transaction: Transaction
    /// The table's name.
    public let name: String

    init(transaction: Transaction, name: String) {
        self.transaction = transaction
        self.name = name
    }

    private func work<T>(_ body: (Table, inout TableStorage) throws(DictDBError) -> T) throws(DictDBError) -> T {
        try transaction.withWorkingCopy(name, body)
    }

    /// Inserts a record and returns its key. See ``Table/insert(_:durability:)``.
    @discardableResult
    public func insert(_ record: Record) throws(DictDBError) -> Value {
        try work { (table, storage) throws(DictDBError) -> Value in
            try table.applyInsert(try table.prepare(record), to: &storage)
        }
    }

    /// Inserts a Codable value as a record and returns its key.
    @discardableResult
    public func insert(_ value: some Encodable, encoder: ValueEncoder = ValueEncoder()) throws(DictDBError) -> Value {
        try insert(try encoder.encodeRecord(value))
    }

    /// Inserts records as one all-or-nothing step (always, inside a transaction) and returns their keys.
    @discardableResult
    public func insertBatch(_ records: [Record]) throws(DictDBError) -> [Value] {
        try work { (table, storage) throws(DictDBError) -> [Value] in
            var prepared: [Record] = []
            prepared.reserveCapacity(records.count)
            for record in records { prepared.append(try table.prepare(record)) }
            return try table.applyInsert(prepared, to: &storage)
        }
    }

    /// Inserts or resolves a key conflict. See ``Table/upsert(_:onConflict:durability:)``.
    @discardableResult
    public func upsert(
        _ record: Record, onConflict policy: UpsertConflictPolicy = .merge
    ) throws(DictDBError)
        -> UpsertOutcome
    {
        try work { (table, storage) throws(DictDBError) -> UpsertOutcome in
            try table.applyUpsert(record, policy: policy, to: &storage)
        }
    }

    /// Sets fields on the matching records; returns the count. See ``Table/update(set:where:durability:)``.
    @discardableResult
    public func update(set changes: Record, where condition: Condition = .all) throws(DictDBError) -> Int {
        try work { (table, storage) throws(DictDBError) -> Int in
            try table.applyUpdate(set: changes, where: condition, to: &storage)
        }
    }

    /// Sets fields on the record with this key; returns whether it existed.
    @discardableResult
    public func update(key: Value, set changes: Record) throws(DictDBError) -> Bool {
        try work { (table, storage) throws(DictDBError) -> Bool in
            try table.applyUpdate(
                set: changes, where: .comparison(field: table.primaryKey, op: .equal, value: key), to: &storage) > 0
        }
    }

    /// Deletes the matching records; returns the count.
    @discardableResult
    public func delete(where condition: Condition) throws(DictDBError) -> Int {
        try work { (table, storage) throws(DictDBError) -> Int in try table.applyDelete(where: condition, to: &storage)
        }
    }

    /// Deletes the record with this key; returns whether it existed.
    @discardableResult
    public func delete(key: Value) throws(DictDBError) -> Bool {
        try work { (table, storage) throws(DictDBError) -> Bool in
            guard let row = storage.row(forKey: key) else { return false }
            storage.apply(TableStorage.Change(row: row, new: nil))
            return true
        }
    }

    /// The record with this key, as the transaction sees it.
    public func get(_ key: Value) throws(DictDBError) -> Record? {
        try work { (_, storage) throws(DictDBError) -> Record? in
            storage.row(forKey: key).flatMap { storage.record(at: $0) }
        }
    }

    /// The records a query selects, as the transaction sees them. See ``Table/select(_:)``.
    public func select(_ query: Query = Query()) throws(DictDBError) -> [Record] {
        try query.validate()
        let (matches, plan) = try work { (table, storage) throws(DictDBError) -> ([Record], Plan) in
            table.collect(query, in: storage)
        }
        return ResultShaping.shape(matches, by: query, alreadyOrdered: plan.providesOrder)
    }

    /// The records matching a condition, in insertion order.
    public func select(where condition: Condition) throws(DictDBError) -> [Record] {
        try select(Query(condition))
    }

    /// How many records match, as the transaction sees them.
    public func count(where condition: Condition = .all) throws(DictDBError) -> Int {
        try condition.validate()
        return try work { (table, storage) throws(DictDBError) -> Int in
            table.matchingRows(condition, in: storage).count
        }
    }

    /// Creates an index inside the transaction; it disappears if the transaction rolls back.
    @discardableResult
    public func createIndex(
        on fields: [String], kind: String = "hash", name indexName: String? = nil, unique: Bool = false,
        options: [String: String] = [:]
    ) throws(DictDBError) -> IndexDefinition {
        try work { (table, storage) throws(DictDBError) -> IndexDefinition in
            let index = try table.makeIndex(on: fields, kind: kind, name: indexName, unique: unique, options: options)
            try table.addIndex(index, to: &storage)
            return index.definition
        }
    }
}
