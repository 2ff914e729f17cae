import DictDBAPI

// SELECT [DISTINCT] * | item [, item]... FROM t [WHERE cond] [GROUP BY f [, f]...]
//        [ORDER BY key [ASC|DESC] [, ...]] [LIMIT n] [OFFSET m]
//
// item: field [AS alias] | COUNT(*) | COUNT(f) | SUM(f) | AVG(f) | MIN(f) | MAX(f), each [AS alias]
//
// Without aggregates or GROUP BY the statement is a `Query`; with them an `AggregateQuery`, whose select
// list may name group fields (output first, in GROUP BY order) and aggregates, and whose ORDER BY names
// output columns: group fields, aliases, or an aggregate call that appears in the select list.

extension Parser {
    /// One entry of the select list or of ORDER BY.
    private enum Item {
        case field(String, alias: String?, Token)
        case aggregate(AggregateExpression, Token)
    }

    /// One ORDER BY key before it is resolved against the select list.
    private struct OrderKey {
        var item: Item
        var descending: Bool
    }

    /// Reads a SELECT statement (at the SELECT keyword).
    mutating func select() throws(DictDBError) -> Statement {
        try advance()
        let distinctToken = try peek()
        let distinct = try accept(keyword: "DISTINCT")
        let starToken = try peek()
        let star = try accept(.star)
        var items: [Item] = []
        if !star {
            repeat {
                items.append(
                    try selectItem(items.isEmpty ? (distinct ? "after DISTINCT" : "after SELECT") : "after ','"))
            } while try accept(.comma)
        }
        try expect(keyword: "FROM", "after the select list")
        let table = try name("a table name", "after FROM")

        let condition = try optionalWhere()
        var grouping: [String] = []
        if try accept(keyword: "GROUP") {
            try expect(keyword: "BY", "after GROUP")
            grouping = try nameList("a field name", "after GROUP BY", list: "GROUP BY")
        }
        var ordering: [OrderKey] = []
        if try accept(keyword: "ORDER") {
            try expect(keyword: "BY", "after ORDER")
            repeat {
                ordering.append(try orderKey(ordering.isEmpty ? "after ORDER BY" : "after ','"))
            } while try accept(.comma)
        }
        var limit: Int?
        var offset: Int?
        while true {
            if limit == nil, try accept(keyword: "LIMIT") {
                limit = try integer("after LIMIT")
            } else if offset == nil, try accept(keyword: "OFFSET") {
                offset = try integer("after OFFSET")
            } else {
                break
            }
        }
        try expectEndOfStatement(
            orOneOf: clausesThatCouldFollow(
                condition: condition, grouped: !grouping.isEmpty, ordered: !ordering.isEmpty, limit: limit,
                offset: offset))

        let isAggregate = !grouping.isEmpty || items.contains { if case .aggregate = $0 { true } else { false } }
        guard isAggregate else {
            return .select(
                table: table,
                query: try plainQuery(
                    condition: condition, items: star ? nil : items, distinct: distinct, ordering: ordering,
                    limit: limit, offset: offset))
        }
        if star {
            throw SyntaxError.invalid(
                "SELECT * cannot be combined with GROUP BY or aggregates; list the group fields and aggregates",
                at: starToken.offset, found: "*")
        }
        if distinct {
            throw SyntaxError.invalid(
                "SELECT DISTINCT cannot be combined with GROUP BY or aggregates", at: distinctToken.offset,
                found: source(of: distinctToken))
        }
        return try aggregateStatement(
            table: table, condition: condition, items: items, grouping: grouping, ordering: ordering, limit: limit,
            offset: offset)
    }

    /// The clauses that may still come after what was read, for the "expected ..." message.
    private func clausesThatCouldFollow(
        condition: Condition?, grouped: Bool, ordered: Bool, limit: Int?, offset: Int?
    )
        -> [String]
    {
        let pagesGiven = limit != nil || offset != nil
        var clauses: [String] = []
        if condition != nil && !grouped && !ordered && !pagesGiven { clauses += ["AND", "OR"] }
        if condition == nil && !grouped && !ordered && !pagesGiven { clauses.append("WHERE") }
        if !grouped && !ordered && !pagesGiven { clauses.append("GROUP BY") }
        if ordered && !pagesGiven { clauses += ["','", "ASC", "DESC"] }
        if !ordered && !pagesGiven { clauses.append("ORDER BY") }
        if limit == nil { clauses.append("LIMIT") }
        if offset == nil { clauses.append("OFFSET") }
        return clauses
    }

    // MARK: Items

    private mutating func selectItem(_ context: String) throws(DictDBError) -> Item {
        let token = try peek()
        if let function = try aggregateCall() {
            var alias: String?
            if try accept(keyword: "AS") { alias = try name("an alias", "after AS") }
            return .aggregate(AggregateExpression(function, as: alias), token)
        }
        let field = try name("a field, '*' or an aggregate", context)
        var alias: String?
        if try accept(keyword: "AS") { alias = try name("an alias", "after AS") }
        return .field(field, alias: alias, token)
    }

