@_spi(Storage) import DictDBAPI

extension TableStorage {
    /// Visits the live candidate rows of an access path: in insertion order, or in index order for an
    /// ordered access. Stops when `body` returns `false`.
    func forEachCandidate(_ access: Plan.Access, _ body: (RowID, Record) -> Bool) {
        if case .orderedIndex(let name, let predicate, let ascending) = access,
            let position = indexPosition(named: name),
            let ordered = indexes[position] as? any OrderedTableIndex
        {
            ordered.forEachEntry(matching: predicate, ascending: ascending) { _, row in
                guard let record = record(at: row) else { return true }
                return body(row, record)
            }
            return
        }
        if case .fullScan = access {
            for (row, record) in rows.enumerated() {
                guard let record else { continue }
                if !body(row, record) { return }
            }
            return
        }
        for row in candidateRows(for: access) {
            guard let record = record(at: row) else { continue }
            if !body(row, record) { return }
        }
    }

    /// The candidate rows of an unordered access path, ascending (insertion order), without repeats.
    func candidateRows(for access: Plan.Access) -> [RowID] {
        var found: [RowID]
        switch access {
        case .fullScan, .orderedIndex:
            return Array(rows.indices)
        case .primaryKey(let keys):
            found = keys.compactMap { row(forKey: $0) }
        case .index(let name, let predicate):
            guard let position = indexPosition(named: name), let rows = indexes[position].rows(matching: predicate)
            else { return Array(self.rows.indices) }
            found = rows
        case .union(let parts):
            found = parts.flatMap { candidateRows(for: $0) }
        }
        RadixSort.sortRows(&found)
        var unique: [RowID] = []
        unique.reserveCapacity(found.count)
        for row in found where unique.last != row { unique.append(row) }
        return unique
    }
}
