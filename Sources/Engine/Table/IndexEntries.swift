@_spi(Storage) import DictDBAPI

/// The entries one index is built from, gathered record by record and checked for uniqueness as they
/// come when the index is unique.
///
/// Creating an index and loading a snapshot both gather entries this way, so both report a violated
/// unique index with the same error.
struct IndexEntries {
    /// The index the entries are for.
    let definition: IndexDefinition
    /// The table's name, for error messages.
    let table: String
    /// The gathered entries, in the order they were added.
    private(set) var entries: [(key: Value, row: RowID)] = []
    /// The keys seen so far, kept only for a unique index.
    private var seen: Set<Value> = []

    /// Starts gathering for `definition`, with room for `capacity` entries.
    init(definition: IndexDefinition, table: String, capacity: Int) {
        self.definition = definition
        self.table = table
        entries.reserveCapacity(max(capacity, 0))
    }

    /// Adds the entry of `record`, stored at `row`.
    /// - Throws: ``DictDBError/Code/uniqueViolation`` when the index is unique and an earlier record has
    ///   the same key.
    mutating func add(_ record: Record, row: RowID) throws(DictDBError) {
        try add(key: IndexDefinition.key(for: record, fields: definition.fields), row: row)
    }

    /// Adds an entry whose key was derived already (as ``IndexDefinition/key(for:)`` derives it).
    /// - Throws: ``DictDBError/Code/uniqueViolation`` as ``add(_:row:)`` does.
    mutating func add(key: Value, row: RowID) throws(DictDBError) {
        if definition.unique, !definition.keyIsExemptFromUniqueness(key), !seen.insert(key).inserted {
            throw DictDBError(
                .uniqueViolation,
                "cannot create unique index '\(definition.name)': existing records share the key \(key)",
                context: .init(table: table, key: key, index: definition.name))
        }
        entries.append((key, row))
    }

    /// Fills `index` (empty, made for ``definition``) from the gathered entries and releases them.
    mutating func build(_ index: inout any TableIndex) {
        index.build(from: entries)
        entries = []
        seen = []
    }
}
