import DictDB

/// Everything observable about a database's content, as a comparable value: per table, the primary key
/// field, the records in order, the key generator's state and the index definitions. Two databases with
/// equal contents answer every query alike.
///
/// ```swift
/// let recovered = try DatabaseContent(of: reopened)
/// if recovered != expected { print(recovered.differences(from: expected).joined(separator: "\n")) }
/// ```
public struct DatabaseContent: Sendable, Equatable, CustomStringConvertible {
    /// One table's content.
    public struct TableContent: Sendable, Equatable {
        /// The primary key field.
        public var primaryKey: String
        /// The records, in the order `select()` returns them.
        public var records: [Record]
        /// The key generator's state.
        public var keyState: Value
        /// The secondary indexes, in creation order.
        public var indexes: [IndexDefinition]
    }

    /// The tables by name.
    public var tables: [String: TableContent]

    /// Reads the content of every table of `db`.
    /// - Throws: whatever reading a table throws.
    public init(of db: Database) throws(DictDBError) {
        var tables: [String: TableContent] = [:]
        for name in db.tableNames {
            let table = try db.table(name)
            tables[name] = TableContent(
                primaryKey: table.primaryKey, records: try table.select(), keyState: table.keyGeneratorState,
                indexes: table.indexes)
        }
        self.tables = tables
    }

    /// A one-line summary: record counts and indexes per table.
    public var description: String {
        tables.keys.sorted().map { name in
            guard let table = tables[name] else { return name }
            return "\(name): \(table.records.count) records, indexes \(table.indexes.map(\.name))"
        }.joined(separator: "; ")
    }

    /// What differs from `expected`, a line each, at most `limit` record lines per table.
    public func differences(from expected: DatabaseContent, limit: Int = 6) -> [String] {
        var lines: [String] = []
        for name in Set(tables.keys).union(expected.tables.keys).sorted() {
            switch (tables[name], expected.tables[name]) {
            case (nil, _?):
                lines.append("table \(name): missing (expected it)")
            case (_?, nil):
                lines.append("table \(name): present (expected no such table)")
            case (let actual?, let wanted?):
                lines += Self.differences(table: name, actual, wanted, limit: limit)
            case (nil, nil):
                break
            }
        }
        return lines
    }

    private static func differences(
        table name: String, _ actual: TableContent, _ expected: TableContent, limit: Int
    ) -> [String] {
        var lines: [String] = []
        if actual.keyState != expected.keyState {
            lines.append("table \(name): key generator state \(actual.keyState), expected \(expected.keyState)")
        }
        if actual.indexes != expected.indexes {
            lines.append(
                "table \(name): indexes \(actual.indexes.map(\.name)), expected \(expected.indexes.map(\.name))")
        }
        if actual.records == expected.records { return lines }
        lines.append("table \(name): \(actual.records.count) records, expected \(expected.records.count)")
        let key = expected.primaryKey
        let actualByKey = Dictionary(actual.records.map { ($0[key], $0) }, uniquingKeysWith: { first, _ in first })
        let expectedByKey = Dictionary(
            expected.records.map { ($0[key], $0) }, uniquingKeysWith: { first, _ in first })
        var recordLines: [String] = []
        for record in expected.records {
            let id = record[key]
            guard let found = actualByKey[id] else {
                recordLines.append("  missing \(record)")
                continue
            }
            if found != record { recordLines.append("  key \(id): \(found), expected \(record)") }
        }
        for record in actual.records where expectedByKey[record[key]] == nil {
            recordLines.append("  unexpected \(record)")
        }
        if recordLines.isEmpty {
            recordLines.append("  same records in another order")
        }
        lines += recordLines.prefix(limit)
        if recordLines.count > limit { lines.append("  ... and \(recordLines.count - limit) more") }
        return lines
    }
}
