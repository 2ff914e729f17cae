import DictDBAPI

/// What ``Table/upsert(_:onConflict:durability:)`` does when a record with the same primary key exists.
public enum UpsertConflictPolicy: String, Sendable, Hashable, CaseIterable {
    /// Set the given fields over the existing record, keeping its other fields.
    case merge
    /// Replace the existing record by the given one.
    case replace
    /// Keep the existing record unchanged.
    case ignore
    /// Throw `DictDBError.Code.duplicateKey`.
    case fail
}

/// What an upsert did.
public enum UpsertOutcome: Sendable, Hashable {
    /// A new record was inserted under this key.
    case inserted(Value)
    /// The existing record with this key was merged into or replaced.
    case updated(Value)
    /// A record with this key existed and was left as is.
    case ignored(Value)

    /// The primary key concerned.
    public var key: Value {
        switch self {
        case .inserted(let key), .updated(let key), .ignored(let key): return key
        }
    }
}

extension Table {
    /// Inserts a record, or resolves a primary-key conflict with an existing one by `policy`.
    ///
    /// ```swift
    /// try users.upsert(["id": 1, "age": 37])                      // merge into record 1 if present
    /// try users.upsert(["id": 1, "name": "Ada"], onConflict: .replace)
    /// ```
    ///
    /// Atomic: the look-up and the write happen as one step, even with concurrent writers.
    /// - Throws: `DictDBError.Code.duplicateKey` for ``UpsertConflictPolicy/fail``, and every error of
    ///   ``insert(_:durability:)``; nothing changes when it throws.
    @discardableResult
    public func upsert(
        _ record: Record, onConflict policy: UpsertConflictPolicy = .merge, durability: Durability = .policy
    ) throws(DictDBError)
        -> UpsertOutcome
    {
        try checkNoTransactionOnThisThread()
        for (field, value) in record { try value.validate(field: field) }
        let key = normalizedKey(record[primaryKey])
        if key.isNull { return .inserted(try insert(record, durability: durability)) }
        var insertAttempts = 0
        while true {
            // Read the current record, build the new one outside the lock (schema validators are caller
            // code), then write if nothing moved in between.
            let (version, existing) = try read { storage in
                (storage.version, storage.row(forKey: key).flatMap { storage.record(at: $0) })
            }
            guard let existing else {
                do {
                    return .inserted(try insert(record, durability: durability))
                } catch DictDBError.duplicateKey where insertAttempts < 3 {
                    insertAttempts += 1
                    continue  // a concurrent writer inserted the key first: resolve against it
                }
            }
            let replacement: Record
            switch policy {
            case .fail:
                throw duplicateKeyError(key)
            case .ignore:
                return .ignored(key)
            case .merge:
                replacement = try prepare(existing.merging(record))
            case .replace:
                replacement = try prepare(record)
            }
            let done = try write(durability: durability) { (storage) throws(DictDBError) -> Bool in
                guard storage.version == version, let row = storage.row(forKey: key) else { return false }
                try applyPlanned([TableStorage.Change(row: row, new: replacement)], rekeys: true, to: &storage)
                return true
            }
            if done { return .updated(key) }
        }
    }
}
