import ArgumentParser
import DictDB

/// `dictdb query`: runs statements of the query language.
struct QueryCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run query-language statements (SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, EXPLAIN).",
        discussion: """
            Several statements may be given, separated by ';'; they run in order and stop at the first error \
            (the ones before it stay done). With '-' or no statement, the statements are read from stdin.

            Examples:
              dictdb query "SELECT name, age FROM people WHERE age BETWEEN 30 AND 40 ORDER BY age DESC LIMIT 5"
              dictdb query "SELECT dept, COUNT(*) AS n, AVG(salary) FROM staff GROUP BY dept ORDER BY n DESC"
              dictdb query 'INSERT INTO people VALUES {"name": "Ada", "age": 36}'
              dictdb query "UPDATE people SET age = 37 WHERE name = 'Ada'" --format json
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The statements, or '-' to read them from stdin.")
    var statement: String?

    func run(in console: Console) async throws {
        let text = statement == nil || statement == "-" ? Self.readAll(from: console) : statement ?? ""
        let statements = try StatementRunner.parseScript(text)
        guard !statements.isEmpty else { throw CommandFailure(.usage, "no statement to run") }
        let writes = statements.contains { !$0.isReadOnly }
        let opened = try database.open(in: console, forWriting: writes)
        let printer = RowPrinter(console: console, format: output.format)
        try await opened.using { (db) async throws in
            for statement in statements {
                try StatementRunner.checkWritable(statement, in: opened)
                try printer.print(try db.execute(statement))
            }
        }
    }

    static func readAll(from console: Console) -> String {
        var lines: [String] = []
        while let line = console.readLine() { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
