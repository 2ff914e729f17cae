@_spi(Storage) import DictDBAPI

/// A named collection of records with a primary key, optional schema and secondary indexes.
///
/// Get one from ``Database/createTable(_:primaryKey:keyGenerator:schema:ifNotExists:)`` or
/// ``Database/table(_:)``. Every method is safe to call from any thread: reads share the table's
/// reader-writer lock, writes take it exclusively (writers are preferred, so readers cannot starve them),
/// and no caller code (validators, Codable conformances) ever runs while it is held.
///
/// Every mutation is all-or-nothing: when it throws, records, indexes and the key generator's state are
/// exactly as before, and a failed insert consumes no key.
public final class Table: @unchecked Sendable {
    // @unchecked: `storage` and `isDropped` are only touched while `lock` is held.

    /// The table's name.
    public let name: String
    /// The field holding each record's primary key.
    public let primaryKey: String
    /// The generator that makes keys for records inserted without one.
    public let keyGenerator: any PrimaryKeyGenerator
    /// The table's schema, if it has one (its own copy).
    public let schema: Schema?
    let registry: Registry
    let lock = ReadWriteLock()
    /// Plain writers pass it; a transaction holds it while it works on the table.
    let gate = WriterGate()
    let transactions: TransactionState
    // Both opt out of run-time exclusivity checks: the lock already keeps accesses from overlapping (a
    // nested access on the same thread would need the lock twice), and each check is a runtime call on
    // every read and write of the table.
    @exclusivity(unchecked) var storage: TableStorage
    @exclusivity(unchecked) private var isDropped = false
    /// The database's journal when it is on disk; set before the table is shared, never changed after.
    var journal: DurableLog?
    /// Starts a checkpoint when the journal has grown past its threshold (set with ``journal``).
    var checkpointHint: (@Sendable (Int64) -> Void)?

    init(
        name: String, primaryKey: String, keyGenerator: any PrimaryKeyGenerator, schema: Schema?, registry: Registry,
        transactions: TransactionState, indexesFromSchema: Bool = true
    ) throws(DictDBError) {
        self.transactions = transactions
        self.name = name
        self.primaryKey = primaryKey
        self.keyGenerator = keyGenerator
        self.schema = schema
        self.registry = registry
        self.storage = TableStorage(primaryKey: primaryKey, keyState: keyGenerator.initialState)
        for rule in schema?.fields ?? [] where rule.unique && indexesFromSchema {
            let definition = IndexDefinition(
                name: "unique_\(rule.name)", fields: [rule.name], kind: "unique", unique: true)
            let index = try registry.indexKind(named: "unique").makeIndex(definition)
            try storage.addIndex(index, table: name)
        }
    }

    /// The number of records.
    public var count: Int {
        lock.withReadLock { storage.liveCount }
    }

    /// The key generator's current state (an auto-increment counter, for example), for persistence.
    public var keyGeneratorState: Value {
        lock.withReadLock { storage.keyState }
    }

    // MARK: - Locking helpers

    /// Runs `body` under the read lock, after checking the table was not dropped.
    func read<T>(_ body: (TableStorage) throws(DictDBError) -> T) throws(DictDBError) -> T {
        try lock.withReadLock { () throws(DictDBError) -> T in
            try checkNotDropped()
            return try body(storage)
        }
    }

    /// The row and record with primary key `key`. Call under the lock.
    ///
    /// Reads the fields of ``storage`` in place: calling a `TableStorage` method on it, or handing it to
    /// a closure as ``read(_:)`` does, copies the whole storage first, which costs more than the lookup.
    func lockedRecord(forKey key: Value) -> (row: RowID, record: Record)? {
        let primaryKey = primaryKey
        var found: Record?
        // The candidate's record is read once: to confirm its key and to hand back.
        let row = storage.keyToRow.row(forKey: key) { row in
            guard row < storage.rows.count, let record = storage.rows[row], record[primaryKey] == key else {
                return false
            }
            found = record
            return true
        }
        guard let row, let found else { return nil }
        return (row, found)
    }

    /// Runs `body` under the write lock, after checking the table was not dropped and that no transaction
    /// of this thread is open (its writes go through its handle).
    func write<T>(
        durability: Durability = .policy, _ body: (inout TableStorage) throws(DictDBError) -> T
    ) throws(DictDBError) -> T {
        try checkNoTransactionOnThisThread()
        guard let journal else {
            return try gate.pass { () throws(DictDBError) -> T in
                try lock.withWriteLock { () throws(DictDBError) -> T in
                    try checkNotDropped()
                    return try body(&storage)
                }
            }
        }
        var ticket: DurableLog.Ticket?
        let value = try gate.pass { () throws(DictDBError) -> T in
            try lock.withWriteLock { () throws(DictDBError) -> T in
                try checkNotDropped()
                try journal.checkWritable()
                storage.beginLog()
                let value: T
                do throws(DictDBError) {
                    value = try body(&storage)
                } catch {
                    if let log = storage.changeLog { storage.rollBack(log) }
                    throw error
                }
                guard let log = storage.endLog() else { return value }
                let change = JournalTableChange(table: name, log: log, storage: storage)
                do throws(DictDBError) {
                    ticket = try journal.append(
                        .commit, body: JournalBody.commit([change]), undo: .table(self, log), durability: durability)
                } catch {
                    storage.rollBack(log)
                    throw error
                }
                compactAfterCommit(journal, sequence: ticket?.sequence ?? 0)
                return value
            }
        }
        if let ticket { try finishCommit(ticket, journal: journal) }
        return value
    }

