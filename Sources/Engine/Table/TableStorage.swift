@_spi(Storage) import DictDBAPI

/// The contents of one table: records by row id, the primary-key map, secondary indexes and the key
/// generator's state.
///
/// A value type: copying it is O(1) (every part is copy-on-write), which gives consistent cuts for free.
/// Mutations go through ``validate(_:)`` then ``apply(_:)``: validation checks every constraint of a whole
/// change set without touching anything, and application cannot fail. That split is what makes inserts,
/// batches, upserts and updates all-or-nothing.
struct TableStorage {
    /// One change of a change set: insert (`row == nil`), replace (`row` and `new`) or delete (`new == nil`).
    struct Change {
        /// The row changed, or `nil` for an insert.
        var row: RowID?
        /// The record after the change, or `nil` for a delete.
        var new: Record?
    }

    /// The field holding each record's primary key.
    let primaryKey: String
    /// Records by row id; deleted rows leave `nil` until the next compaction.
    private(set) var rows = ChunkedArray<Record?>()
    /// The number of non-nil entries in ``rows``.
    private(set) var liveCount = 0
    /// Primary key to row id (the keys themselves are read from ``rows``).
    private(set) var keyToRow = PrimaryKeyMap()
    /// Secondary indexes, in creation order.
    private(set) var indexes: [any TableIndex] = []
    /// The definition of each index of ``indexes``, at the same position. Reading one here is free, where
    /// `indexes[i].definition` copies it out of the existential on every record a mutation touches.
    private(set) var indexDefinitions: [IndexDefinition] = []
    /// The key generator's state.
    var keyState: Value
    /// Bumped by every change; lets optimistic writers detect that the table moved under them.
    private(set) var version: UInt64 = 0
    /// The most recent field-name array, shared by records of the same shape to save memory.
    ///
    /// Every ``recordsPerShapeCopy`` records that take it, it is replaced by a fresh copy: reading a record
    /// retains and releases its field-name array, and one array shared by a whole table would have readers
    /// on different cores contend for its reference count (two readers of random keys read 14-26% more
    /// records per second with copies than with one array). A copy per 256 records costs half a byte each.
    private(set) var shape: [String] = []
    /// The last field-name array found equal to ``shape`` (a decoder's, shared by the records it made).
    private var shapeEquivalent: [String] = []
    /// Records that took ``shape`` so far.
    private var shapeSharers = 0
    /// How many records share one copy of ``shape``; a power of two.
    static var recordsPerShapeCopy: Int { 256 }
    /// While a durable write runs: what it changed, for its journal entry and for undoing it.
    var changeLog: ChangeLog?

    init(primaryKey: String, keyState: Value) {
        self.primaryKey = primaryKey
        self.keyState = keyState
    }

    /// The record stored at `row`, if the row is live.
    @inline(__always)
    func record(at row: RowID) -> Record? {
        row >= 0 && row < rows.count ? rows[row] : nil
    }

    /// The row holding primary key `key`.
    @inline(__always)
    func row(forKey key: Value) -> RowID? {
        keyToRow.row(forKey: key, in: rows, primaryKey: primaryKey)
    }

    /// The record with primary key `key`, if any.
    @inline(__always)
    func record(forKey key: Value) -> Record? {
        guard let row = row(forKey: key) else { return nil }
        return record(at: row)
    }

    /// The position of the index named `name` in ``indexes``.
    func indexPosition(named name: String) -> Int? {
        indexDefinitions.firstIndex { $0.name == name }
    }

    // MARK: - Validation

