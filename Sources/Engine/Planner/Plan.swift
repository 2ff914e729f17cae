import DictDBAPI

/// How a query reaches its rows, as chosen by the planner and printed by `explain`.
///
/// Whatever the access path, every candidate is checked against the full condition, so a plan changes the
/// speed of a query and never its answer; results come in insertion order unless the query sorts them.
///
/// ```swift
/// let plan = try users.explain(Query(Field("age") > 30).orderBy("age").limit(5), analyze: true)
/// print(plan)   // ORDERED INDEX users.age_sorted (> 30) ASC ~1200 rows; examined 5, returned 5
/// ```
public struct Plan: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The way candidate rows are found.
    public indirect enum Access: Sendable, Hashable, Codable {
        /// Every row is read, in insertion order.
        case fullScan
        /// Rows are found by primary key.
        case primaryKey([Value])
        /// Rows are found through a secondary index, then put in insertion order.
        case index(name: String, predicate: IndexPredicate)
        /// The union of several accesses (for OR), in insertion order.
        case union([Access])
        /// Rows are read in the order of an ordered index (restricted by `predicate` when given), which is
        /// the order the query asks for: no sort is needed, and a limit stops the walk early.
        case orderedIndex(name: String, predicate: IndexPredicate?, ascending: Bool)
    }

    /// The table planned for.
    public var table: String
    /// How candidates are found.
    public var access: Access
    /// The planner's estimate of the number of candidate rows.
    public var estimatedRows: Int
    /// The condition every candidate is checked against, in the query language's syntax (filled in by
    /// `explain`; plans made for running a query leave it empty).
    public var filter: String
    /// Whether the access already yields rows in the query's order (no sort step).
    public var providesOrder: Bool
    /// Candidate rows checked against the condition, when the plan was run (`explain(_:analyze: true)`).
    public var rowsExamined: Int?
    /// Rows the query returned, when the plan was run.
    public var rowsReturned: Int?

    /// Whether the plan reads every row.
    public var isFullScan: Bool { access == .fullScan }

    /// The names of the indexes the plan reads.
    public var indexesUsed: [String] {
        func names(_ access: Access) -> [String] {
            switch access {
            case .fullScan, .primaryKey: return []
            case .index(let name, _), .orderedIndex(let name, _, _): return [name]
            case .union(let parts): return parts.flatMap(names)
            }
        }
        return names(access)
    }

    /// One line: the access path, the estimate, and what running it found, such as
    /// `INDEX users.dept_hash (= "eng") ~1000 rows; examined 1000, returned 998`.
    public var description: String {
        var text = "\(Self.describe(access, table: table)) ~\(estimatedRows) rows"
        if !filter.isEmpty && filter != "TRUE" { text += " WHERE \(filter)" }
        if let rowsExamined, let rowsReturned { text += "; examined \(rowsExamined), returned \(rowsReturned)" }
        return text
    }

    private static func describe(_ access: Access, table: String) -> String {
        switch access {
        case .fullScan:
            return "SCAN \(table)"
        case .primaryKey(let keys):
            return "KEY LOOKUP \(table) (\(keys.map(\.description).joined(separator: ", ")))"
        case .index(let name, let predicate):
            return "INDEX \(table).\(name) (\(predicate))"
        case .union(let parts):
            return "UNION [\(parts.map { describe($0, table: table) }.joined(separator: "; "))]"
        case .orderedIndex(let name, let predicate, let ascending):
            let range = predicate.map { " (\($0))" } ?? ""
            return "ORDERED INDEX \(table).\(name)\(range) \(ascending ? "ASC" : "DESC")"
        }
    }
}
