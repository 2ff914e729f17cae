/// What running one query-language statement produced.
///
/// ```swift
/// switch try db.execute("SELECT name FROM users WHERE age > 30") {
/// case .rows(let columns, let records): print(columns, records.count)
/// default: break
/// }
/// ```
public enum StatementResult: Sendable, Hashable {
    /// The rows of a `SELECT` (records, or one row per group for aggregates), with the output columns in
    /// order: the projection or the group fields and aggregates as written, else every field of the rows in
    /// first-seen order (the table's primary key first). A projection is applied as each row is read (see
    /// `SelectedRows`), so streaming a large result never holds all of it projected.
    case rows(columns: [String], records: SelectedRows)
    /// The plan an `EXPLAIN SELECT` would use.
    case plan(Plan)
    /// The keys an `INSERT` gave its records, in order.
    case inserted(table: String, keys: [Value])
    /// How many records an `UPDATE` changed.
    case updated(table: String, count: Int)
    /// How many records a `DELETE` removed.
    case deleted(table: String, count: Int)
    /// `CREATE TABLE` ran; `created` is false when `IF NOT EXISTS` found the table already there.
    case tableCreated(name: String, created: Bool)
    /// `DROP TABLE` ran; `dropped` is false when `IF EXISTS` found no such table.
    case tableDropped(name: String, dropped: Bool)
    /// `CREATE INDEX` made this index.
    case indexCreated(table: String, index: IndexDefinition)
    /// `DROP INDEX` removed the index.
    case indexDropped(table: String, name: String)
}

extension StatementResult {
    /// A one-line account of a statement that returns no rows (`inserted 3 records into users`), or `nil` for
    /// ``rows(columns:records:)``.
    public var summary: String? {
        switch self {
        case .rows:
            return nil
        case .plan(let plan):
            return plan.description
        case .inserted(let table, let keys):
            return "inserted \(Self.records(keys.count)) into \(table)"
        case .updated(let table, let count):
            return "updated \(Self.records(count)) in \(table)"
        case .deleted(let table, let count):
            return "deleted \(Self.records(count)) from \(table)"
        case .tableCreated(let name, let created):
            return created ? "created table \(name)" : "table \(name) already exists"
        case .tableDropped(let name, let dropped):
            return dropped ? "dropped table \(name)" : "no table \(name) to drop"
        case .indexCreated(let table, let index):
            let unique = index.unique ? "unique " : ""
            return
                "created \(unique)\(index.kind) index \(index.name) on \(table) (\(index.fields.joined(separator: ", ")))"
        case .indexDropped(let table, let name):
            return "dropped index \(name) on \(table)"
        }
    }

    private static func records(_ count: Int) -> String { count == 1 ? "1 record" : "\(count) records" }
}
