import DictDBAPI

/// What one table's part of a committed operation or transaction did, by primary key: the journal's
/// unit of replay.
///
/// Replay applies it as one change set against the state before it: indexes dropped, then (after a clear,
/// if any) deletes and updates of existing keys in place and inserts appended in order, then indexes
/// created, then the key generator's state. That reproduces the live table exactly, insertion order
/// included.
struct JournalTableChange {
    var table: String
    var keyState: Value?
    var cleared = false
    var droppedIndexes: [String] = []
    var deletes: [Value] = []
    /// Records replaced in place, found by the key they had before (which may differ from their new key).
    var updates: [(oldKey: Value, record: Record)] = []
    var inserts: [Record] = []
    var createdIndexes: [IndexDefinition] = []

    /// Describes what `log` recorded against `storage` (its state now).
    init(table: String, log: ChangeLog, storage: TableStorage) {
        self.table = table
        if storage.keyState != log.baseKeyState { keyState = storage.keyState }
        cleared = log.cleared
        if let base = log.baseIndexes {
            let current = storage.indexes.map(\.definition)
            droppedIndexes = base.filter { !current.contains($0) }.map(\.name)
            createdIndexes = current.filter { !base.contains($0) }
        }
        let key = storage.primaryKey
        for (row, old) in log.originals.sorted(by: { $0.key < $1.key }) {
            if let current = storage.record(at: row) {
                updates.append((old[key], current))
            } else {
                deletes.append(old[key])
            }
        }
        if log.baseRowCount < storage.rows.count {
            for row in log.baseRowCount..<storage.rows.count {
                if let record = storage.record(at: row) { inserts.append(record) }
            }
        }
    }

    /// The change as a journal body value.
    var value: Value {
        var fields: [(String, Value)] = [("table", .string(table))]
        if let keyState { fields.append(("keyState", keyState)) }
        if cleared { fields.append(("clear", .bool(true))) }
        if !droppedIndexes.isEmpty { fields.append(("dropIndexes", .array(droppedIndexes.map(Value.string)))) }
        if !deletes.isEmpty { fields.append(("deletes", .array(deletes))) }
        if !updates.isEmpty {
            fields.append(("updates", .array(updates.map { .array([$0.oldKey, .object($0.record)]) })))
        }
        if !inserts.isEmpty { fields.append(("inserts", .array(inserts.map(Value.object)))) }
        if !createdIndexes.isEmpty {
            fields.append(("createIndexes", .array(createdIndexes.map(SnapshotFormat.value(of:)))))
        }
        return .object(Record(fields: fields))
    }

    /// Reads a change back from a journal body value.
    init(_ value: Value, path: String) throws(DictDBError) {
        guard let record = value.objectValue, let table = record["table"].stringValue else {
            throw SnapshotFormat.corrupt("a journal table change has no table name", path)
        }
        self.table = table
        keyState = record[field: "keyState"]
        cleared = record["clear"].boolValue ?? false
        for name in record["dropIndexes"].arrayValue ?? [] {
            guard let name = name.stringValue else {
                throw SnapshotFormat.corrupt("a dropped index name is not text", path)
            }
            droppedIndexes.append(name)
        }
        deletes = record["deletes"].arrayValue ?? []
        for update in record["updates"].arrayValue ?? [] {
            guard let pair = update.arrayValue, pair.count == 2, let new = pair[1].objectValue else {
                throw SnapshotFormat.corrupt("a journal update is not [oldKey, record]", path)
            }
            updates.append((pair[0], new))
        }
        for insert in record["inserts"].arrayValue ?? [] {
            guard let new = insert.objectValue else {
                throw SnapshotFormat.corrupt("a journal insert is not a record", path)
            }
            inserts.append(new)
        }
        for definition in record["createIndexes"].arrayValue ?? [] {
            createdIndexes.append(try SnapshotFormat.definition(from: definition, path: path))
        }
    }

