import DictDB

/// The rows `tables`, `schema` and `indexes` print, shared by the commands and the REPL's meta commands.
enum CatalogRows {
    /// The table named `name`, or every table when `name` is `nil`.
    /// - Throws: ``DictDBError/Code/tableNotFound``.
    static func tables(_ name: String?, in db: Database) throws(DictDBError) -> [Table] {
        if let name { return [try db.table(name)] }
        var tables: [Table] = []
        for tableName in db.tableNames { tables.append(try db.table(tableName)) }
        return tables
    }

    /// The columns of ``tableRows(_:)``.
    static let tableColumns = ["table", "records", "primary_key", "key_generator", "indexes", "schema"]

    /// One row per table: records, key, generator, index count, whether it has a schema.
    static func tableRows(_ tables: [Table]) -> [Record] {
        tables.map { table in
            [
                "table": .string(table.name), "records": .int(Int64(table.count)),
                "primary_key": .string(table.primaryKey), "key_generator": .string(table.keyGenerator.name),
                "indexes": .int(Int64(table.indexes.count)), "schema": .bool(table.schema != nil),
            ]
        }
    }

    /// The columns of ``schemaRows(_:)``.
    static let schemaColumns = ["table", "field", "type", "nullable", "unique", "default", "rules", "present"]

    /// The declared schema of each table, or the fields its records hold (see ``SchemaCommand``).
    static func schemaRows(_ tables: [Table]) throws(DictDBError) -> [Record] {
        var rows: [Record] = []
        for table in tables {
            if let schema = table.schema {
                rows += SchemaCommand.declared(schema, table: table)
            } else {
                rows += try SchemaCommand.observed(table)
            }
        }
        return rows
    }

    /// The columns of ``indexRows(_:withStatistics:)`` with statistics; without, the first five.
    static let indexColumns = ["table", "index", "fields", "kind", "unique", "entries", "distinct_keys"]

    /// One row per index, with its entry and distinct-key counts when `withStatistics` is set.
    static func indexRows(_ tables: [Table], withStatistics: Bool) throws(DictDBError) -> [Record] {
        var rows: [Record] = []
        for table in tables {
            let statistics = withStatistics ? try table.indexStatistics() : [:]
            for index in table.indexes {
                var row: Record = [
                    "table": .string(table.name), "index": .string(index.name),
                    "fields": .string(index.fields.joined(separator: ", ")), "kind": .string(index.kind),
                    "unique": .bool(index.unique),
                ]
                if withStatistics {
                    let stats = statistics[index.name]
                    row.setField("entries", to: stats.map { .int(Int64($0.entries)) } ?? .null)
                    row.setField("distinct_keys", to: stats.map { .int(Int64($0.distinctKeys)) } ?? .null)
                }
                rows.append(row)
            }
        }
        return rows
    }
}
