import DictDBAPI

// The order a bulk build sorts entries into: by key, then by row. Keys of one numeric spelling (all ints, or
// all doubles), which sorted indexes hold most, sort as plain numbers; anything else compares `Value`s.

extension SortedIndex {
    /// `entries` sorted by key (in `Value`'s order), then by row; among repeated (key, row) entries the
    /// first given comes first, since the sort is stable.
    static func ordered(_ entries: [(key: Value, row: RowID)]) -> [SortedIndexEntry] {
        if let sorted = orderedNumbers(entries, as: Int64.self, { if case .int(let i) = $0 { i } else { nil } }) {
            return sorted.map { SortedIndexEntry(key: .int($0.key), row: $0.row) }
        }
        if let sorted = orderedNumbers(entries, as: Double.self, { if case .double(let d) = $0 { d } else { nil } }) {
            return sorted.map { SortedIndexEntry(key: .double($0.key), row: $0.row) }
        }
        var sorted = entries.map { SortedIndexEntry(key: $0.key, row: $0.row) }
        sorted.sort { a, b in
            let order = Value.compare(a.key, b.key)
            return order != 0 ? order < 0 : a.row < b.row
        }
        return sorted
    }

    /// The entries as (number, row) pairs sorted by number then row, or `nil` when a key is not a `Number`
    /// spelled as `extract` reads it. Doubles compare as `Value` compares them (`-0.0 == 0.0`; never NaN).
    private static func orderedNumbers<Number: Comparable>(
        _ entries: [(key: Value, row: RowID)], as: Number.Type, _ extract: (Value) -> Number?
    ) -> [(key: Number, row: RowID)]? {
        var pairs: [(key: Number, row: RowID)] = []
        pairs.reserveCapacity(entries.count)
        for entry in entries {
            guard let number = extract(entry.key) else { return nil }
            pairs.append((number, entry.row))
        }
        pairs.sort { a, b in a.key != b.key ? a.key < b.key : a.row < b.row }
        return pairs
    }
}