    /// Applies the change to `storage` during recovery, checking every key and constraint.
    /// - Throws: ``DictDBError/Code/corrupt`` when the change does not fit the state it follows.
    func replay(on storage: inout TableStorage, registry: Registry, path: String) throws(DictDBError) {
        for name in droppedIndexes {
            guard let position = storage.indexPosition(named: name) else {
                throw SnapshotFormat.corrupt("table '\(table)' has no index '\(name)' to drop", path)
            }
            storage.removeIndex(at: position)
        }
        if cleared { storage.removeAllRecords() }
        var changes: [TableStorage.Change] = []
        changes.reserveCapacity(deletes.count + updates.count + inserts.count)
        for key in deletes {
            guard let row = storage.row(forKey: key) else {
                throw SnapshotFormat.corrupt("table '\(table)' has no key \(key) to delete", path)
            }
            changes.append(.init(row: row, new: nil))
        }
        for (oldKey, record) in updates {
            guard let row = storage.row(forKey: oldKey) else {
                throw SnapshotFormat.corrupt("table '\(table)' has no key \(oldKey) to update", path)
            }
            changes.append(.init(row: row, new: record))
        }
        for record in inserts {
            if record[storage.primaryKey].isNull {
                throw SnapshotFormat.corrupt("a record inserted into '\(table)' has no primary key", path)
            }
            changes.append(.init(row: nil, new: record))
        }
        do {
            try storage.validate(changes, table: table)
        } catch {
            throw SnapshotFormat.corrupt("a change to table '\(table)' breaks a constraint: \(error.message)", path)
        }
        storage.apply(changes)
        for definition in createdIndexes {
            let index = try registry.indexKind(named: definition.kind).makeIndex(definition)
            do {
                try storage.addIndex(index, table: table)
            } catch {
                throw SnapshotFormat.corrupt("index '\(definition.name)' cannot be built: \(error.message)", path)
            }
        }
        if let keyState { storage.keyState = keyState }
    }
}

/// The bodies of journal entries.
///
/// A commit: `{"tables": [change, ...]}`, one change per table the operation or transaction touched. A
/// catalog entry: `{"op": "createTable", "table", "primaryKey", "keyGenerator", "schema"}` or
/// `{"op": "dropTable", "table"}`.
enum JournalBody {
    /// The field every entry carries with the highest sequence known to be on stable storage when it was
    /// written. Recovery reads it past damage: damage that no later entry saw synced is a power loss that
    /// took unsynced writes out of order (cut like a torn tail); damage some later entry saw synced hit
    /// data that was durable, and refuses to open.
    static let syncedField = "synced"

    /// The field with the wall-clock time an entry was written (ms since 1970, UTC), for restoring to a
    /// point in time.
    static let timeField = "at"

    /// `body` with the synced watermark and the time added.
    static func stamped(_ body: Value, synced: UInt64, millis: Int64) -> Value {
        guard var record = body.objectValue else { return body }
        record[syncedField] = .int(Int64(bitPattern: synced))
        record[timeField] = .int(millis)
        return .object(record)
    }

    /// When an entry was written (ms since 1970, UTC), or `nil` when it does not say.
    static func time(_ body: Value) -> Int64? {
        body.objectValue?[field: timeField]?.intValue
    }

    /// The synced watermark of an entry, or `nil` when it has none.
    static func synced(_ body: Value) -> UInt64? {
        body.objectValue?[field: syncedField]?.intValue.map { UInt64(bitPattern: $0) }
    }

    static func commit(_ changes: [JournalTableChange]) -> Value {
        .object(["tables": .array(changes.map(\.value))])
    }

    static func createTable(_ table: Table) -> Value {
        .object([
            "op": "createTable", "table": .string(table.name), "primaryKey": .string(table.primaryKey),
            "keyGenerator": .string(table.keyGenerator.name), "schema": table.schema?.storedValue ?? .null,
        ])
    }

    static func dropTable(_ name: String) -> Value {
        .object(["op": "dropTable", "table": .string(name)])
    }
}
