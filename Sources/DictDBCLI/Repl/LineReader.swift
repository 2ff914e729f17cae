/// Where the REPL gets its lines: a line editor on a terminal, plain reads otherwise.
protocol LineReader: AnyObject {
    /// Shows `prompt` (on a terminal) and returns the next line without its newline, or `nil` at the end of
    /// the input (Ctrl-D on an empty line).
    func readLine(prompt: String) -> String?
    /// Remembers an entered line for recall (up arrow) and for the history file.
    func addHistory(_ line: String)
    /// The remembered lines, oldest first.
    var history: [String] { get }
    /// Whether the last line read was dropped with Ctrl-C (it came back as `""`): the session then drops a
    /// statement it was collecting instead of running it.
    var wasInterrupted: Bool { get }
}

extension LineReader {
    /// Plain reads cannot be interrupted this way.
    var wasInterrupted: Bool { false }
}

/// Reads lines from the console without editing: for pipes, files and tests. Prompts are shown only when
/// input is a terminal.
final class PlainLineReader: LineReader {
    private let console: Console
    private(set) var history: [String] = []

    init(console: Console, history: [String] = []) {
        self.console = console
        self.history = history
    }

    func readLine(prompt: String) -> String? {
        if console.isInputTerminal { console.output.write(prompt) }
        return console.readLine()
    }

    func addHistory(_ line: String) { history.append(line) }
}
