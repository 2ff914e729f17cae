import DictDBAPI
import DictDBQuery
import Engine

extension Database {
    /// Parses and runs one statement of the query language.
    ///
    /// ```swift
    /// let db = Database()
    /// try db.execute("CREATE TABLE users")
    /// try db.execute(#"INSERT INTO users VALUES {"name": "Ada", "age": 36}, {"name": "Alan", "age": 41}"#)
    /// if case .rows(_, let rows) = try db.execute("SELECT name FROM users WHERE age > 40") {
    ///     print(rows)  // [["name": "Alan"]]
    /// }
    /// ```
    ///
    /// The statement runs through the same calls as the Swift API (`Table.select(_:)`,
    /// `Table.insertBatch(_:durability:)`, `Table.update(set:where:durability:)`...), so it is planned,
    /// checked and journaled the same way; a multi-row `INSERT` is one all-or-nothing batch.
    ///
    /// - Throws: `DictDBError.Code.invalidQuery` with the character offset in `context.offset` for text that
    ///   does not parse, then whatever the call the statement maps to throws (`DictDBError.Code.tableNotFound`,
    ///   `DictDBError.Code.duplicateKey`, `DictDBError.Code.schemaViolation`...).
    @discardableResult
    public func execute(_ text: String, durability: Durability = .policy) throws(DictDBError) -> StatementResult {
        try execute(try QueryParser.parse(text), durability: durability)
    }

    /// Runs a parsed statement. See ``execute(_:durability:)-(String,_)``.
    @discardableResult
    public func execute(
        _ statement: Statement, durability: Durability = .policy
    ) throws(DictDBError)
        -> StatementResult
    {
        switch statement {
        case .select(let name, let query):
            let table = try table(name)
            let records = try table.selectRows(query)
            let columns =
                query.projection?.map(\.outputName)
                ?? Self.columns(of: records, leading: [table.primaryKey] + (table.schema?.fields.map(\.name) ?? []))
            return .rows(columns: columns, records: records)

        case .aggregate(let name, let query, let ordering, let limit, let offset):
            let rows = try table(name).aggregate(query)
            let shaped = Query().orderBy(ordering).limit(limit).offset(offset).shape(rows)
            return .rows(columns: query.grouping + query.aggregates.map(\.alias), records: SelectedRows(shaped))

        case .insert(let name, let records):
            let keys = try table(name).insertBatch(records, durability: durability)
            return .inserted(table: name, keys: keys)

        case .update(let name, let changes, let condition):
            let count = try table(name).update(set: changes, where: condition, durability: durability)
            return .updated(table: name, count: count)

        case .delete(let name, let condition):
            let count = try table(name).delete(where: condition, durability: durability)
            return .deleted(table: name, count: count)

        case .createTable(let name, let primaryKey, let keyGenerator, let ifNotExists):
            let existed = hasTable(name)
            try createTable(
                name, primaryKey: primaryKey ?? "id", keyGenerator: keyGenerator ?? "autoincrement",
                ifNotExists: ifNotExists)
            return .tableCreated(name: name, created: !(ifNotExists && existed))

        case .dropTable(let name, let ifExists):
            if ifExists && !hasTable(name) { return .tableDropped(name: name, dropped: false) }
            try dropTable(name)
            return .tableDropped(name: name, dropped: true)

        case .createIndex(let name, let indexName, let fields, let kind, let unique):
            let definition = try table(name).createIndex(on: fields, kind: kind, name: indexName, unique: unique)
            return .indexCreated(table: name, index: definition)

        case .dropIndex(let name, let indexName):
            try table(name).dropIndex(named: indexName)
            return .indexDropped(table: name, name: indexName)

        case .explain(let inner):
            switch inner {
            case .select(let name, let query):
                return .plan(try table(name).explain(query))
            case .aggregate(let name, let query, _, _, _):
                return .plan(try table(name).explain(Query(query.condition)))
            default:
                throw DictDBError(.invalidQuery, "EXPLAIN takes a SELECT statement")
            }
        }
    }

    /// Every field of `records`: the `leading` ones that occur (the primary key, then the schema's fields),
    /// then the others in first-seen order.
    static func columns(of records: SelectedRows, leading: [String]) -> [String] {
        var seen: Set<String> = []
        var columns: [String] = []
        for name in leading where !seen.contains(name) && records.contains(where: { $0.hasField(name) }) {
            columns.append(name)
            seen.insert(name)
        }
        for record in records {
            for name in record.fieldNames where seen.insert(name).inserted { columns.append(name) }
        }
        return columns
    }
}
