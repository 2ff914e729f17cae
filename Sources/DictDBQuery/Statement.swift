import DictDBAPI

/// One parsed statement of the query language, made of the same values the Swift API takes.
///
/// A statement is only a description: running it is the caller's job (the CLI and the server hand its
/// parts to `Table.select`, `Table.aggregate`, `Database.createTable`...), so text and Swift queries are
/// answered by one evaluator.
///
/// ```swift
/// let statement = try QueryParser.parse("SELECT name FROM users WHERE age >= 18 ORDER BY name LIMIT 10")
/// if case .select(let table, let query) = statement {
///     // table == "users"
///     // query == Query(Field("age") >= 18).orderBy("name").select("name").limit(10)
/// }
/// ```
public indirect enum Statement: Sendable, Hashable {
    /// `SELECT * | a, b AS c FROM t [WHERE ...] [ORDER BY ...] [LIMIT n] [OFFSET m]`, with `SELECT DISTINCT`.
    ///
    /// `SELECT *` leaves `Query.projection` `nil` (whole records).
    case select(table: String, query: Query)

    /// A `SELECT` with aggregate functions (`COUNT(*)`, `COUNT(f)`, `SUM`, `AVG`, `MIN`, `MAX`) or `GROUP BY`.
    ///
    /// `ordering` sorts the output rows by output name (a group field or an aggregate's alias); `limit`
    /// (`nil` for all) and `offset` page them, as `Query` does for records.
    ///
    /// ```swift
    /// // SELECT dept, COUNT(*) AS n, AVG(salary) FROM staff GROUP BY dept ORDER BY n DESC LIMIT 3
    /// .aggregate(
    ///     table: "staff",
    ///     query: AggregateQuery().groupBy("dept").compute(.count(as: "n"), .average("salary")),
    ///     ordering: [.descending("n")], limit: 3, offset: 0)
    /// ```
    case aggregate(table: String, query: AggregateQuery, ordering: [SortKey], limit: Int?, offset: Int)

    /// `INSERT INTO t VALUES {json}, ...` or `INSERT INTO t (a, b) VALUES (1, 'x'), ...`: records in order.
    case insert(table: String, records: [Record])

    /// `UPDATE t SET a = 1, b = 'x' [WHERE ...]`: the fields to set on every matching record.
    ///
    /// Without `WHERE` the condition is `Condition.all`.
    case update(table: String, set: Record, condition: Condition)

    /// `DELETE FROM t [WHERE ...]`; without `WHERE` the condition is `Condition.all`.
    case delete(table: String, condition: Condition)

    /// `CREATE TABLE [IF NOT EXISTS] t [PRIMARY KEY k] [KEYS generator]`.
    ///
    /// `primaryKey` and `keyGenerator` are `nil` when not given, so the database's defaults apply (`id`,
    /// `autoincrement`); the generator is any registered name (`autoincrement`, `uuid`, `uuid7`...).
    case createTable(name: String, primaryKey: String?, keyGenerator: String?, ifNotExists: Bool)

    /// `DROP TABLE [IF EXISTS] t`.
    case dropTable(name: String, ifExists: Bool)

    /// `CREATE [UNIQUE] INDEX [name] ON t (a[, b ...]) [USING kind]`.
    ///
    /// `kind` is the `USING` name as written (any registered index kind), else `hash` for one field and
    /// `composite` for several. `name` is `nil` when not given (the engine names the index).
    case createIndex(table: String, name: String?, fields: [String], kind: String, unique: Bool)

    /// `DROP INDEX name ON t`.
    case dropIndex(table: String, name: String)

    /// `EXPLAIN SELECT ...`: the plan of a ``select(table:query:)`` or
    /// ``aggregate(table:query:ordering:limit:offset:)`` statement instead of its rows.
    case explain(Statement)
}

extension Statement {
    /// The table the statement concerns (for `EXPLAIN`, the explained statement's table).
    ///
    /// ```swift
    /// try QueryParser.parse("DELETE FROM logs WHERE level = 'debug'").table  // "logs"
    /// ```
    public var table: String {
        switch self {
        case .select(let table, _), .aggregate(let table, _, _, _, _), .insert(let table, _),
            .update(let table, _, _), .delete(let table, _), .createIndex(let table, _, _, _, _),
            .dropIndex(let table, _):
            return table
        case .createTable(let name, _, _, _), .dropTable(let name, _):
            return name
        case .explain(let inner):
            return inner.table
        }
    }

    /// Whether running the statement can change data or the catalog (everything but `SELECT` and `EXPLAIN`).
    ///
    /// ```swift
    /// try QueryParser.parse("SELECT * FROM t").isReadOnly == true
    /// try QueryParser.parse("DROP TABLE t").isReadOnly == false
    /// ```
    public var isReadOnly: Bool {
        switch self {
        case .select, .aggregate, .explain: return true
        default: return false
        }
    }
}
