import ArgumentParser
import DictDB

/// `dictdb schema`: shows each table's declared schema, or the fields its records hold.
struct SchemaCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Show the fields of a table (or of every table): its schema, or what its records hold.",
        discussion: """
            For a table with a schema, each rule: type, nullable, unique, default and validators. For a table \
            without one, the fields found in its records, the kinds of value each holds, and how many records \
            have it.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The table (default: every table).")
    var table: String?

    func run(in console: Console) async throws {
        let opened = try database.open(in: console, forWriting: false)
        try await opened.using { (db) async throws in
            let rows = try CatalogRows.schemaRows(try CatalogRows.tables(table, in: db))
            try RowPrinter(console: console, format: output.format).print(
                columns: CatalogRows.schemaColumns, records: rows)
        }
    }

    /// One row per schema rule, the primary key first.
    static func declared(_ schema: Schema, table: Table) -> [Record] {
        var rows: [Record] = [keyRow(table, present: .int(Int64(table.count)))]
        for rule in schema.fields where rule.name != table.primaryKey {
            rows.append([
                "table": .string(table.name), "field": .string(rule.name), "type": .string(rule.type.rawValue),
                "nullable": .bool(rule.nullable), "unique": .bool(rule.unique),
                "default": rule.defaultValue ?? .null,
                "rules": .string(
                    ([schema.mode == .strict ? "strict" : nil] + rule.validators.map { $0.name })
                        .compactMap { $0 }.joined(separator: ", ")),
                "present": .null,
            ])
        }
        return rows
    }

    /// One row per field found in the records: the kinds of its values and how many records have it.
    static func observed(_ table: Table) throws(DictDBError) -> [Record] {
        var order: [String] = []
        var kinds: [String: Set<String>] = [:]
        var present: [String: Int] = [:]
        for record in try table.allRecords() {
            for (name, value) in record where name != table.primaryKey {
                if present[name] == nil { order.append(name) }
                present[name, default: 0] += 1
                kinds[name, default: []].insert(kind(of: value))
            }
        }
        var rows: [Record] = [keyRow(table, present: .int(Int64(table.count)))]
        for name in order {
            let seen = kinds[name] ?? []
            let types = ["bool", "int", "double", "string", "array", "object"].filter { seen.contains($0) }
            let missing = (present[name] ?? 0) < table.count
            rows.append([
                "table": .string(table.name), "field": .string(name),
                "type": .string(types.isEmpty ? "null" : types.joined(separator: "|")),
                "nullable": .bool(seen.contains("null") || missing), "unique": .null, "default": .null,
                "rules": .string("(no schema)"), "present": .int(Int64(present[name] ?? 0)),
            ])
        }
        return rows
    }

    private static func keyRow(_ table: Table, present: Value) -> Record {
        [
            "table": .string(table.name), "field": .string(table.primaryKey), "type": .string("key"),
            "nullable": .bool(false), "unique": .bool(true), "default": .null,
            "rules": .string("primary key, \(table.keyGenerator.name)"), "present": present,
        ]
    }

    private static func kind(of value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "double"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
