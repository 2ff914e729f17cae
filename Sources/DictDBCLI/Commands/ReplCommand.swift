import ArgumentParser
import DictDB

/// `dictdb repl`: an interactive session.
struct ReplCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Interactive session: statements, multi-line input, history and .meta commands.",
        discussion: """
            On a terminal, lines can be edited and earlier statements recalled with the arrow keys; history \
            is kept in $DICTDB_HISTORY, else ~/.dictdb_history (DICTDB_HISTORY= turns it off). Statements end \
            with ';' or an empty line. Type .help inside for the meta commands. With input from a pipe it \
            runs the statements and exits with the status of the first failure.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run(in console: Console) async throws {
        // A snapshot file opens too: the session then refuses statements that write.
        let opened = try database.open(in: console, forWriting: false)
        let historyFile = HistoryFile(environment: console.environment)
        let reader: LineReader =
            console.isProcessTerminal
            ? TerminalLineEditor(console: console, history: historyFile.load())
            : PlainLineReader(console: console)
        let status = try await opened.using { (_) async throws -> ExitStatus in
            ReplSession(console: console, opened: opened, reader: reader, format: output.format).run()
        }
        if console.isProcessTerminal {
            do {
                try historyFile.save(reader.history)
            } catch {
                console.note("note: could not save the history: \(error.message)")
            }
        }
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
