import DictDBAPI

extension Table {
    /// Creates a secondary index and fills it from the existing records.
    ///
    /// ```swift
    /// try users.createIndex(on: "dept")                          // hash index "dept_hash"
    /// try users.createIndex(on: "email", kind: "unique")        // rejects duplicate emails from now on
    /// ```
    ///
    /// - Parameters:
    ///   - fields: the indexed fields, in key order.
    ///   - kind: a registered `IndexKind` name (`hash`, `unique`, ...).
    ///   - name: the index name; defaults to the fields and kind joined by `_`.
    ///   - unique: whether keys must be unique (always true for kind `unique`).
    ///   - options: kind-specific options.
    /// - Returns: the definition of the new index.
    /// - Throws: `DictDBError.Code.unknownPlugin` for an unregistered kind, `DictDBError.Code.indexExists`,
    ///   `DictDBError.Code.uniqueViolation` (with the offending key) when existing records break a unique
    ///   index, `DictDBError.Code.invalidArgument` for bad fields or options. Nothing changes on error.
    @discardableResult
    public func createIndex(
        on fields: [String], kind: String = "hash", name: String? = nil, unique: Bool = false,
        options: [String: String] = [:]
    ) throws(DictDBError) -> IndexDefinition {
        let index = try makeIndex(on: fields, kind: kind, name: name, unique: unique, options: options)
        try write { (storage) throws(DictDBError) in try addIndex(index, to: &storage) }
        return index.definition
    }

    /// Checks an index request and makes the empty index.
    func makeIndex(
        on fields: [String], kind: String, name: String?, unique: Bool, options: [String: String]
    )
        throws(DictDBError) -> any TableIndex
    {
        if fields.isEmpty {
            throw DictDBError(.invalidArgument, "an index needs at least one field", context: .init(table: self.name))
        }
        for field in fields { try Database.checkName(field, what: "indexed field") }
        if Set(fields).count != fields.count {
            throw DictDBError(.invalidArgument, "an index names a field twice", context: .init(table: self.name))
        }
        let indexName = name ?? IndexDefinition.defaultName(fields: fields, kind: kind)
        try Database.checkName(indexName, what: "index")
        let definition = IndexDefinition(
            name: indexName, fields: fields, kind: kind, unique: unique || kind == "unique", options: options)
        return try registry.indexKind(named: kind).makeIndex(definition)
    }

    /// Adds a filled index to `storage`, refusing a name that is taken.
    func addIndex(_ index: any TableIndex, to storage: inout TableStorage) throws(DictDBError) {
        let indexName = index.definition.name
        if storage.indexPosition(named: indexName) != nil {
            throw DictDBError(
                .indexExists, "table '\(self.name)' already has an index named '\(indexName)'",
                context: .init(table: self.name, index: indexName))
        }
        try storage.addIndex(index, table: self.name)
    }

    /// Creates a secondary index on one field. See ``createIndex(on:kind:name:unique:options:)-([String],_,_,_,_)``.
    @discardableResult
    public func createIndex(
        on field: String, kind: String = "hash", name: String? = nil, unique: Bool = false,
        options: [String: String] = [:]
    ) throws(DictDBError) -> IndexDefinition {
        try createIndex(on: [field], kind: kind, name: name, unique: unique, options: options)
    }

    /// Removes an index.
    /// - Throws: `DictDBError.Code.indexNotFound` listing the table's indexes.
    public func dropIndex(named indexName: String) throws(DictDBError) {
        try write { (storage) throws(DictDBError) in
            guard let position = storage.indexPosition(named: indexName) else {
                let known = storage.indexes.map(\.definition.name)
                throw DictDBError(
                    .indexNotFound,
                    "table '\(name)' has no index named '\(indexName)' (indexes: \(known.isEmpty ? "none" : known.joined(separator: ", ")))",
                    context: .init(table: name, index: indexName))
            }
            storage.removeIndex(at: position)
        }
    }

    /// Rebuilds an index from the records (after a plugin upgrade, or to compact a long-lived index).
    ///
    /// The new index is built and checked before it replaces the old one; on error the old one stays.
    /// - Throws: `DictDBError.Code.indexNotFound`, `DictDBError.Code.unknownPlugin` when the index kind
    ///   is no longer registered, `DictDBError.Code.uniqueViolation`.
    public func rebuildIndex(named indexName: String) throws(DictDBError) {
        try write { (storage) throws(DictDBError) in
            guard let position = storage.indexPosition(named: indexName) else {
                throw DictDBError(
                    .indexNotFound, "table '\(name)' has no index named '\(indexName)'",
                    context: .init(table: name, index: indexName))
            }
            let definition = storage.indexes[position].definition
            let fresh = try registry.indexKind(named: definition.kind).makeIndex(definition)
            var rebuilt = storage
            rebuilt.removeIndex(at: position)
            try rebuilt.addIndex(fresh, table: name)
            rebuilt.moveLastIndex(to: position)
            storage = rebuilt
        }
    }

    /// The definitions of the table's secondary indexes, in creation order.
    public var indexes: [IndexDefinition] {
        (try? read { storage in storage.indexes.map(\.definition) }) ?? []
    }

    /// Entry counts, distinct keys and height of each index, by index name.
    public func indexStatistics() throws(DictDBError) -> [String: IndexStatistics] {
        try read { storage in
            Dictionary(storage.indexes.map { ($0.definition.name, $0.statistics) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
