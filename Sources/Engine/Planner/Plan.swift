import DictDBAPI

/// How a query reaches its candidate rows, as chosen by the planner and printed by `explain`.
///
/// Whatever the access path, every candidate is checked against the full condition, so a plan changes the
/// speed of a query and never its answer; results come in insertion order unless the query sorts them.
public struct Plan: Sendable, Hashable, CustomStringConvertible {
    /// The way candidate rows are found.
    public indirect enum Access: Sendable, Hashable {
        /// Every row is read.
        case fullScan
        /// Rows are found by primary key.
        case primaryKey([Value])
        /// Rows are found through a secondary index.
        case index(name: String, predicate: IndexPredicate)
        /// The union of several accesses (for OR).
        case union([Access])
    }

    /// The table planned for.
    public var table: String
    /// How candidates are found.
    public var access: Access
    /// The planner's estimate of the number of candidate rows.
    public var estimatedRows: Int
    /// The condition every candidate is checked against.
    public var condition: Condition

    /// Whether the plan reads every row.
    public var isFullScan: Bool { access == .fullScan }

    /// One line per access step, such as `INDEX users.by_dept (= "sales") ~1000 rows`.
    public var description: String {
        "\(Self.describe(access, table: table)) ~\(estimatedRows) rows"
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
        }
    }
}
