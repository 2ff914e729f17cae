import DictDBAPI

/// Turns a condition (and a query's ordering and limit) into a ``Plan``, using the primary key and the
/// table's indexes.
///
/// - A leaf condition an index can answer (`==`, `in`, ranges, `between`, string prefixes, `isNull`) is
///   served by the index with the smallest estimate; `==`/`in` on the primary key use the key map.
/// - AND merges range conjuncts on one field into one range, matches composite indexes (equalities on a
///   leading prefix of their fields plus a range on the next one), and uses the cheapest servable access.
/// - `contains`, suffixes and `LIKE` patterns are offered to indexes as ``IndexPredicate/contains(_:)`` (the
///   pattern's longest literal run), which text indexes from plugins may serve; the built-ins do not.
/// - OR becomes a union only when every branch is servable; anything else (NOT, `!=`) scans.
/// - An `orderBy` whose fields are exactly an ordered index's fields (one direction) can be served by
///   walking that index, which turns `orderBy` + `limit` into a top-k read; it is chosen when cheaper than
///   filtering and sorting.
struct Planner {
    let storage: TableStorage
    let table: String

    /// A way to reach candidates and how many rows it is expected to yield.
    private typealias Candidate = (access: Plan.Access, estimate: Int)

    /// The plan for filtering by `condition` in insertion order (updates, deletes, counts).
    func plan(_ condition: Condition) -> Plan {
        let best = access(for: condition) ?? (.fullScan, storage.liveCount)
        return Plan(
            table: table, access: best.access, estimatedRows: best.estimate, filter: "",
            providesOrder: false)
    }

    /// The plan for a select, which may serve the query's ordering from an ordered index.
    func plan(_ query: Query) -> Plan {
        var plan = plan(query.condition)
        guard !query.ordering.isEmpty, let (index, ascending) = orderedIndex(serving: query.ordering) else {
            return plan
        }
        let name = index.definition.name
        if case .index(name, let predicate) = plan.access {
            // The filtering index is the ordering index: walk its range in order.
            plan.access = .orderedIndex(name: name, predicate: predicate, ascending: ascending)
            plan.providesOrder = true
            return plan
        }
        let live = Double(max(storage.liveCount, 1))
        let matches = Double(max(plan.estimatedRows, 1))
        let filterAndSort = matches * (1 + Double(Int(matches).bitWidth - Int(matches).leadingZeroBitCount) / 4)
        let wanted =
            query.isDistinct ? nil : ResultShaping.rowsNeeded(offset: query.offsetCount, limit: query.limitCount)
        let walk = wanted.map { min(live, Double($0) * live / matches) } ?? live
        if plan.isFullScan || walk < filterAndSort {
            plan.access = .orderedIndex(name: name, predicate: nil, ascending: ascending)
            plan.estimatedRows = Int(walk.rounded(.up))
            plan.providesOrder = true
        }
        return plan
    }

    /// An ordered index whose fields are exactly the sort keys' fields, all sorted in one direction.
    private func orderedIndex(serving ordering: [SortKey]) -> (any OrderedTableIndex, Bool)? {
        let descending = ordering[0].descending
        guard ordering.allSatisfy({ $0.descending == descending }) else { return nil }
        let fields = ordering.map(\.field)
        for index in storage.indexes where index.definition.fields == fields {
            if let ordered = index as? any OrderedTableIndex { return (ordered, !descending) }
        }
        return nil
    }

    // MARK: - Filtering access

    private func access(for condition: Condition) -> Candidate? {
        switch condition {
        case .and(let parts):
            return conjunctionAccess(parts)
        case .or(let parts):
            guard !parts.isEmpty else { return nil }
            var accesses: [Plan.Access] = []
            var total = 0
            for part in parts {
                guard let candidate = access(for: part) else { return nil }
                accesses.append(candidate.access)
                total += candidate.estimate
            }
            return (.union(accesses), min(total, storage.liveCount))
        default:
            return conjunctionAccess([condition])
        }
    }

    private func leafAccess(for condition: Condition) -> Candidate? {
        var best: Candidate?
        if let (field, predicate) = Self.indexPredicate(for: condition) {
            best = cheapestAccess(field: field, predicate: predicate)
        }
        if let (field, predicate) = Self.substringPredicate(for: condition),
            let candidate = cheapestAccess(field: field, predicate: predicate),
            best.map({ candidate.estimate < $0.estimate }) ?? true
        {
            best = candidate
        }
        return best
    }

    private func conjunctionAccess(_ parts: [Condition]) -> Candidate? {
        var best: Candidate?
        func consider(_ candidate: Candidate?) {
            guard let candidate else { return }
            if let current = best, current.estimate <= candidate.estimate { return }
            best = candidate
        }
        for part in parts {
            switch part {
            case .and, .or: consider(access(for: part))
            default: consider(leafAccess(for: part))
            }
        }
        let ranges = mergedRanges(parts)
        for (field, predicate) in ranges { consider(cheapestAccess(field: field, predicate: predicate)) }
        for index in storage.indexes where index.definition.fields.count > 1 {
            consider(compositeAccess(index, parts: parts, ranges: ranges))
        }
        return best
    }

    /// The cheapest index (or the key map) answering `predicate` on one field.
    private func cheapestAccess(field: String, predicate: IndexPredicate) -> Candidate? {
        if field == storage.primaryKey {
            switch predicate {
            case .equal(let key): return (.primaryKey([key]), storage.row(forKey: key) == nil ? 0 : 1)
            case .anyOf(let keys): return (.primaryKey(keys), min(keys.count, storage.liveCount))
            default: break
            }
        }
        var best: Candidate?
        for index in storage.indexes where index.definition.fields == [field] {
            guard let estimate = index.estimatedRows(matching: predicate) else { continue }
            if let current = best, current.estimate <= estimate { continue }
            best = (.index(name: index.definition.name, predicate: predicate), estimate)
        }
        return best
    }

