import DictDBAPI

extension Database {
    /// Copies a table, from this or another database (a loaded snapshot, a backup), into this database:
    /// its primary key, key generator and state, schema, indexes and records, in insertion order.
    ///
    /// ```swift
    /// let archive = try Database.load(from: "archive.json", registry: .standard)
    /// try db.copyTable(try archive.table("orders"), as: "orders_2025")
    /// ```
    ///
    /// The table is created, its indexes are added, then the records and the generator state go in with
    /// one all-or-nothing batch; if that batch fails, the new table is dropped again. The key generator's
    /// state is copied too, so an auto-increment table never hands out a key the source had used.
    ///
    /// - Parameters:
    ///   - source: the table to copy.
    ///   - name: the new table's name (default: the source's).
    /// - Returns: the new table.
    /// - Throws: `DictDBError.Code.tableExists`, `DictDBError.Code.unknownPlugin` when this database's
    ///   registry lacks the source's key generator or an index kind, and the errors of the batch insert.
    @discardableResult
    public func copyTable(_ source: Table, as name: String? = nil) throws(DictDBError) -> Table {
        let name = name ?? source.name
        let records = try source.allRecords()
        let keyState = source.keyGeneratorState
        let table = try createTable(
            name, primaryKey: source.primaryKey, keyGenerator: source.keyGenerator.name, schema: source.schema)
        do throws(DictDBError) {
            let existing = Set(table.indexes.map(\.name))
            for index in source.indexes where !existing.contains(index.name) {
                try table.createIndex(
                    on: index.fields, kind: index.kind, name: index.name, unique: index.unique, options: index.options)
            }
            var prepared: [Record] = []
            prepared.reserveCapacity(records.count)
            for record in records { prepared.append(try table.prepare(record)) }
            try table.write { (storage) throws(DictDBError) in
                _ = try table.applyInsert(prepared, to: &storage)
                storage.keyState = keyState
            }
        } catch {
            try? dropTable(name)
            throw error
        }
        return table
    }
}
