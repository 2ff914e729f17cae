import DictDB
import DictDBToolSupport

/// Everything a snapshot must carry, read from a database: per table its name, primary key, key generator
/// and its state, schema, index definitions and records in order.
struct DatabaseState {
    /// One table's persisted parts.
    struct TableState {
        var name: String
        var primaryKey: String
        var keyGenerator: String
        var keyState: Value
        var schema: Value
        var indexes: [IndexDefinition]
        var records: [Record]
    }

    var tables: [TableState]

    /// Reads the state of every table of `db`.
    init(_ db: Database) throws {
        tables = try db.tableNames.map { name in
            let table = try db.table(name)
            return TableState(
                name: name, primaryKey: table.primaryKey, keyGenerator: table.keyGenerator.name,
                keyState: table.keyGeneratorState, schema: table.schema?.storedValue ?? .null,
                indexes: table.indexes, records: try table.allRecords())
        }
    }

    /// The number of records over all tables.
    var recordCount: Int { tables.reduce(0) { $0 + $1.records.count } }

    /// How `other` (a load of a file saved from this state) differs from it, at most `limit` differences.
    func differences(from other: DatabaseState, limit: Int = 5) -> [String] {
        var found: [String] = []
        let names = tables.map(\.name)
        let otherNames = other.tables.map(\.name)
        if names != otherNames { return ["tables \(names) came back as \(otherNames)"] }
        for (mine, theirs) in zip(tables, other.tables) {
            let table = mine.name
            if mine.primaryKey != theirs.primaryKey {
                found.append("\(table): primary key \(mine.primaryKey) came back as \(theirs.primaryKey)")
            }
            if mine.keyGenerator != theirs.keyGenerator {
                found.append("\(table): key generator \(mine.keyGenerator) came back as \(theirs.keyGenerator)")
            }
            if let difference = StrictComparison.difference(mine.keyState, theirs.keyState, path: "keyState") {
                found.append("\(table): key generator state differs: \(difference)")
            }
            if let difference = StrictComparison.difference(mine.schema, theirs.schema, path: "schema") {
                found.append("\(table): schema differs: \(difference)")
            }
            if mine.indexes != theirs.indexes {
                found.append("\(table): indexes \(mine.indexes) came back as \(theirs.indexes)")
            }
            if mine.records.count != theirs.records.count {
                found.append("\(table): \(mine.records.count) records came back as \(theirs.records.count)")
            } else {
                for (index, (record, loaded)) in zip(mine.records, theirs.records).enumerated() {
                    if let difference = StrictComparison.difference(record, loaded, path: "record \(index)") {
                        found.append("\(table): \(difference)")
                        break
                    }
                }
            }
            if found.count >= limit { break }
        }
        return Array(found.prefix(limit))
    }
}

/// Compares what the indexes of two databases with the same records answer.
enum IndexAnswers {
    /// For each index of each table of `original`, a query on a value some record holds (an equality, and
    /// a range for sorted indexes) must return the same keys in both databases.
    static func differences(
        _ original: Database, _ loaded: Database, random: inout SeededGenerator, limit: Int = 5
    ) throws -> [String] {
        var found: [String] = []
        for name in original.tableNames {
            let table = try original.table(name)
            let copy = try loaded.table(name)
            let records = try table.allRecords()
            guard !records.isEmpty else { continue }
            for index in table.indexes {
                let sample = random.pick(records)
                var condition: Condition = .all
                for field in index.fields {
                    let part = Field(field) == sample[field]
                    condition = condition == .all ? part : condition && part
                }
                var queries = [Query(condition)]
                if index.kind == "sorted", let field = index.fields.first {
                    queries.append(Query(Field(field) >= sample[field]).orderBy(.init(field)).limit(20))
                }
                for query in queries {
                    let key = table.primaryKey
                    let expected = try table.select(query).map { $0[key] }
                    let answered = try copy.select(query).map { $0[key] }
                    let plan = try copy.explain(query)
                    if expected != answered {
                        found.append(
                            "\(name): index \(index.name) answers \(answered.count) rows after loading, "
                                + "\(expected.count) before, for WHERE \(query.condition) (plan: \(plan))")
                    }
                }
                if found.count >= limit { return found }
            }
        }
        return found
    }
}