    /// Checks that applying `changes` breaks no primary-key or unique constraint. Changes nothing.
    ///
    /// A key held by a row that the change set also changes is free for reuse within the set (so two rows
    /// can swap keys); keys are otherwise unique across untouched rows and the new records.
    /// - Throws: ``DictDBError/Code/duplicateKey``, ``DictDBError/Code/uniqueViolation``.
    func validate(_ changes: [Change], table: String) throws(DictDBError) {
        if changes.count == 1 { return try validate(changes[0], table: table) }

        var changedRows = Set<RowID>()
        for change in changes { if let row = change.row { changedRows.insert(row) } }

        var newKeys = Set<Value>()
        for change in changes {
            guard let new = change.new else { continue }
            let key = new[primaryKey]
            if !newKeys.insert(key).inserted {
                throw duplicateKey(key, table: table)
            }
            if let holder = row(forKey: key), !changedRows.contains(holder) {
                throw duplicateKey(key, table: table)
            }
        }
        for (index, definition) in zip(indexes, indexDefinitions) where definition.unique {
            var seen = Set<Value>()
            for change in changes {
                guard let new = change.new else { continue }
                let key = definition.key(for: new)
                if definition.keyIsExemptFromUniqueness(key) { continue }
                if !seen.insert(key).inserted {
                    throw uniqueViolation(definition, key: key, table: table)
                }
                try checkUnique(index, key: key, definition: definition, table: table) { changedRows.contains($0) }
            }
        }
    }

    /// ``validate(_:table:)`` for a change set of one change, without intermediate sets.
    func validate(_ change: Change, table: String) throws(DictDBError) {
        guard let new = change.new else { return }
        let changedRow = change.row
        let key = new[primaryKey]
        if let holder = row(forKey: key), holder != changedRow {
            throw duplicateKey(key, table: table)
        }
        for i in indexDefinitions.indices where indexDefinitions[i].unique {
            let key = IndexDefinition.key(for: new, fields: indexDefinitions[i].fields)
            try checkUnique(indexes[i], key: key, definition: indexDefinitions[i], table: table) {
                $0 == changedRow
            }
        }
    }

    /// Throws when a row that `isChanged` does not claim already holds `key` in the unique `index`.
    private func checkUnique(
        _ index: any TableIndex, key: Value, definition: IndexDefinition, table: String,
        isChanged: (RowID) -> Bool
    ) throws(DictDBError) {
        if definition.keyIsExemptFromUniqueness(key) { return }
        guard let holders = index.rows(matching: .equal(key)) else { return }
        if holders.contains(where: { !isChanged($0) }) {
            throw uniqueViolation(definition, key: key, table: table)
        }
    }

    private func duplicateKey(_ key: Value, table: String) -> DictDBError {
        DictDBError(
            .duplicateKey, "table '\(table)' already has a record with \(primaryKey) \(key)",
            context: .init(table: table, field: primaryKey, key: key))
    }

    private func uniqueViolation(_ definition: IndexDefinition, key: Value, table: String) -> DictDBError {
        DictDBError(
            .uniqueViolation,
            "unique index '\(definition.name)' on \(definition.fields.joined(separator: ", ")) already holds \(key)",
            context: .init(
                table: table, field: definition.fields.joined(separator: ","), key: key, index: definition.name)
        )
    }

    // MARK: - Application

    /// Applies a validated change set and returns the row ids of the records written, in change order
    /// (deletes give their old row id).
    @discardableResult
    mutating func apply(_ changes: [Change]) -> [RowID] {
        if changes.count == 1 { return [apply(changes[0])] }
        if changeLog != nil { for change in changes { noteOriginal(change.row) } }
        version &+= 1
        // Remove the entries whose keys change first, so keys can move between rows of one change set.
        for change in changes {
            guard let row = change.row, let old = rows[row] else { continue }
            let oldKey = old[primaryKey]
            if change.new?[primaryKey] != oldKey { keyToRow.remove(oldKey, row: row) }
            for i in indexes.indices {
                let key = IndexDefinition.key(for: old, fields: indexDefinitions[i].fields)
                if let new = change.new, IndexDefinition.key(for: new, fields: indexDefinitions[i].fields) == key {
                    continue
                }
                indexes[i].remove(key: key, row: row)
            }
        }
        var written: [RowID] = []
        written.reserveCapacity(changes.count)
        var deleted = false
        for change in changes {
            guard var new = change.new else {
                if let row = change.row, rows[row] != nil {
                    rows[row] = nil
                    liveCount -= 1
                    deleted = true
                    written.append(row)
                }
                continue
            }
            shareShape(&new)
            let row: RowID
            let old: Record?
            if let existing = change.row, let current = rows[existing] {
                row = existing
                old = current
                rows[row] = new
            } else {
                row = rows.count
                old = nil
                rows.append(new)
                liveCount += 1
            }
            if old?[primaryKey] != new[primaryKey] {
                keyToRow.set(new[primaryKey], row: row, in: rows, primaryKey: primaryKey)
            }
            for i in indexes.indices {
                let key = IndexDefinition.key(for: new, fields: indexDefinitions[i].fields)
                if let old, IndexDefinition.key(for: old, fields: indexDefinitions[i].fields) == key { continue }
                indexes[i].insert(key: key, row: row)
            }
            written.append(row)
        }
        if deleted && changeLog == nil { compactIfSparse() }
        return written
    }

