import ArgumentParser
import DictDB

/// `dictdb tables`: lists the tables.
struct TablesCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "tables", abstract: "List the tables with their record counts, keys and indexes.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run(in console: Console) async throws {
        let opened = try database.open(in: console, forWriting: false)
        try await opened.using { (db) async throws in
            var rows: [Record] = []
            for name in db.tableNames {
                let table = try db.table(name)
                rows.append([
                    "table": .string(name), "records": .int(Int64(table.count)),
                    "primary_key": .string(table.primaryKey), "key_generator": .string(table.keyGenerator.name),
                    "indexes": .int(Int64(table.indexes.count)), "schema": .bool(table.schema != nil),
                ])
            }
            try RowPrinter(console: console, format: output.format).print(
                columns: ["table", "records", "primary_key", "key_generator", "indexes", "schema"], records: rows)
        }
    }
}

/// `dictdb indexes`: lists the indexes of one table or all.
struct IndexesCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "indexes", abstract: "List the indexes of a table (or of every table) with their sizes.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Only this table.")
    var table: String?

    func run(in console: Console) async throws {
        let opened = try database.open(in: console, forWriting: false)
        try await opened.using { (db) async throws in
            let names = try table.map { (name) throws(DictDBError) in [try db.table(name).name] } ?? db.tableNames
            var rows: [Record] = []
            for name in names {
                let table = try db.table(name)
                let statistics = try table.indexStatistics()
                for index in table.indexes {
                    let stats = statistics[index.name]
                    rows.append([
                        "table": .string(name), "index": .string(index.name),
                        "fields": .string(index.fields.joined(separator: ", ")), "kind": .string(index.kind),
                        "unique": .bool(index.unique), "entries": stats.map { .int(Int64($0.entries)) } ?? .null,
                        "distinct_keys": stats.map { .int(Int64($0.distinctKeys)) } ?? .null,
                    ])
                }
            }
            try RowPrinter(console: console, format: output.format).print(
                columns: ["table", "index", "fields", "kind", "unique", "entries", "distinct_keys"], records: rows)
        }
    }
}

/// `dictdb explain`: shows the plan of a SELECT.
struct ExplainCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show how a SELECT would run: the index or key lookup it uses, or a full scan.",
        discussion: """
            The statement may start with or without EXPLAIN. With --analyze the query also runs, and the plan \
            shows how many rows were examined and returned.

            Example: dictdb explain "SELECT * FROM staff WHERE dept = 'sales' ORDER BY salary"
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Run the query and report the rows examined and returned.")
    var analyze = false

    @Argument(help: "A SELECT statement.")
    var statement: String

    func run(in console: Console) async throws {
        var parsed = try StatementRunner.parse(statement)
        if case .explain(let inner) = parsed { parsed = inner }
        let query: Query
        switch parsed {
        case .select(_, let select): query = select
        case .aggregate(_, let aggregate, _, _, _): query = Query(aggregate.condition)
        default: throw CommandFailure(.usage, "explain takes a SELECT statement")
        }
        let opened = try database.open(in: console, forWriting: false)
        try await opened.using { (db) async throws in
            let plan = try db.table(parsed.table).explain(query, analyze: analyze)
            try RowPrinter(console: console, format: output.format).print(.plan(plan))
        }
    }
}
