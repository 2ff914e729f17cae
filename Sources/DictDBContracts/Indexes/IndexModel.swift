import DictDBAPI

/// The plain model an index is held to: the set of (key, row) entries, answered by brute force with
/// `IndexPredicate.matches(_:)`.
struct IndexModel {
    /// The rows under each key (keys compare as `Value` does: `1` and `1.0` are one key).
    private(set) var rowsByKey: [Value: Set<RowID>] = [:]
    /// The number of entries.
    private(set) var count = 0

    /// Whether the entry is there.
    func contains(_ key: Value, _ row: RowID) -> Bool {
        rowsByKey[key]?.contains(row) ?? false
    }

    /// Adds an entry unless it is there.
    mutating func insert(_ key: Value, _ row: RowID) {
        if rowsByKey[key, default: []].insert(row).inserted { count += 1 }
    }

    /// Removes an entry if it is there.
    mutating func remove(_ key: Value, _ row: RowID) {
        guard rowsByKey[key]?.remove(row) != nil else { return }
        count -= 1
        if rowsByKey[key]?.isEmpty == true { rowsByKey[key] = nil }
    }

    /// The number of distinct keys.
    var distinctKeys: Int { rowsByKey.count }

    /// The first entry in key order (the same in every run, unlike a dictionary's order), or `nil` when empty.
    var someEntry: (key: Value, row: RowID)? {
        guard let key = rowsByKey.keys.min(by: { Value.compare($0, $1) < 0 }), let row = rowsByKey[key]?.min() else {
            return nil
        }
        return (key, row)
    }

    /// The rows whose key satisfies `predicate`, ascending.
    func rows(matching predicate: IndexPredicate) -> [RowID] {
        var rows: [RowID] = []
        for (key, keyRows) in rowsByKey where predicate.matches(key) { rows += keyRows }
        return rows.sorted()
    }

    /// The distinct keys in ascending order.
    var sortedKeys: [Value] {
        rowsByKey.keys.sorted { Value.compare($0, $1) < 0 }
    }

    /// The entries of `keys`, key by key in the order given, rows ascending within a key.
    func entries(ofKeys keys: [Value]) -> [(key: Value, row: RowID)] {
        var entries: [(key: Value, row: RowID)] = []
        for key in keys {
            for row in (rowsByKey[key] ?? []).sorted() { entries.append((key, row)) }
        }
        return entries
    }

    /// Every entry by ascending row (then key), as a table hands them to `TableIndex.build(from:)`.
    var entriesInRowOrder: [(key: Value, row: RowID)] {
        entries(ofKeys: sortedKeys).sorted { $0.row < $1.row }
    }
}