    /// ``apply(_:)`` for a change set of one change, without arrays; returns the row written (or deleted).
    @discardableResult
    mutating func apply(_ change: Change) -> RowID {
        if changeLog != nil { noteOriginal(change.row) }
        return applySingle(change)
    }

    /// Applies one validated change, touching only the index entries whose keys change.
    private mutating func applySingle(_ change: Change) -> RowID {
        version &+= 1
        // A local copy of the definitions: reading them through `self` while the storage is being mutated
        // copies each definition out first.
        let definitions = indexDefinitions
        guard var new = change.new else {
            guard let row = change.row, let old = rows[row] else { return change.row ?? -1 }
            keyToRow.remove(old[primaryKey], row: row)
            for i in indexes.indices {
                indexes[i].remove(key: IndexDefinition.key(for: old, fields: definitions[i].fields), row: row)
            }
            rows[row] = nil
            liveCount -= 1
            if changeLog == nil { compactIfSparse() }
            return row
        }
        shareShape(&new)
        guard let row = change.row, let old = rows[row] else {
            let row = rows.count
            rows.append(new)
            liveCount += 1
            keyToRow.set(new[primaryKey], row: row, in: rows, primaryKey: primaryKey)
            for i in indexes.indices {
                indexes[i].insert(key: IndexDefinition.key(for: new, fields: definitions[i].fields), row: row)
            }
            return row
        }
        for i in indexes.indices {
            let oldKey = IndexDefinition.key(for: old, fields: definitions[i].fields)
            let newKey = IndexDefinition.key(for: new, fields: definitions[i].fields)
            if oldKey != newKey {
                indexes[i].remove(key: oldKey, row: row)
                indexes[i].insert(key: newKey, row: row)
            }
        }
        let oldKey = old[primaryKey]
        let newKey = new[primaryKey]
        // The key map reads keys from the rows: the row holds the new record before its new key is added.
        rows[row] = new
        if oldKey != newKey {
            keyToRow.remove(oldKey, row: row)
            keyToRow.set(newKey, row: row, in: rows, primaryKey: primaryKey)
        }
        return row
    }

    /// Makes `record` share ``shape`` (or a fresh copy of it, see ``shape``) when it has those field names,
    /// or makes its field names the new shape; returns whether the field names changed.
    @discardableResult
    private mutating func shareShape(_ record: inout Record) -> Bool {
        let names = record.fieldNames
        // Records decoded from a file share their decoder's array, and inserted ones the shape: once found
        // equal, an array is known, and only a new one is compared name by name.
        if !Self.isSameArray(names, shapeEquivalent) {
            guard names == shape else {
                shape = names
                shapeEquivalent = names
                return true
            }
            shapeEquivalent = names
        }
        shapeSharers &+= 1
        if shapeSharers & (Self.recordsPerShapeCopy - 1) == 0 {
            shape = shape.withUnsafeBufferPointer { Array($0) }
        }
        record.adoptFieldNames(shape)
        return false
    }

