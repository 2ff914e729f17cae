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
            try RowPrinter(console: console, format: output.format).print(
                columns: CatalogRows.tableColumns, records: CatalogRows.tableRows(try CatalogRows.tables(nil, in: db)))
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
            let rows = try CatalogRows.indexRows(try CatalogRows.tables(table, in: db), withStatistics: true)
            try RowPrinter(console: console, format: output.format).print(
                columns: CatalogRows.indexColumns, records: rows)
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
