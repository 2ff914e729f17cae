import DictDBAPI

/// A sorted index: a B+tree of (key, row) entries in the total order of `Value`, answering equality, `in`,
/// ranges, string prefixes and (over several fields) composite ranges, and visiting entries in key order so
/// the planner can serve `orderBy` without sorting.
///
/// Keys follow `Value`'s total order, `null < bool < number < string < array < object`: `1` and `1.0` are
/// the same key, and a composite key (the array `IndexDefinition.key(for:)` makes of several fields) sorts
/// by its first field, then its second, and so on. Predicates are answered exactly as conditions decide:
/// an ordering bound only matches keys of its own kind, and a `null` bound matches nothing.
///
/// ```swift
/// var index = SortedIndex(definition: IndexDefinition(name: "age", fields: ["age"], kind: "sorted"))
/// index.insert(key: 36, row: 0)
/// index.insert(key: 41.5, row: 1)
/// index.rows(matching: .range(lower: RangeBound(40, inclusive: true), upper: nil))  // [1]
/// ```
///
/// A value type: copying one is O(1) and copies are independent (the tree's nodes are copied on write).
public struct SortedIndex: OrderedTableIndex {
    /// What this index covers.
    public let definition: IndexDefinition
    /// The entries, ordered by key, then row.
    private(set) var tree: BPlusTree<SortedIndexEntry>
    /// The number of distinct keys, kept up to date by every mutation.
    private var distinctKeyCount = 0

    /// Creates an empty index.
    /// - Complexity: O(1).
    public init(definition: IndexDefinition) {
        self.init(definition: definition, fanout: BPlusTree<SortedIndexEntry>.defaultFanout)
    }

    /// Creates an empty index whose tree has the given fanout (tests use small ones to reach splits early).
    init(definition: IndexDefinition, fanout: Int) {
        self.definition = definition
        self.tree = BPlusTree(fanout: fanout)
    }

    /// Adds an entry; adding one that is already there (the same row under an equal key) does nothing.
    /// - Complexity: O(log *n*).
    public mutating func insert(key: Value, row: RowID) {
        // Entries sharing a key are adjacent, so the key is new exactly when neither neighbour has it.
        // The closure captures the key by pointer: a captured `Value` would be copied at every level.
        let outcome = withUnsafePointer(to: key) { key in
            tree.insert(SortedIndexEntry(key: key.pointee, row: row)) { SortedIndexEntry.hasKey($0, equalTo: key) }
        }
        if outcome.inserted && !outcome.neighbourMatched { distinctKeyCount += 1 }
    }

    /// Removes an entry, if present.
    /// - Complexity: O(log *n*).
    public mutating func remove(key: Value, row: RowID) {
        // The key is gone exactly when neither neighbour of the removed entry has it.
        let outcome = withUnsafePointer(to: key) { key in
            tree.remove(SortedIndexEntry(key: key.pointee, row: row)) { SortedIndexEntry.hasKey($0, equalTo: key) }
        }
        if outcome.removed && !outcome.neighbourMatched { distinctKeyCount -= 1 }
    }

    /// Replaces the contents with `entries`: sorts them once (by key, then row), counts the distinct keys on
    /// the way, and fills the tree bottom-up. The result equals inserting the entries one at a time (an
    /// entry repeated with an equal key keeps its first spelling), but is several times faster. Entries
    /// as a bulk load gives them (rows ascending, every key an integer or every key a double) are sorted
    /// by a radix sort in linear time.
    /// - Complexity: O(*n* log *n*) comparisons, O(*n*) to build the tree.
    public mutating func build(from entries: [(key: Value, row: RowID)]) {
        if let (sorted, distinct) = Self.radixOrdered(entries) {
            tree.build(fromAscending: sorted)
            distinctKeyCount = distinct
            #if DICTDB_INTERNAL_CHECKS
            tree._checkInvariants()
            #endif
            return
        }
        // A stable sort, so of repeated entries the first given stays first and is the one kept.
        var sorted = Self.ordered(entries)
        // Drop repeated entries in place and count the keys.
        var distinct = 0
        var kept = 0
        for position in sorted.indices {
            let entry = sorted[position]
            if kept > 0 {
                let previous = sorted[kept - 1]
                let order = Value.compare(previous.key, entry.key)
                if order == 0 && previous.row == entry.row { continue }
                if order != 0 { distinct += 1 }
            } else {
                distinct = 1
            }
            if kept != position { sorted[kept] = entry }
            kept += 1
        }
        sorted.removeSubrange(kept...)
        tree.build(fromAscending: sorted)
        distinctKeyCount = distinct
        #if DICTDB_INTERNAL_CHECKS
        tree._checkInvariants()
        #endif
    }

