#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Line editing on the process's terminal: the cursor keys, history recall and the usual Emacs-style
/// control keys (see ``KeyDecoder`` and ``LineBuffer`` for the keys and what they do).
///
/// Standard input is in raw mode only while a line is read (``RawTerminalMode``), so statements run with
/// the terminal as the user left it; every way out of ``readLine(prompt:)`` restores it. Input is read with
/// `read(2)` and kept across lines, so several lines pasted at once become several lines. The line is
/// redrawn as `"\r" + prompt + text + ESC [K`, then the cursor moves back; a line wider than the terminal
/// scrolls sideways. When standard input is not a terminal (or its settings cannot be read) lines are read
/// plainly instead.
///
/// Ctrl-C drops the line: it prints `^C`, returns `""` and sets ``wasInterrupted``. Ctrl-D on an empty line
/// returns `nil`.
final class TerminalLineEditor: LineReader {
    /// Where the prompt and the line are drawn.
    private let console: Console
    /// Reads lines when standard input cannot be put in raw mode.
    private let plain: PlainLineReader
    /// The entered lines, oldest first.
    private(set) var history: [String]
    /// Whether the last line was dropped with Ctrl-C.
    private(set) var wasInterrupted = false
    /// The line being edited (and the key decoder, which carries over from line to line).
    private var line = LineBuffer()
    /// Bytes read but not yet consumed, from ``pendingStart`` on.
    private var pending: [UInt8] = []
    private var pendingStart = 0
    /// Whether a read found the end of the input (or failed): no more reads then.
    private var inputEnded = false
    /// The terminal keys are read from (standard input, or a pseudo-terminal in tests).
    private let input: Int32

    /// Creates an editor that recalls `history` (oldest first; the newest ``HistoryFile/limit`` entries),
    /// reading keys from the terminal `input` (standard input by default).
    init(console: Console, history: [String], input: Int32 = STDIN_FILENO) {
        self.console = console
        self.input = input
        self.plain = PlainLineReader(console: console)
        self.history = Array(history.filter { !$0.isEmpty }.suffix(HistoryFile.limit))
    }

    /// Shows `prompt`, edits a line in raw mode and returns it; `""` after Ctrl-C, `nil` at the end of the
    /// input.
    func readLine(prompt: String) -> String? {
        wasInterrupted = false
        guard let raw = RawTerminalMode.enable(input) else { return plain.readLine(prompt: prompt) }
        defer { raw.restore() }
        line.begin(history: history)
        let promptWidth = TableRenderer.width(of: prompt)
        var needsDrawing = true
        while true {
            if pendingStart == pending.count {
                if needsDrawing { draw(prompt: prompt, promptWidth: promptWidth) }
                needsDrawing = false
                guard fill() else {
                    // The terminal hung up: hand over what was typed, then the end.
                    if line.characters.isEmpty { return nil }
                    console.output.write("\r\n")
                    return line.text
                }
            }
            let byte = pending[pendingStart]
            pendingStart += 1
            switch line.feed(byte) {
            case .continue:
                needsDrawing = true
            case .submit(let text):
                draw(prompt: prompt, promptWidth: promptWidth)
                console.output.write("\r\n")
                return text
            case .cancel:
                draw(prompt: prompt, promptWidth: promptWidth)
                console.output.write("^C\r\n")
                wasInterrupted = true
                return ""
            case .endOfInput:
                return nil
            case .clearScreen:
                console.output.write("\u{1B}[H\u{1B}[2J")
                needsDrawing = true
            }
        }
    }

    /// Appends an entered line to the history, unless it is empty or repeats the newest entry; keeps the
    /// newest ``HistoryFile/limit`` entries.
    func addHistory(_ entry: String) {
        guard !entry.isEmpty, entry != history.last else { return }
        history.append(entry)
        if history.count > HistoryFile.limit { history.removeFirst(history.count - HistoryFile.limit) }
    }

    /// Redraws the prompt and the visible part of the line, and places the cursor.
    private func draw(prompt: String, promptWidth: Int) {
        let view = line.view(columns: max(1, console.terminalWidth - promptWidth - 1))
        var text = "\r" + prompt + view.text + "\u{1B}[K"
        if view.cursorBack > 0 { text += "\u{1B}[\(view.cursorBack)D" }
        console.output.write(text)
    }

    /// Reads the next bytes from standard input into ``pending``, retrying when a signal interrupts the read;
    /// false at the end of the input or on a read error.
    private func fill() -> Bool {
        guard !inputEnded else { return false }
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                inputEnded = true
                return false
            }
            pending = Array(chunk[..<count])
            pendingStart = 0
            return true
        }
    }
}
