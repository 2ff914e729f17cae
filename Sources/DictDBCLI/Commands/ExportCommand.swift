import ArgumentParser
import DictDB

/// `dictdb export`: writes a table's records (or a selection) as JSON, NDJSON or CSV.
struct ExportCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a table's records as JSON, NDJSON or CSV, to stdout or a file.",
        discussion: """
            With --output the file is replaced atomically (written beside it, synced, renamed). Without \
            --table, a database of one table exports that table, and --format json exports every table as \
            one object {"table": [records...]}.

            Example: dictdb export --table people --where "age >= 18" --format csv --output adults.csv
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "The table (see above when omitted).")
    var table: String?

    @Option(name: .long, help: "Only the records matching this condition (a WHERE clause without WHERE).")
    var `where`: String?

    // The value is taken unconditionally, so it may start with '-': "--order-by -age".
    @Option(
        name: .long, parsing: .unconditional,
        help: "Sort by these fields (comma-separated; a leading '-' sorts descending).")
    var orderBy: String?

    @Option(name: .long, help: "json, ndjson or csv (default: from --output's extension, else json).")
    var format: RecordFileOption?

    @Option(name: [.long, .customShort("o")], help: "Write to this file instead of stdout.")
    var output: String?

    func run(in console: Console) async throws {
        let fileFormat = output == nil ? format?.format ?? .json : try RecordFileOption.resolve(format, path: output)
        var query = Query()
        if let text = `where` { query = Query(try StatementRunner.parseCondition(text)) }
        if let orderBy {
            let keys = orderBy.split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            query = query.orderBy(
                keys.map { $0.hasPrefix("-") ? SortKey(String($0.dropFirst()), descending: true) : SortKey($0) })
        }
        let opened = try database.open(in: console, forWriting: false)
        try await opened.using { (db) async throws in
            let names = db.tableNames
            if let table {
                try export(try db.table(table), query: query, format: fileFormat, console: console)
            } else if names.count == 1, let only = names.first {
                try export(try db.table(only), query: query, format: fileFormat, console: console)
            } else if fileFormat == .json && output == nil {
                try exportAll(db, query: query, console: console)
            } else {
                throw CommandFailure(
                    .usage,
                    names.isEmpty
                        ? "the database has no tables"
                        : "the database has \(names.count) tables (\(names.joined(separator: ", "))); choose one with --table"
                )
            }
        }
    }

    private func export(_ table: Table, query: Query, format: RecordFileFormat, console: Console) throws {
        if let output {
            let bar = ProgressBar(console: console, label: "exporting \(table.name)")
            defer { bar.finish() }
            let written = try table.exportRecords(to: output, format: format, query: query) { progress in
                bar.update(
                    done: Int64(progress.records), total: progress.totalRecords.map(Int64.init),
                    records: progress.records)
            }
            console.note("exported \(ProgressBar.grouped(written)) records from \(table.name) to \(output)")
            return
        }
        let records = try table.select(query)
        var options = RecordWriterOptions()
        if format == .csv {
            let columns = RecordWriterOptions.firstSeenColumns(of: records)
            options.csvColumns = columns.isEmpty ? nil : columns
        }
        let writer = try makeRecordWriter(format: format, to: ConsoleSink(console.output), options: options)
        for record in records { try writer.write(record) }
        try writer.finish()
    }

    /// Every table as one JSON object of arrays, in table order.
    private func exportAll(_ db: Database, query: Query, console: Console) throws {
        console.output.write("{")
        for (i, name) in db.tableNames.enumerated() {
            console.output.write((i == 0 ? "\n" : ",\n") + Value.string(name).description + ": ")
            // The writer ends its array with a newline; the object's comma goes right after the bracket.
            let sink = TextSink()
            let writer = try makeRecordWriter(format: .json, to: sink)
            for record in try db.table(name).select(query) { try writer.write(record) }
            try writer.finish()
            if sink.text.hasSuffix("\n") { sink.text.removeLast() }
            console.output.write(sink.text)
        }
        console.output.write("\n}\n")
    }
}

extension Substring {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