    /// Removes every entry.
    /// - Complexity: O(1); other copies keep their entries.
    public mutating func removeAll() {
        tree.removeAll()
        distinctKeyCount = 0
    }

    /// The rows whose key satisfies `predicate`, in key order (then row order); `nil` for
    /// `.range(lower: nil, upper: nil)` (no bound says which kind of key it means) and for `.compositeRange`
    /// on an index over a single field.
    /// - Complexity: O(log *n* + *k*) for *k* rows (per distinct value for `.anyOf`); a prefix may visit keys
    ///   between the prefix and the prefix followed by U+10FFFF that `String.hasPrefix` rejects.
    public func rows(matching predicate: IndexPredicate) -> [RowID]? {
        guard let selection = selection(for: predicate) else { return nil }
        var rows: [RowID] = []
        rows.reserveCapacity(selection.candidateCount)
        visit(selection, ascending: true) { _, row in
            rows.append(row)
            return true
        }
        return rows
    }

    /// The number of rows ``rows(matching:)`` returns: exact, from the subtree counts, except for `.prefix`,
    /// where it counts every string key between the prefix and its upper bound (an upper estimate);
    /// `nil` exactly when ``rows(matching:)`` is.
    /// - Complexity: O(log *n*) (per distinct value for `.anyOf`).
    public func estimatedRows(matching predicate: IndexPredicate) -> Int? {
        selection(for: predicate)?.candidateCount
    }

    /// Visits the entries ``rows(matching:)`` returns (every entry when `predicate` is `nil`) in key order,
    /// ascending or descending, and within one key by ascending row in both directions, until `body` returns
    /// `false`. Visits nothing for a predicate ``rows(matching:)`` cannot answer.
    /// - Complexity: O(log *n* + *k*) for *k* visited entries; descending, the entries of one key are
    ///   gathered before they are visited.
    public func forEachEntry(matching predicate: IndexPredicate?, ascending: Bool, _ body: (Value, RowID) -> Bool) {
        let selection: Selection
        if let predicate {
            guard let chosen = self.selection(for: predicate) else { return }
            selection = chosen
        } else {
            selection = Selection(spans: [0..<tree.count], keyFilter: nil)
        }
        visit(selection, ascending: ascending, body)
    }

    /// Entries, distinct keys and tree height.
    /// - Complexity: O(height).
    public var statistics: IndexStatistics {
        IndexStatistics(entries: tree.count, distinctKeys: distinctKeyCount, height: tree.height)
    }

    /// Visits the entries of `selection` in order. Descending, the entries of one key are collected and
    /// then visited in ascending row order.
    private func visit(_ selection: Selection, ascending: Bool, _ body: (Value, RowID) -> Bool) {
        let filter = selection.keyFilter
        if ascending {
            for span in selection.spans {
                let finished = tree.forEach(in: span, ascending: true) { entry in
                    if let filter, !filter(entry.key) { return true }
                    return body(entry.key, entry.row)
                }
                if !finished { return }
            }
            return
        }
        // Walking down, the rows of one key come in descending order: hold them back until the key changes,
        // then hand them over lowest row first. `held` is the last entry seen; `heldBefore` the entries seen
        // before it under the same key (a stack: the top is the next-lowest row).
        var held: SortedIndexEntry?
        var heldBefore: [SortedIndexEntry] = []
        func release() -> Bool {
            guard let entry = held else { return true }
            held = nil
            if !body(entry.key, entry.row) { return false }
            while let earlier = heldBefore.popLast() {
                if !body(earlier.key, earlier.row) { return false }
            }
            return true
        }
        for span in selection.spans.reversed() {
            let finished = tree.forEach(in: span, ascending: false) { entry in
                if let filter, !filter(entry.key) { return true }
                if let previous = held {
                    if Value.compare(previous.key, entry.key) == 0 {
                        heldBefore.append(previous)
                    } else if !release() {
                        return false
                    }
                }
                held = entry
                return true
            }
            if !finished { return }
        }
        _ = release()
    }
}
