import Synchronization

@testable import DictDBCLI

/// A console whose output and error streams are captured, with terminal flags of the test's choosing.
final class CapturingConsole: Sendable {
    /// The text written so far, shared with the streams' closures.
    private final class Captured: Sendable {
        let text = Mutex((output: "", error: ""))
    }

    private let captured = Captured()
    let console: Console

    init(
        terminal: Bool, environment: [String: String] = ["COLUMNS": "80"],
        readLine: @escaping @Sendable () -> String? = { nil }
    ) {
        let captured = self.captured
        console = Console(
            output: Console.Stream(isTerminal: terminal) { text in captured.text.withLock { $0.output += text } },
            error: Console.Stream(isTerminal: terminal) { text in captured.text.withLock { $0.error += text } },
            isInputTerminal: terminal, environment: environment, isProcessTerminal: terminal, readLine: readLine)
    }

    /// What went to standard output so far.
    var output: String { captured.text.withLock { $0.output } }
    /// What went to standard error so far.
    var error: String { captured.text.withLock { $0.error } }
}
