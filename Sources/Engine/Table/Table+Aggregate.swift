import DictDBAPI

extension Table {
    /// Computes counts, sums, averages and extremes over the matching records, per group.
    ///
    /// ```swift
    /// let rows = try staff.aggregate(AggregateQuery().groupBy("dept").compute(.count(), .average("salary")))
    /// ```
    ///
    /// Groups come in first-seen (insertion) order. Without grouping there is exactly one row, even over
    /// no records (`count` 0, `avg` null).
    /// - Throws: `DictDBError.Code.invalidQuery` for a malformed query.
    public func aggregate(_ query: AggregateQuery) throws(DictDBError) -> [Record] {
        try query.validate()
        let matches = try read { storage in matchingRows(query.condition, in: storage).map(\.record) }
        if query.grouping.isEmpty {
            var accumulator = AggregateAccumulator(query.aggregates)
            for record in matches { accumulator.add(record) }
            return [Record(fields: zip(query.aggregates.map(\.alias), accumulator.results()))]
        }
        var groupOrder: [[Value]] = []
        var groups: [[Value]: AggregateAccumulator] = [:]
        for record in matches {
            let key = query.grouping.map { record[$0] }
            if groups[key] == nil {
                groupOrder.append(key)
                groups[key] = AggregateAccumulator(query.aggregates)
            }
            groups[key]?.add(record)
        }
        return groupOrder.map { key in
            var row = Record(fields: zip(query.grouping, key))
            if let accumulator = groups[key] {
                for (alias, value) in zip(query.aggregates.map(\.alias), accumulator.results()) { row[alias] = value }
            }
            return row
        }
    }
}