    /// Compacts sparse row storage after a journaled change, keeping the old layout for undo while the
    /// change is unsynced. Call under the write lock.
    func compactAfterCommit(_ journal: DurableLog, sequence: UInt64) {
        guard storage.isSparse else { return }
        journal.appendUndo(.restore([(self, storage)]), after: sequence)
        storage.compactIfSparse()
    }

    /// Waits for the sync a ticket asks for, then lets a grown journal start a checkpoint.
    func finishCommit(_ ticket: DurableLog.Ticket, journal: DurableLog) throws(DictDBError) {
        if ticket.mustSync { try journal.waitUntilDurable(ticket.sequence) }
        checkpointHint?(ticket.journalBytes)
    }

    /// Throws when the calling thread is inside a transaction body, where writes must use the handle.
    func checkNoTransactionOnThisThread() throws(DictDBError) {
        if transactions.isOpenOnCurrentThread {
            throw DictDBError(
                .invalidState,
                "a transaction is open on this thread: write to '\(name)' through it, with tx.table(\"\(name)\")",
                context: .init(table: name))
        }
    }

    func checkNotDropped() throws(DictDBError) {
        if isDropped {
            throw DictDBError(.tableNotFound, "table '\(name)' was dropped", context: .init(table: name))
        }
    }

    func markDropped() {
        gate.pass {
            lock.withWriteLock {
                isDropped = true
                storage.removeAllRecords()
            }
        }
    }

    /// Marks the table dropped and runs `body` (which journals the drop) under its gate and write lock, so
    /// that no write reaches the journal after the drop entry. If `body` throws, the table is as before.
    func drop(journaling body: () throws(DictDBError) -> Void) throws(DictDBError) {
        try gate.pass { () throws(DictDBError) in
            try lock.withWriteLock { () throws(DictDBError) in
                try checkNotDropped()
                isDropped = true
                do throws(DictDBError) {
                    try body()
                } catch {
                    isDropped = false
                    throw error
                }
            }
        }
    }

    /// Takes back a drop whose journal entry could not be synced.
    func undrop() {
        lock.withWriteLock { isDropped = false }
    }

    /// Frees the records of a table whose drop is durable.
    func releaseDroppedRecords() {
        lock.withWriteLock { storage.removeAllRecords() }
    }

    // MARK: - Record preparation (outside the lock)

    /// Validates values and applies the schema. Pure; runs before any lock is taken.
    func prepare(_ record: Record) throws(DictDBError) -> Record {
        let names = record.fieldNames
        let values = record.values
        for i in names.indices {
            if names[i].isEmpty {
                throw DictDBError(
                    .invalidArgument, "a record has a field with an empty name", context: .init(table: name))
            }
            try values[i].validate(field: names[i])
        }
        guard let schema else { return record }
        return try SchemaEnforcer.enforce(record, schema: schema, table: name, primaryKey: primaryKey)
    }

    /// Whether `shape` is `primaryKey` followed by the field names of `record`, in order.
    static func isKeyed(_ shape: [String], primaryKey: String, shapeOf record: Record) -> Bool {
        let names = record.fieldNames
        guard shape.count == names.count + 1, shape[0] == primaryKey else { return false }
        for i in names.indices where shape[i + 1] != names[i] { return false }
        return true
    }

    /// A primary key as the schema stores it (`"5"` becomes `5` under an int rule with coercion).
    func normalizedKey(_ key: Value) -> Value {
        guard let schema, let rule = schema.rule(for: primaryKey), !key.isNull else { return key }
        let probe = Record(fields: [(primaryKey, key)])
        let strictless = Schema(fields: [rule], mode: .open, coercion: schema.coercion)
        guard
            let normalized = try? SchemaEnforcer.enforce(probe, schema: strictless, table: name, primaryKey: primaryKey)
        else { return key }
        return normalized[primaryKey]
    }

    /// Gives `record` its primary key: the explicit one (validated and noted by the generator) or a new one.
    /// Advances `state`, which the caller commits only if the whole operation succeeds.
    ///
    /// A new key goes first in the record. When `shape` (the table's latest field-name array) is exactly the
    /// key followed by the record's fields, the record takes that array rather than building its own.
    func assignKey(_ record: inout Record, state: inout Value, shape: [String] = []) throws(DictDBError) -> Value {
        let explicit = record[primaryKey]
        if !explicit.isNull {
            do {
                try keyGenerator.validate(explicitKey: explicit)
            } catch {
                var error = error
                error.context.table = name
                error.context.field = primaryKey
                throw error
            }
            keyGenerator.observe(explicitKey: explicit, state: &state)
            return explicit
        }
        let key = try keyGenerator.nextKey(state: &state)
        if Self.isKeyed(shape, primaryKey: primaryKey, shapeOf: record) {
            // The names are distinct, so the record has no (null) key field to drop.
            var values: [Value] = []
            values.reserveCapacity(shape.count)
            values.append(key)
            values.append(contentsOf: record.values)
            record = Record(sharedFieldNames: shape, values: values)
            return key
        }
        var names = [primaryKey]
        var values = [key]
        names.reserveCapacity(record.count + 1)
        values.reserveCapacity(record.count + 1)
        for (field, value) in record where field != primaryKey {
            names.append(field)
            values.append(value)
        }
        record = Record(sharedFieldNames: names, values: values)
        return key
    }
}
