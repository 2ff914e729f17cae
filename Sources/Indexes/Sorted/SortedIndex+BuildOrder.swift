import DictDBAPI

// The order a bulk build of the values layout sorts entries into (by key, then by row) and the pass that drops
// repeated entries from sorted entries of either layout. Keys of one numeric spelling take the numeric
// layouts, which sort pairs of integers: see `SortedIndex+NumberOrder.swift`.

extension SortedIndex {
    /// `entries` sorted by key (in `Value`'s order), then by row; among repeated (key, row) entries the
    /// first given comes first, since the sort is stable.
    static func ordered(_ entries: [(key: Value, row: RowID)]) -> [SortedIndexEntry] {
        var sorted = entries.map { SortedIndexEntry(key: $0.key, row: $0.row) }
        sorted.sort { a, b in
            let order = Value.compare(a.key, b.key)
            return order != 0 ? order < 0 : a.row < b.row
        }
        return sorted
    }

    /// Removes from `sorted` (entries in index order) each entry equal to the one before it, in place, and
    /// returns the number of distinct keys, where `sameKey` says whether two neighbours share a key.
    static func dropRepeats<Entry: Equatable>(from sorted: inout [Entry], sameKey: (Entry, Entry) -> Bool) -> Int {
        var distinct = 0
        var kept = 0
        for position in sorted.indices {
            let entry = sorted[position]
            if kept > 0 {
                let previous = sorted[kept - 1]
                if previous == entry { continue }
                if !sameKey(previous, entry) { distinct += 1 }
            } else {
                distinct = 1
            }
            if kept != position { sorted[kept] = entry }
            kept += 1
        }
        sorted.removeSubrange(kept...)
        return distinct
    }
}
