import DictDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An interactive session: statements of the query language and `.` meta commands, one database.
///
/// A statement runs when its text ends with `;`, or at an empty line; until then lines are collected
/// (the prompt turns into `...>`). Errors are reported and the session goes on. At the end of the input the
/// session returns the status of the first failure when input was not a terminal (so a piped script fails
/// like `dictdb query` would), else success.
final class ReplSession {
    private let console: Console
    private let opened: OpenedDatabase
    private let reader: LineReader
    private var format: OutputFormat
    private var timer = false
    private var firstFailure: ExitStatus?

    static let prompt = "dictdb> "
    static let continuation = "   ...> "

    init(console: Console, opened: OpenedDatabase, reader: LineReader, format: OutputFormat) {
        self.console = console
        self.opened = opened
        self.reader = reader
        self.format = format
    }

    /// Runs until `.quit` or the end of the input.
    func run() -> ExitStatus {
        if console.isInputTerminal {
            let kind = opened.isSnapshot ? "snapshot file (read-only)" : "database"
            console.print(
                "DictDB \(DictDBCommand.configuration.version) on \(kind) \(opened.path). Type .help for help.")
        }
        var buffer: [String] = []
        while let line = reader.readLine(prompt: buffer.isEmpty ? Self.prompt : Self.continuation) {
            if reader.wasInterrupted {
                // Ctrl-C drops the statement being collected, not only its last line.
                buffer.removeAll()
                continue
            }
            let trimmed = line.trimmingCharacters
            if buffer.isEmpty {
                if trimmed.isEmpty { continue }
                if trimmed.hasPrefix(".") {
                    reader.addHistory(trimmed)
                    if !runMeta(trimmed) { return finish() }
                    continue
                }
            }
            buffer.append(line)
            if trimmed.isEmpty || Self.endsStatement(trimmed) {
                let text = buffer.joined(separator: "\n")
                buffer.removeAll()
                if text.trimmingCharacters.isEmpty { continue }
                reader.addHistory(text)
                runStatements(text)
            }
        }
        // On a terminal the cursor is still on the prompt line: end it before anything else prints.
        if console.isInputTerminal { console.output.write("\n") }
        if !buffer.isEmpty {
            let text = buffer.joined(separator: "\n")
            reader.addHistory(text)
            runStatements(text)
        }
        return finish()
    }

    private func finish() -> ExitStatus {
        console.isInputTerminal ? .success : firstFailure ?? .success
    }

    /// Whether a line ends a statement: its last character outside a `--` comment is `;`.
    static func endsStatement(_ line: String) -> Bool {
        // A `--` inside a string literal is rare enough at the end of a line; the parser has the last word.
        var text = Substring(line)
        if let comment = line.firstRange(of: "--"), !line[..<comment.lowerBound].contains("'") {
            text = line[..<comment.lowerBound]
        }
        return String(text).trimmingCharacters.hasSuffix(";")
    }

    private func runStatements(_ text: String) {
        let started = Self.monotonicNanos()
        do {
            let statements = try StatementRunner.parseScript(text)
            let printer = RowPrinter(console: console, format: format)
            for statement in statements {
                try StatementRunner.checkWritable(statement, in: opened)
                try printer.print(try opened.database.execute(statement))
            }
        } catch {
            let status = ErrorReport.report(error, console: console)
            if firstFailure == nil { firstFailure = status }
        }
        if timer {
            let millis = Double(Self.monotonicNanos() - started) / 1e6
            console.note("time: \((millis * 1000).rounded() / 1000) ms")
        }
    }

    // MARK: Meta commands

    /// Runs a meta command; returns false to end the session.
    private func runMeta(_ line: String) -> Bool {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let command = words.first ?? ""
        let argument = words.count > 1 ? words[1] : nil
        do {
            switch command {
            case ".quit", ".exit", ".q":
                return false
            case ".help", ".h":
                console.print(Self.help)
            case ".tables":
                let rows = CatalogRows.tableRows(try CatalogRows.tables(nil, in: opened.database))
                try RowPrinter(console: console, format: format).print(
                    columns: ["table", "records", "primary_key", "indexes"], records: rows)
            case ".schema":
                let rows = try CatalogRows.schemaRows(try CatalogRows.tables(argument, in: opened.database))
                try RowPrinter(console: console, format: format).print(
                    columns: CatalogRows.schemaColumns, records: rows)
            case ".indexes":
                let tables = try CatalogRows.tables(argument, in: opened.database)
                try RowPrinter(console: console, format: format).print(
                    columns: Array(CatalogRows.indexColumns.prefix(5)),
                    records: try CatalogRows.indexRows(tables, withStatistics: false))
            case ".format", ".mode":
                guard let argument, let chosen = OutputFormat(rawValue: argument) else {
                    throw CommandFailure(.usage, "\(command) takes table, json, ndjson or csv (now \(format.rawValue))")
                }
                format = chosen
            case ".timer":
                guard let argument, argument == "on" || argument == "off" else {
                    throw CommandFailure(.usage, ".timer takes on or off")
                }
                timer = argument == "on"
            case ".history":
                for (number, entry) in reader.history.enumerated() {
                    console.print("\(String(number + 1).leftPadded(to: 5))  \(HistoryFile.oneLine(entry))")
                }
            case ".read":
                guard let argument else { throw CommandFailure(.usage, ".read takes a file of statements") }
                guard try FileKind.of(argument) == .file else {
                    throw CommandFailure(.notFound, "no file at \(argument)")
                }
                runStatements(try Self.readText(argument))
            default:
                throw CommandFailure(.usage, "unknown command \(command); .help lists them")
            }
        } catch {
            let status = ErrorReport.report(error, console: console)
            if firstFailure == nil { firstFailure = status }
        }
        return true
    }

    static let help = """
        Statements end with ';' (or an empty line) and may span lines:
          SELECT name, age FROM people WHERE age > 30 ORDER BY age DESC LIMIT 10;
          INSERT INTO people VALUES {"name": "Ada", "age": 36};
          UPDATE people SET age = 37 WHERE name = 'Ada';   DELETE FROM people WHERE age IS NULL;
          CREATE TABLE t;   CREATE INDEX ON people (age) USING sorted;   EXPLAIN SELECT * FROM people WHERE age = 36;
        Meta commands:
          .tables                 list the tables
          .schema [table]         the fields of a table (or of all)
          .indexes [table]        the indexes of a table (or of all)
          .format table|json|ndjson|csv
                                  how rows print (.mode is the same)
          .timer on|off           print how long each statement took
          .read FILE              run the statements in FILE
          .history                the statements entered so far
          .help                   this text
          .quit                   leave (Ctrl-D too)
        Keys on a terminal: arrows move and recall history, Ctrl-A/E start/end of line, Ctrl-K/U cut,
        Ctrl-W delete a word, Ctrl-C drop the line, Ctrl-D on an empty line quit.
        """

    private static func readText(_ path: String) throws(DictDBError) -> String {
        let file = try PosixFileSystem().openForReading(path)
        defer { try? file.close() }
        return String(decoding: try file.readAll(maxBytes: QueryParser.maximumLength * 16), as: UTF8.self)
    }

    private static func monotonicNanos() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

extension String {
    /// The text without leading and trailing whitespace.
    var trimmingCharacters: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// The text right-aligned in `width` columns.
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
