import DictDBAPI

// Comparing an index with the model: answers, estimates, statistics and ordered visits.

extension IndexContractRun {
    /// The first clause `index` breaks against `model`, or `nil`.
    ///
    /// - Parameters:
    ///   - predicates: The predicates to ask; all of the run's when `nil`.
    ///   - ordered: Whether to walk an `OrderedTableIndex` too.
    func mismatch(
        _ index: any TableIndex, _ model: IndexModel, predicates: [IndexPredicate]? = nil, ordered: Bool = true
    ) -> Mismatch? {
        let asked = predicates ?? (self.predicates + keyEqualities)
        var served: [IndexPredicate] = []
        for (offset, predicate) in asked.enumerated() {
            let rows = index.rows(matching: predicate)
            if let rows {
                let expected = model.rows(matching: predicate)
                let found = rows.sorted()
                if found != expected {
                    return (
                        Clause.exactAnswers,
                        "rows(matching: \(predicate)) returned \(found), expected \(expected)"
                    )
                }
                // Walks cover the run's predicates; the equalities on each key add little to them.
                if predicates == nil && offset < self.predicates.count { served.append(predicate) }
            }
            let estimate = index.estimatedRows(matching: predicate)
            if (rows == nil) != (estimate == nil) {
                return (
                    Clause.estimates,
                    "rows(matching: \(predicate)) is \(rows.map { "\($0)" } ?? "nil") but estimatedRows is "
                        + "\(estimate.map { "\($0)" } ?? "nil")"
                )
            }
            if let estimate, estimate < 0 {
                return (Clause.estimates, "estimatedRows(matching: \(predicate)) is negative: \(estimate)")
            }
        }
        let statistics = index.statistics
        if statistics.entries != model.count || statistics.distinctKeys != model.distinctKeys {
            return (
                Clause.statistics,
                "statistics has \(statistics.entries) entries and \(statistics.distinctKeys) distinct keys, expected "
                    + "\(model.count) and \(model.distinctKeys)"
            )
        }
        guard ordered, let orderedIndex = index as? any OrderedTableIndex else { return nil }
        let sortedKeys = model.sortedKeys
        for (offset, predicate) in ([nil] + served.map { Optional($0) }).enumerated() {
            let keys = sortedKeys.filter { predicate?.matches($0) ?? true }
            for ascending in [true, false] {
                let expected = model.entries(ofKeys: ascending ? keys : keys.reversed())
                // Stopping early is checked on every fourth walk, which is plenty.
                if let mismatch = visitMismatch(
                    orderedIndex, expected, predicate, ascending: ascending, checkStop: offset % 4 == 0)
                {
                    return mismatch
                }
            }
        }
        return nil
    }

    /// The first clause a walk of `index` breaks, or `nil`.
    private func visitMismatch(
        _ index: any OrderedTableIndex, _ expected: [(key: Value, row: RowID)], _ predicate: IndexPredicate?,
        ascending: Bool, checkStop: Bool
    ) -> Mismatch? {
        var visited: [(key: Value, row: RowID)] = []
        index.forEachEntry(matching: predicate, ascending: ascending) { key, row in
            visited.append((key, row))
            return visited.count <= expected.count + 1
        }
        let walk = "forEachEntry(matching: \(predicate.map { "\($0)" } ?? "nil"), ascending: \(ascending))"
        if let position = firstDifference(visited, expected) {
            return (
                Clause.orderedVisits,
                "\(walk) visited \(describe(visited, at: position)) at position \(position), expected "
                    + "\(describe(expected, at: position)) (\(visited.count) visits, \(expected.count) expected)"
            )
        }
        guard checkStop, expected.count >= 2 else { return nil }
        let stopAfter = expected.count / 2
        var visits = 0
        index.forEachEntry(matching: predicate, ascending: ascending) { _, _ in
            visits += 1
            return visits < stopAfter
        }
        if visits != stopAfter {
            return (
                Clause.stops,
                "\(walk) made \(visits) visits; the body returned false at visit \(stopAfter)"
            )
        }
        return nil
    }

    /// The first position where the entry lists differ (by `Value` equality and row), or `nil`.
    private func firstDifference(_ a: [(key: Value, row: RowID)], _ b: [(key: Value, row: RowID)]) -> Int? {
        for position in 0..<min(a.count, b.count)
        where a[position].row != b[position].row || a[position].key != b[position].key {
            return position
        }
        return a.count == b.count ? nil : min(a.count, b.count)
    }

    private func describe(_ entries: [(key: Value, row: RowID)], at position: Int) -> String {
        guard position < entries.count else { return "the end" }
        return "(\(entries[position].key), row \(entries[position].row))"
    }
}
