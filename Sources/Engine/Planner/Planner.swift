import DictDBAPI

/// Turns a condition into a ``Plan`` using the primary key and the table's indexes.
///
/// - A leaf condition an index can answer (`==`, `in`, ranges, `between`, string prefixes, `isNull`) is
///   served by the index with the smallest estimate; `==`/`in` on the primary key use the key map.
/// - AND uses its cheapest servable conjunct; OR becomes a union only when every branch is servable.
/// - Anything else (NOT, `!=`, suffixes...) scans.
struct Planner {
    let storage: TableStorage
    let table: String

    func plan(_ condition: Condition) -> Plan {
        let (access, estimate) = access(for: condition) ?? (.fullScan, storage.liveCount)
        return Plan(table: table, access: access, estimatedRows: estimate, condition: condition)
    }

    private func access(for condition: Condition) -> (Plan.Access, Int)? {
        switch condition {
        case .and(let parts):
            var best: (Plan.Access, Int)?
            for part in parts {
                guard let candidate = access(for: part) else { continue }
                if let current = best, current.1 <= candidate.1 { continue }
                best = candidate
            }
            return best
        case .or(let parts):
            guard !parts.isEmpty else { return nil }
            var accesses: [Plan.Access] = []
            var total = 0
            for part in parts {
                guard let candidate = access(for: part) else { return nil }
                accesses.append(candidate.0)
                total += candidate.1
            }
            return (.union(accesses), total)
        default:
            return leafAccess(for: condition)
        }
    }

    private func leafAccess(for condition: Condition) -> (Plan.Access, Int)? {
        guard let (field, predicate) = Self.indexPredicate(for: condition) else { return nil }
        if field == storage.primaryKey {
            switch predicate {
            case .equal(let key): return (.primaryKey([key]), storage.row(forKey: key) == nil ? 0 : 1)
            case .anyOf(let keys): return (.primaryKey(keys), keys.count)
            default: break
            }
        }
        var best: (Plan.Access, Int)?
        for index in storage.indexes where index.definition.fields == [field] {
            guard let estimate = index.estimatedRows(matching: predicate) else { continue }
            if let current = best, current.1 <= estimate { continue }
            best = (.index(name: index.definition.name, predicate: predicate), estimate)
        }
        return best
    }

    /// The index predicate that returns a superset of the rows matching a leaf condition, if there is one.
    static func indexPredicate(for condition: Condition) -> (String, IndexPredicate)? {
        switch condition {
        case .comparison(let field, let op, let value):
            switch op {
            case .equal: return (field, .equal(value))
            case .notEqual: return nil
            case .less, .lessOrEqual, .greater, .greaterOrEqual:
                guard !value.isNull else { return nil }
                let bound = RangeBound(value, inclusive: op == .lessOrEqual || op == .greaterOrEqual)
                let isUpper = op == .less || op == .lessOrEqual
                return (field, .range(lower: isUpper ? nil : bound, upper: isUpper ? bound : nil))
            }
        case .isIn(let field, let values):
            return (field, .anyOf(values))
        case .between(let field, let lower, let upper):
            guard !lower.isNull, lower.kind == upper.kind else { return nil }
            return (field, .range(lower: RangeBound(lower, inclusive: true), upper: RangeBound(upper, inclusive: true)))
        case .like(let field, let pattern, let escape, let caseInsensitive):
            guard !caseInsensitive else { return nil }
            let (prefix, _) = LikePattern.literalPrefix(pattern, escape: escape)
            guard !prefix.isEmpty else { return nil }
            return (field, .prefix(prefix))
        case .stringMatch(let field, .prefix, let text, false):
            return (field, .prefix(text))
        case .isNull(let field):
            return (field, .equal(.null))
        default:
            return nil
        }
    }
}

extension TableStorage {
    /// The candidate rows of an access path, ascending (insertion order) and without repeats.
    func candidateRows(for access: Plan.Access) -> [RowID] {
        switch access {
        case .fullScan:
            return Array(rows.indices)
        case .primaryKey(let keys):
            var found = keys.compactMap { row(forKey: $0) }
            found.sort()
            return found.dedupedSorted()
        case .index(let name, let predicate):
            guard let position = indexPosition(named: name),
                var found = indexes[position].rows(matching: predicate)
            else { return Array(rows.indices) }
            found.sort()
            return found.dedupedSorted()
        case .union(let parts):
            var found: [RowID] = []
            for part in parts { found += candidateRows(for: part) }
            found.sort()
            return found.dedupedSorted()
        }
    }
}

extension Array where Element == RowID {
    /// A sorted array without adjacent repeats.
    fileprivate func dedupedSorted() -> [RowID] {
        var result: [RowID] = []
        result.reserveCapacity(count)
        for row in self where result.last != row { result.append(row) }
        return result
    }
}