    private mutating func orderKey(_ context: String) throws(DictDBError) -> OrderKey {
        let token = try peek()
        let item: Item
        if let function = try aggregateCall() {
            item = .aggregate(AggregateExpression(function), token)
        } else {
            item = .field(try name("a field name", context), alias: nil, token)
        }
        var descending = false
        if try accept(keyword: "DESC") {
            descending = true
        } else {
            _ = try accept(keyword: "ASC")
        }
        return OrderKey(item: item, descending: descending)
    }

    /// Reads `COUNT(*)`, `COUNT(f)`, `SUM(f)`, `AVG(f)`, `MIN(f)` or `MAX(f)` if one comes next.
    private mutating func aggregateCall() throws(DictDBError) -> AggregateFunction? {
        guard let name = try peek().keyword, ["COUNT", "SUM", "AVG", "MIN", "MAX"].contains(name),
            try peek(1).isSymbol(.leftParenthesis)
        else { return nil }
        try advance()
        try advance()
        if name == "COUNT", try accept(.star) {
            try expect(.rightParenthesis, "to close COUNT(*")
            return .count
        }
        let argument = try peek()
        if argument.isKeyword("DISTINCT") {
            throw SyntaxError.invalid(
                "\(name)(DISTINCT ...) is not supported", at: argument.offset, found: source(of: argument))
        }
        let field = try self.name(name == "COUNT" ? "a field name or '*'" : "a field name", "in \(name)(...)")
        try expect(.rightParenthesis, "to close \(name)(\(field)")
        switch name {
        case "COUNT": return .countField(field)
        case "SUM": return .sum(field)
        case "AVG": return .average(field)
        case "MIN": return .min(field)
        default: return .max(field)
        }
    }

    // MARK: Plain queries

    private func plainQuery(
        condition: Condition?, items: [Item]?, distinct: Bool, ordering: [OrderKey], limit: Int?, offset: Int?
    ) throws(DictDBError) -> Query {
        var query = Query(condition ?? .all)
        if let items {
            var projection: [ProjectedField] = []
            var names = Set<String>()
            for case .field(let field, let alias, let token) in items {
                let projected = ProjectedField(field, as: alias)
                guard names.insert(projected.outputName).inserted else {
                    throw SyntaxError.invalid(
                        "the select list names '\(projected.outputName)' twice; rename one with AS", at: token.offset,
                        found: projected.outputName)
                }
                projection.append(projected)
            }
            query.projection = projection
        }
        for key in ordering {
            switch key.item {
            case .field(let field, _, _):
                query.ordering.append(SortKey(field, descending: key.descending))
            case .aggregate(let expression, let token):
                throw SyntaxError.invalid(
                    "ORDER BY \(sql(expression.function)) needs aggregates or GROUP BY in the select list",
                    at: token.offset,
                    found: source(of: token))
            }
        }
        query.isDistinct = distinct
        query.limitCount = limit
        query.offsetCount = offset ?? 0
        return query
    }

    // MARK: Aggregate queries

    private func aggregateStatement(
        table: String, condition: Condition?, items: [Item], grouping: [String], ordering: [OrderKey], limit: Int?,
        offset: Int?
    ) throws(DictDBError) -> Statement {
        var query = AggregateQuery(condition ?? .all)
        query.grouping = grouping
        var outputs = Set(grouping)
        for item in items {
            switch item {
            case .field(let field, let alias, let token):
                guard grouping.contains(field) else {
                    let fix = grouping.isEmpty ? "add GROUP BY \(field)" : "add it to GROUP BY"
                    throw SyntaxError.invalid(
                        "field '\(field)' is neither grouped nor aggregated; \(fix) or drop it from the select list",
                        at: token.offset, found: field)
                }
                if let alias, alias != field {
                    throw SyntaxError.invalid(
                        "group field '\(field)' cannot be renamed in an aggregate query", at: token.offset, found: alias
                    )
                }
            case .aggregate(let expression, let token):
                guard outputs.insert(expression.alias).inserted else {
                    throw SyntaxError.invalid(
                        "the output name '\(expression.alias)' is used twice; rename one with AS", at: token.offset,
                        found: expression.alias)
                }
                query.aggregates.append(expression)
            }
        }
        var keys: [SortKey] = []
        for key in ordering {
            switch key.item {
            case .field(let field, _, let token):
                guard outputs.contains(field) else {
                    let names = (grouping + query.aggregates.map(\.alias)).joined(separator: ", ")
                    throw SyntaxError.invalid(
                        "ORDER BY \(field) names no output column of the aggregate (\(names))", at: token.offset,
                        found: field)
                }
                keys.append(SortKey(field, descending: key.descending))
            case .aggregate(let expression, let token):
                guard let match = query.aggregates.first(where: { $0.function == expression.function }) else {
                    throw SyntaxError.invalid(
                        "ORDER BY \(sql(expression.function)) needs \(sql(expression.function)) in the select list",
                        at: token.offset, found: source(of: token))
                }
                keys.append(SortKey(match.alias, descending: key.descending))
            }
        }
        return .aggregate(table: table, query: query, ordering: keys, limit: limit, offset: offset ?? 0)
    }
}
