import DictDBAPI

// The mutations of a table, as operations on a `TableStorage` value. The table runs them on its own
// storage under its write lock; a transaction runs them on its private working copy, where no lock is held
// and caller code (schema validators) may run inline.

extension Table {
    /// Inserts prepared records as one change set and returns their keys; all or nothing.
    func applyInsert(_ prepared: [Record], to storage: inout TableStorage) throws(DictDBError) -> [Value] {
        var state = storage.keyState
        var keys: [Value] = []
        keys.reserveCapacity(prepared.count)
        var changes: [TableStorage.Change] = []
        changes.reserveCapacity(prepared.count)
        for var record in prepared {
            keys.append(try assignKey(&record, state: &state))
            changes.append(TableStorage.Change(row: nil, new: record))
        }
        try storage.validate(changes, table: name)
        storage.apply(changes)
        storage.keyState = state
        return keys
    }

    /// Inserts one prepared record and returns its key; ``applyInsert(_:to:)`` for one record, without the
    /// arrays of a change set.
    func applyInsert(_ record: Record, to storage: inout TableStorage) throws(DictDBError) -> Value {
        var state = storage.keyState
        var record = record
        let key = try assignKey(&record, state: &state, shape: storage.shape)
        let change = TableStorage.Change(row: nil, new: record)
        try storage.validate(change, table: name)
        storage.apply(change)
        storage.keyState = state
        return key
    }

    /// Validates and applies replacements planned from a read of `storage`; all or nothing.
    /// - Parameter rekeys: whether the changes may set primary keys (the generator then notes them).
    func applyPlanned(
        _ planned: [TableStorage.Change], rekeys: Bool, to storage: inout TableStorage
    )
        throws(DictDBError)
    {
        var state = storage.keyState
        if rekeys {
            for change in planned {
                if let key = change.new?[primaryKey] { keyGenerator.observe(explicitKey: key, state: &state) }
            }
        }
        try storage.validate(planned, table: name)
        storage.apply(planned)
        storage.keyState = state
    }

    /// ``applyPlanned(_:rekeys:to:)`` for one replacement, without the arrays of a change set.
    func applyPlanned(_ change: TableStorage.Change, rekeys: Bool, to storage: inout TableStorage) throws(DictDBError) {
        var state = storage.keyState
        if rekeys, let key = change.new?[primaryKey] { keyGenerator.observe(explicitKey: key, state: &state) }
        try storage.validate(change, table: name)
        storage.apply(change)
        storage.keyState = state
    }

    /// Checks the fields of an update's `set` record and its new primary key, if any.
    func checkUpdate(_ changes: Record, _ condition: Condition) throws(DictDBError) {
        try condition.validate()
        for (field, value) in changes {
            if field.isEmpty {
                throw DictDBError(
                    .invalidArgument, "update sets a field with an empty name", context: .init(table: name))
            }
            try value.validate(field: field)
        }
        if let newKey = changes[field: primaryKey] {
            if newKey.isNull {
                throw DictDBError(
                    .invalidKey, "cannot set primary key '\(primaryKey)' to null",
                    context: .init(table: name, field: primaryKey, key: newKey))
            }
            try keyGenerator.validate(explicitKey: newKey)
        }
    }

    /// Updates the matching records of `storage` in place (preparing inline); returns the count.
    func applyUpdate(
        set changes: Record, where condition: Condition, to storage: inout TableStorage
    )
        throws(DictDBError) -> Int
    {
        try checkUpdate(changes, condition)
        let matches = matchingRows(condition, in: storage)
        if matches.isEmpty { return 0 }
        var planned: [TableStorage.Change] = []
        planned.reserveCapacity(matches.count)
        for (row, old) in matches {
            planned.append(TableStorage.Change(row: row, new: try prepare(old.merging(changes))))
        }
        try applyPlanned(planned, rekeys: changes.hasField(primaryKey), to: &storage)
        return planned.count
    }

    /// Upserts into `storage` (preparing inline).
    func applyUpsert(
        _ record: Record, policy: UpsertConflictPolicy, to storage: inout TableStorage
    )
        throws(DictDBError) -> UpsertOutcome
    {
        for (field, value) in record { try value.validate(field: field) }
        let key = normalizedKey(record[primaryKey])
        guard !key.isNull, let row = storage.row(forKey: key), let existing = storage.record(at: row) else {
            return .inserted(try applyInsert(try prepare(record), to: &storage))
        }
        let replacement: Record
        switch policy {
        case .fail: throw duplicateKeyError(key)
        case .ignore: return .ignored(key)
        case .merge: replacement = try prepare(existing.merging(record))
        case .replace: replacement = try prepare(record)
        }
        try applyPlanned(TableStorage.Change(row: row, new: replacement), rekeys: true, to: &storage)
        return .updated(key)
    }

    /// Deletes the matching records of `storage`; returns the count.
    func applyDelete(where condition: Condition, to storage: inout TableStorage) throws(DictDBError) -> Int {
        try condition.validate()
        let matches = matchingRows(condition, in: storage)
        storage.apply(matches.map { TableStorage.Change(row: $0.row, new: nil) })
        return matches.count
    }

    /// The error for a key that is already taken.
    func duplicateKeyError(_ key: Value) -> DictDBError {
        DictDBError(
            .duplicateKey, "table '\(name)' already has a record with \(primaryKey) \(key)",
            context: .init(table: name, field: primaryKey, key: key))
    }
}
