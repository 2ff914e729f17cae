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
/// While every key is an integer, or every key a double, the entries are pairs of integers (16 bytes,
/// compared without looking at a `Value`); the first key of any other kind moves them to entries of
/// values, once, and an emptied index starts afresh. Answers do not depend on how the entries are held.
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
    /// How the entries are held: in ``numbers`` (``SortedIndexLayout/integers`` and
    /// ``SortedIndexLayout/doubles``) or in ``tree`` (``SortedIndexLayout/values``); the other tree is empty.
    /// An empty index takes the layout of its first key, and leaves a numeric one for good (until it is
    /// emptied) at the first key that layout cannot hold.
    private(set) var layout = SortedIndexLayout.values
    /// The entries of a ``SortedIndexLayout/values`` index, ordered by key, then row.
    private(set) var tree: BPlusTree<SortedIndexEntry>
    /// The entries of a numeric index, ordered by key, then row.
    private(set) var numbers: BPlusTree<NumberEntry>
    /// The number of distinct keys, kept up to date by every mutation.
    private(set) var distinctKeyCount = 0

    /// Creates an empty index.
    /// - Complexity: O(1).
    public init(definition: IndexDefinition) {
        self.definition = definition
        self.tree = BPlusTree()
        self.numbers = BPlusTree()
    }

    /// Creates an empty index whose trees have the given fanout (tests use small ones to reach splits early).
    init(definition: IndexDefinition, fanout: Int) {
        self.definition = definition
        self.tree = BPlusTree(fanout: fanout)
        self.numbers = BPlusTree(fanout: fanout)
    }

    /// The number of entries.
    var entryCount: Int { layout == .values ? tree.count : numbers.count }

    /// Adds an entry; adding one that is already there (the same row under an equal key) does nothing.
    /// - Complexity: O(log *n*); O(*n*) once when a key leaves a numeric layout.
    public mutating func insert(key: Value, row: RowID) {
        if entryCount == 0 { layout = SortedIndexLayout(firstKey: key) }
        if layout != .values {
            if let bits = layout.bits(of: key) {
                // Entries sharing a key are adjacent, so the key is new exactly when neither neighbour has it.
                let outcome = numbers.insert(NumberEntry(bits: bits, row: row)) { $0.pointee.bits == bits }
                if outcome.inserted && !outcome.neighbourMatched { distinctKeyCount += 1 }
                return
            }
            moveToValuesLayout()
        }
        // The closure captures the key by pointer: a captured `Value` would be copied at every level.
        let outcome = withUnsafePointer(to: key) { key in
            tree.insert(SortedIndexEntry(key: key.pointee, row: row)) { SortedIndexEntry.hasKey($0, equalTo: key) }
        }
        if outcome.inserted && !outcome.neighbourMatched { distinctKeyCount += 1 }
    }

    /// Removes an entry, if present.
    /// - Complexity: O(log *n*); O(*n*) once when `key` is not of a numeric layout's spelling.
    public mutating func remove(key: Value, row: RowID) {
        if layout != .values {
            if let bits = layout.bits(of: key) {
                // The key is gone exactly when neither neighbour of the removed entry has it.
                let outcome = numbers.remove(NumberEntry(bits: bits, row: row)) { $0.pointee.bits == bits }
                if outcome.removed && !outcome.neighbourMatched { distinctKeyCount -= 1 }
                return
            }
            // An equal key of another spelling (`5.0` for `5`) is rare: the values layout decides it.
            moveToValuesLayout()
        }
        let outcome = withUnsafePointer(to: key) { key in
            tree.remove(SortedIndexEntry(key: key.pointee, row: row)) { SortedIndexEntry.hasKey($0, equalTo: key) }
        }
        if outcome.removed && !outcome.neighbourMatched { distinctKeyCount -= 1 }
    }

    /// Moves every entry of ``numbers`` into ``tree``, in one bottom-up build.
    private mutating func moveToValuesLayout() {
        let current = layout
        var entries: [SortedIndexEntry] = []
        entries.reserveCapacity(numbers.count)
        _ = numbers.forEach(in: 0..<numbers.count, ascending: true) { entry in
            entries.append(current.entry(entry))
            return true
        }
        tree.build(fromAscending: entries)
        numbers.removeAll()
        layout = .values
    }

    /// Replaces the contents with `entries`: sorts them once (by key, then row), counts the distinct keys on
    /// the way, and fills the tree bottom-up. The result equals inserting the entries one at a time (an
    /// entry repeated with an equal key keeps its first spelling), but is several times faster. Keys of one
    /// numeric spelling go to a numeric layout, sorted by a radix sort in linear time when their rows
    /// ascend (as a bulk load gives them).
    /// - Complexity: O(*n* log *n*) comparisons, O(*n*) to build the tree.
    public mutating func build(from entries: [(key: Value, row: RowID)]) {
        defer {
            #if DICTDB_INTERNAL_CHECKS
            _checkInvariants()
            #endif
        }
        if let first = entries.first {
            let numberLayout = SortedIndexLayout(firstKey: first.key)
            if let (sorted, distinct) = Self.numberOrdered(entries, layout: numberLayout) {
                tree.removeAll()
                numbers.build(fromAscending: sorted)
                layout = numberLayout
                distinctKeyCount = distinct
                return
            }
        }
        // A stable sort, so of repeated entries the first given stays first and is the one kept.
        var sorted = Self.ordered(entries)
        let distinct = Self.dropRepeats(from: &sorted) { Value.compare($0.key, $1.key) == 0 }
        numbers.removeAll()
        tree.build(fromAscending: sorted)
        layout = .values
        distinctKeyCount = distinct
    }

    /// Removes every entry.
    /// - Complexity: O(1); other copies keep their entries.
    public mutating func removeAll() {
        tree.removeAll()
        numbers.removeAll()
        layout = .values
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
        if layout != .values && selection.keyFilter == nil {
            // Rows straight from the number entries, without making the keys they stand for.
            for span in selection.spans {
                _ = numbers.forEach(in: span, ascending: true) { entry in
                    rows.append(entry.row)
                    return true
                }
            }
            return rows
        }
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
            selection = Selection(spans: [0..<entryCount], keyFilter: nil)
        }
        visit(selection, ascending: ascending, body)
    }

    /// Entries, distinct keys and tree height.
    /// - Complexity: O(height).
    public var statistics: IndexStatistics {
        IndexStatistics(
            entries: entryCount, distinctKeys: distinctKeyCount,
            height: layout == .values ? tree.height : numbers.height)
    }

    /// Visits the entries of `selection` in order. Descending, the entries of one key are collected and
    /// then visited in ascending row order.
    private func visit(_ selection: Selection, ascending: Bool, _ body: (Value, RowID) -> Bool) {
        let filter = selection.keyFilter
        if ascending {
            for span in selection.spans {
                let finished = forEach(in: span, ascending: true) { entry in
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
            let finished = forEach(in: span, ascending: false) { entry in
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