    /// Range conjuncts on the same field merged into one range (when their bounds share a kind).
    private func mergedRanges(_ parts: [Condition]) -> [(String, IndexPredicate)] {
        var bounds: [String: (lower: RangeBound?, upper: RangeBound?)] = [:]
        var order: [String] = []
        var conflicting = Set<String>()
        for part in parts {
            guard let (field, predicate) = Self.indexPredicate(for: part), case .range(let lower, let upper) = predicate
            else { continue }
            var current = bounds[field] ?? (nil, nil)
            if bounds[field] == nil { order.append(field) }
            if let lower { current.lower = Self.tighter(current.lower, lower, lower: true) }
            if let upper { current.upper = Self.tighter(current.upper, upper, lower: false) }
            if let l = current.lower, let u = current.upper, l.value.kind != u.value.kind { conflicting.insert(field) }
            bounds[field] = current
        }
        return order.compactMap { field in
            guard !conflicting.contains(field), let b = bounds[field] else { return nil }
            return (field, .range(lower: b.lower, upper: b.upper))
        }
    }

    /// The more restrictive of two bounds on the same side (bounds of different kinds keep the first).
    private static func tighter(_ a: RangeBound?, _ b: RangeBound, lower: Bool) -> RangeBound {
        guard let a else { return b }
        guard a.value.kind == b.value.kind else { return a }
        let c = Value.compare(a.value, b.value)
        if c == 0 { return a.inclusive ? b : a }
        return (c < 0) == lower ? b : a
    }

    /// A composite index access: equalities on a leading prefix of its fields, then a range on the next.
    private func compositeAccess(
        _ index: any TableIndex, parts: [Condition], ranges: [(String, IndexPredicate)]
    )
        -> Candidate?
    {
        var equalities: [String: Value] = [:]
        for part in parts {
            switch part {
            case .comparison(let field, .equal, let value): equalities[field] = equalities[field] ?? value
            case .isNull(let field): equalities[field] = equalities[field] ?? .null
            default: break
            }
        }
        let fields = index.definition.fields
        var prefix: [Value] = []
        for field in fields {
            guard let value = equalities[field] else { break }
            prefix.append(value)
        }
        let predicate: IndexPredicate
        if prefix.count == fields.count {
            predicate = .equal(.array(prefix))
        } else if let (_, range) = ranges.first(where: { $0.0 == fields[prefix.count] }),
            case .range(let lower, let upper) = range
        {
            predicate = .compositeRange(equal: prefix, lower: lower, upper: upper)
        } else if !prefix.isEmpty {
            predicate = .compositeRange(equal: prefix, lower: nil, upper: nil)
        } else {
            return nil
        }
        guard let estimate = index.estimatedRows(matching: predicate) else { return nil }
        return (.index(name: index.definition.name, predicate: predicate), estimate)
    }

    /// The part of `condition` that candidates from `access` still have to be checked against: conjuncts
    /// the access answers exactly (an index's `==`, `in`, range or pure prefix on its one field, a key
    /// lookup) are dropped, so their rows are not checked twice.
    func residual(of condition: Condition, after access: Plan.Access) -> Condition {
        switch condition {
        case .and(let parts):
            let remaining = parts.filter { !isExactlyAnswered($0, by: access) }
            if remaining.count == parts.count { return condition }
            return remaining.isEmpty ? .all : (remaining.count == 1 ? remaining[0] : .and(remaining))
        default:
            return isExactlyAnswered(condition, by: access) ? .all : condition
        }
    }

    private func isExactlyAnswered(_ condition: Condition, by access: Plan.Access) -> Bool {
        var leaf = condition
        while case .and(let parts) = leaf, parts.count == 1 { leaf = parts[0] }
        if case .contains(let field, .string(let text), false) = leaf, case .index(let name, let answered) = access,
            answered == .contains(text), let position = storage.indexPosition(named: name)
        {
            return storage.indexes[position].definition.fields == [field]
        }
        guard let (field, predicate) = Self.indexPredicate(for: leaf) else { return false }
        if case .like(_, let pattern, let escape, _) = leaf,
            !LikePattern.literalPrefix(pattern, escape: escape).isPurePrefix
        {
            return false
        }
        switch access {
        case .primaryKey(let keys):
            guard field == storage.primaryKey else { return false }
            return predicate == .anyOf(keys) || (keys.count == 1 && predicate == .equal(keys[0]))
        case .index(let name, let answered):
            guard answered == predicate, let position = storage.indexPosition(named: name) else { return false }
            return storage.indexes[position].definition.fields == [field]
        case .fullScan, .union, .orderedIndex:
            return false
        }
    }

    /// The substring predicate that returns a superset of the rows matching a leaf condition, for text
    /// indexes: a case-sensitive `contains` of a string (exact), a suffix, or the longest literal run of a
    /// case-sensitive `LIKE` pattern (both re-checked). Built-in kinds do not serve it.
    static func substringPredicate(for condition: Condition) -> (String, IndexPredicate)? {
        switch condition {
        case .contains(let field, .string(let text), false):
            return (field, .contains(text))
        case .stringMatch(let field, .suffix, let text, false) where !text.isEmpty:
            return (field, .contains(text))
        case .like(let field, let pattern, let escape, false):
            let run = LikePattern.longestLiteralRun(pattern, escape: escape)
            return run.isEmpty ? nil : (field, .contains(run))
        case .and(let parts) where parts.count == 1:
            return substringPredicate(for: parts[0])
        default:
            return nil
        }
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
        case .and(let parts) where parts.count == 1:
            return indexPredicate(for: parts[0])
        default:
            return nil
        }
    }
}
