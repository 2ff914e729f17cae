/// Line editing on a terminal (being written): reads plain lines for now.
final class TerminalLineEditor: LineReader {
    private let plain: PlainLineReader
    init(console: Console, history: [String]) { plain = PlainLineReader(console: console, history: history) }
    func readLine(prompt: String) -> String? { plain.readLine(prompt: prompt) }
    func addHistory(_ line: String) { plain.addHistory(line) }
    var history: [String] { plain.history }
}