    /// Whether two arrays are the same storage (then they are equal).
    @inline(__always)
    private static func isSameArray(_ a: [String], _ b: [String]) -> Bool {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
            && a.count == b.count
    }

    /// Whether more than half of the row slots are holes left by deletes (and more than 1,024).
    var isSparse: Bool {
        let holes = rows.count - liveCount
        return holes > 1024 && holes > liveCount
    }

    /// Renumbers rows when more than half of the slots are holes, keeping insertion order.
    mutating func compactIfSparse() {
        guard isSparse else { return }
        version &+= 1
        rows = ChunkedArray(rows.lazy.filter { $0 != nil })
        rebuildKeyMapAndIndexes()
    }

    private mutating func rebuildKeyMapAndIndexes() {
        keyToRow.removeAll()
        keyToRow.reserveCapacity(liveCount)
        for i in indexes.indices { indexes[i].removeAll() }
        for (row, record) in rows.enumerated() {
            guard let record else { continue }
            keyToRow.set(record[primaryKey], row: row, in: rows, primaryKey: primaryKey)
            for i in indexes.indices {
                indexes[i].insert(key: IndexDefinition.key(for: record, fields: indexDefinitions[i].fields), row: row)
            }
        }
    }

    // MARK: - Setting fields
    //
    // A replacement (`apply(_:)` with a whole new record) validates the key and every unique index and
    // re-derives every index key of the old and the new record; setting fields knows which fields change,
    // so it skips the checks that cannot fail and touches only the indexes over those fields. It applies
    // when nothing needs the old record afterwards (no change log) and no constraint can break.

    /// Whether ``setFields(_:at:)`` may apply `changes`: no change log is open (a journaled write or a
    /// transaction keeps the old record to undo or describe the change), `changes` leaves the primary key
    /// alone, and no unique index covers a field it sets (so no constraint needs checking).
    func canSetFields(_ changes: Record) -> Bool {
        guard changeLog == nil, !changes.hasField(primaryKey) else { return false }
        for definition in indexDefinitions where definition.unique {
            if definition.fields.contains(where: { changes.hasField($0) }) { return false }
        }
        return true
    }

    /// Replaces the record at `row` by itself with every field of `changes` set (appending the fields it
    /// lacks, as `Record.merging(_:)` does) and moves its entries in the indexes whose keys change.
    ///
    /// - Precondition: ``canSetFields(_:)`` holds for `changes`, and its values are valid.
    /// - Returns: whether `row` held a live record.
    mutating func setFields(_ changes: Record, at row: RowID) -> Bool {
        guard let old = record(at: row) else { return false }
        version &+= 1
        let definitions = indexDefinitions
        for i in definitions.indices {
            let fields = definitions[i].fields
            guard fields.contains(where: { changes.hasField($0) }) else { continue }
            let oldKey = IndexDefinition.key(for: old, fields: fields)
            let newKey = Self.key(of: old, with: changes, fields: fields)
            if oldKey != newKey {
                indexes[i].remove(key: oldKey, row: row)
                indexes[i].insert(key: newKey, row: row)
            }
        }
        // A new record, not the stored one changed where it lies: a reader may still hold the stored
        // record's arrays (records are handed out by value), and a change in place after its copy was
        // released is ordered only by the reference count, which ThreadSanitizer cannot see.
        var updated = old.merging(changes)
        if updated.count != old.count { updated.shareFieldNames(shape) }
        rows[row] = updated
        return true
    }

    /// The key `record` would have in an index over `fields` once `changes` were set on it.
    private static func key(of record: Record, with changes: Record, fields: [String]) -> Value {
        if fields.count == 1 { return changes[field: fields[0]] ?? record[fields[0]] }
        return .array(fields.map { changes[field: $0] ?? record[$0] })
    }

    // MARK: - Undo support (see ChangeLog)

    /// Removes the key-map and index entries of `record` at `row` (not the row itself).
    mutating func removeEntries(of record: Record, at row: RowID) {
        keyToRow.remove(record[primaryKey], row: row)
        for i in indexes.indices {
            indexes[i].remove(key: IndexDefinition.key(for: record, fields: indexDefinitions[i].fields), row: row)
        }
    }

