import DictDBAPI

// Reading a sorted index whatever its layout: positions, partition points and visits in the order of
// `SortedIndexEntry`, with number entries handed over as the entries they stand for.

extension SortedIndex {
    /// The number of entries for which `isBefore` holds (it must hold on a prefix of the order).
    /// - Complexity: O(log *n*) calls of `isBefore`.
    func rank(where isBefore: (SortedIndexEntry) -> Bool) -> Int {
        let current = layout
        if current == .values { return tree.rank(where: isBefore) }
        return numbers.rank { isBefore(current.entry($0)) }
    }

    /// Visits the entries at `positions` in ascending or descending order until `body` returns `false`.
    /// - Returns: `false` if `body` stopped the visit, `true` if it saw every entry.
    /// - Complexity: O(log *n* + *k*) for *k* visited entries.
    func forEach(in positions: Range<Int>, ascending: Bool, _ body: (SortedIndexEntry) -> Bool) -> Bool {
        let current = layout
        if current == .values { return tree.forEach(in: positions, ascending: ascending, body) }
        return numbers.forEach(in: positions, ascending: ascending) { body(current.entry($0)) }
    }

    /// The first broken invariant of the index, or `nil`: the active tree's, an inactive tree that is not
    /// empty, keys the layout cannot hold, or a distinct-key count that differs from a recount.
    func invariantViolation() -> String? {
        if let violation = layout == .values ? tree.invariantViolation() : numbers.invariantViolation() {
            return violation
        }
        if layout == .values ? !numbers.isEmpty : !tree.isEmpty { return "the inactive tree holds entries" }
        var distinct = 0
        var previous: Value?
        var misplaced: Value?
        _ = forEach(in: 0..<entryCount, ascending: true) { entry in
            if layout != .values && layout.bits(of: entry.key) == nil { misplaced = entry.key }
            if previous.map({ Value.compare($0, entry.key) != 0 }) ?? true { distinct += 1 }
            previous = entry.key
            return true
        }
        if let misplaced { return "key \(misplaced) in the \(layout) layout" }
        if distinct != distinctKeyCount { return "\(distinctKeyCount) distinct keys counted, \(distinct) held" }
        return nil
    }

    #if DICTDB_INTERNAL_CHECKS
    /// Traps on the first broken invariant (``invariantViolation()``).
    func _checkInvariants() {
        if let violation = invariantViolation() { preconditionFailure("sorted index: \(violation)") }
    }
    #endif
}
