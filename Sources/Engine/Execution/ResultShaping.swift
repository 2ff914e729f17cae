import DictDBAPI

/// The steps of a select after filtering: sort, project, distinct, offset, limit.
enum ResultShaping {
    /// How many filtered rows an unsorted, non-distinct query needs before it can stop, or `nil` for all.
    static func rowsNeeded(offset: Int, limit: Int?) -> Int? {
        guard let limit, limit >= 0 else { return nil }
        let (sum, overflow) = max(offset, 0).addingReportingOverflow(limit)
        return overflow ? nil : sum
    }

    /// Applies the query's ordering (unless the rows are `alreadyOrdered`), projection, distinct, offset and
    /// limit, in that order.
    static func shape(_ records: [Record], by query: Query, alreadyOrdered: Bool = false) -> [Record] {
        var rows = records
        if !query.ordering.isEmpty && !alreadyOrdered { rows = sorted(rows, by: query.ordering) }
        if let projection = query.projection { rows = rows.map { project($0, projection) } }
        if query.isDistinct { rows = distinct(rows) }
        return page(rows, offset: query.offsetCount, limit: query.limitCount)
    }

    /// ``shape(_:by:alreadyOrdered:)`` with the projection left to the reader: the records are ordered and
    /// paged as they are, and projected when read. A distinct query is projected at once, since its repeats
    /// are found on the projected rows.
    static func shapeLazily(_ records: [Record], by query: Query, alreadyOrdered: Bool = false) -> SelectedRows {
        if query.isDistinct || query.projection == nil {
            return SelectedRows(shape(records, by: query, alreadyOrdered: alreadyOrdered))
        }
        var rows = records
        if !query.ordering.isEmpty && !alreadyOrdered { rows = sorted(rows, by: query.ordering) }
        return SelectedRows(
            records: page(rows, offset: query.offsetCount, limit: query.limitCount), projecting: query.projection)
    }

    /// The rows from `offset` (negative counts as 0), at most `limit` of them (`nil` or negative: all).
    static func page(_ rows: [Record], offset: Int, limit: Int?) -> [Record] {
        let offset = max(offset, 0)
        if offset >= rows.count { return [] }
        var end = rows.count
        if let limit, limit >= 0 { end = min(rows.count, offset + min(limit, rows.count)) }
        if offset == 0 && end == rows.count { return rows }
        return Array(rows[offset..<end])
    }

    /// A stable sort by several keys: nulls and missing fields first ascending, last descending.
    static func sorted(_ records: [Record], by keys: [SortKey]) -> [Record] {
        let decorated = records.enumerated().map { (position, record) in
            (position, keys.map { record[$0.field] }, record)
        }
        let ordered = decorated.sorted { a, b in
            for (i, key) in keys.enumerated() {
                let c = Value.compare(a.1[i], b.1[i])
                if c != 0 { return key.descending ? c > 0 : c < 0 }
            }
            return a.0 < b.0
        }
        return ordered.map(\.2)
    }

    /// The projected fields of a record, under their aliases; missing fields project as null.
    static func project(_ record: Record, _ fields: [ProjectedField]) -> Record {
        Record(fields: fields.map { ($0.outputName, record[$0.field]) })
    }

    /// The records without repeats, keeping the first of each.
    static func distinct(_ records: [Record]) -> [Record] {
        var seen = Set<Record>()
        return records.filter { seen.insert($0).inserted }
    }
}