    /// Adds the key-map and index entries of `record` at `row`, which must hold it already.
    mutating func addEntries(of record: Record, at row: RowID) {
        keyToRow.set(record[primaryKey], row: row, in: rows, primaryKey: primaryKey)
        for i in indexes.indices {
            indexes[i].insert(key: IndexDefinition.key(for: record, fields: indexDefinitions[i].fields), row: row)
        }
    }

    /// Drops the rows from `count` on (their entries must be gone already).
    mutating func truncateRows(to count: Int) {
        rows.truncate(to: count)
    }

    /// Puts `record` back at `row`.
    mutating func setRow(_ row: RowID, to record: Record) {
        rows[row] = record
    }

    /// Restores the counters a change log noted.
    mutating func restoreCounters(liveCount: Int, keyState: Value, version: UInt64) {
        self.liveCount = liveCount
        self.keyState = keyState
        self.version = version
    }

    /// Appends `record` under `key`, before any index is built (loading a snapshot), unless a record
    /// already holds that key (one probe of the key map). Returns the stored record's values and whether
    /// its field names differ from the previous record's (it starts a new ``shape``), or `nil` when it was
    /// not appended.
    mutating func appendWithoutIndexes(_ record: Record, newKey key: Value) -> (values: [Value], newShape: Bool)? {
        assert(indexes.isEmpty, "bulk appends come before indexes are built")
        guard keyToRow.insertIfAbsent(key, row: rows.count, in: rows, primaryKey: primaryKey) else { return nil }
        var record = record
        let newShape = shareShape(&record)
        rows.append(record)
        liveCount += 1
        version &+= 1
        return (record.values, newShape)
    }

    /// Makes room in the key map for `count` records before a bulk load (at most 2^18: the count comes
    /// from a file, so it only sizes, never promises).
    mutating func reserveKeys(_ count: Int) {
        keyToRow.reserveCapacity(min(max(count, 0), 1 << 18))
    }

    // MARK: - Index management

    /// Fills `index` from the live records and adds it, or throws without changing anything when a unique
    /// index would be violated by existing data.
    /// - Throws: ``DictDBError/Code/uniqueViolation`` with the first offending key.
    mutating func addIndex(_ index: any TableIndex, table: String) throws(DictDBError) {
        noteStructuralChange()
        var index = index
        var entries = IndexEntries(definition: index.definition, table: table, capacity: liveCount)
        for (row, record) in rows.enumerated() {
            guard let record else { continue }
            try entries.add(record, row: row)
        }
        entries.build(&index)
        appendBuiltIndex(index)
    }

    /// Adds `index`, already filled from every live record (a snapshot's loader builds indexes as it
    /// reads the records).
    mutating func appendBuiltIndex(_ index: any TableIndex) {
        noteStructuralChange()
        version &+= 1
        indexes.append(index)
        indexDefinitions.append(index.definition)
    }

    /// Moves the most recently added index to `position`, keeping creation order after a rebuild.
    mutating func moveLastIndex(to position: Int) {
        noteStructuralChange()
        guard let last = indexes.popLast(), let definition = indexDefinitions.popLast() else { return }
        indexes.insert(last, at: min(position, indexes.count))
        indexDefinitions.insert(definition, at: min(position, indexDefinitions.count))
    }

    /// Removes the index at `position`.
    mutating func removeIndex(at position: Int) {
        noteStructuralChange()
        version &+= 1
        indexes.remove(at: position)
        indexDefinitions.remove(at: position)
    }

    /// Removes every record, keeping indexes (emptied) and the key generator's state.
    mutating func removeAllRecords() {
        noteStructuralChange(clearing: true)
        version &+= 1
        rows.removeAll()
        liveCount = 0
        keyToRow.removeAll()
        for i in indexes.indices { indexes[i].removeAll() }
    }
}
