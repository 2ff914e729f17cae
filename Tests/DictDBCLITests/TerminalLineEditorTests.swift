import Foundation
import Synchronization
import Testing

@testable import DictDBCLI

#if canImport(Glibc)
import Glibc
#endif

/// The line editor on a real pseudo-terminal: raw mode while reading, keys, history, Ctrl-C, Ctrl-D, the
/// terminal's settings restored, and plain reads when the input is not a terminal.
@Suite struct TerminalLineEditorTests {
    /// A pseudo-terminal pair whose keys are typed into `controller` and read by the editor from `device`.
    final class PseudoTerminal: @unchecked Sendable {
        let controller: Int32
        let device: Int32
        private let hungUp = Mutex(false)

        init() throws {
            var controller: Int32 = -1
            var device: Int32 = -1
            guard openpty(&controller, &device, nil, nil, nil) == 0 else {
                throw PseudoTerminalError(message: "openpty failed: errno \(errno)")
            }
            self.controller = controller
            self.device = device
            // Raw from the start, so the typed keys reach the editor as bytes (not edited by the line
            // discipline before the editor switches modes).
            var settings = termios()
            tcgetattr(device, &settings)
            cfmakeraw(&settings)
            tcsetattr(device, TCSANOW, &settings)
        }

        func type(_ keys: String) {
            var bytes = Array(keys.utf8)
            _ = bytes.withUnsafeMutableBytes { write(controller, $0.baseAddress, $0.count) }
        }

        func settings() -> termios {
            var settings = termios()
            tcgetattr(device, &settings)
            return settings
        }

        /// Closes the controlling side, as a terminal window closing does.
        func hangUp() {
            hungUp.withLock { closed in
                if !closed { close(controller) }
                closed = true
            }
        }

        deinit {
            hangUp()
            close(device)
        }
    }

    struct PseudoTerminalError: Error {
        var message: String
    }

    @Test func readsTypedLinesAndDrawsThePrompt() throws {
        let terminal = try PseudoTerminal()
        let capture = CapturingConsole(terminal: true)
        let editor = TerminalLineEditor(console: capture.console, history: [], input: terminal.device)
        terminal.type("SELECT 1;\rhelo\u{1B}[Dl\r")
        #expect(editor.readLine(prompt: "dictdb> ") == "SELECT 1;")
        #expect(editor.readLine(prompt: "dictdb> ") == "hello")
        #expect(capture.output.contains("\rdictdb> SELECT 1;"))
        #expect(!editor.wasInterrupted)
    }

    @Test func recallsHistoryWithTheArrowKeys() throws {
        let terminal = try PseudoTerminal()
        let capture = CapturingConsole(terminal: true)
        let editor = TerminalLineEditor(
            console: capture.console, history: ["SELECT 1;", "", "SELECT 2;"], input: terminal.device)
        #expect(editor.history == ["SELECT 1;", "SELECT 2;"])
        terminal.type("\u{1B}[A\u{1B}[A\r")
        #expect(editor.readLine(prompt: "> ") == "SELECT 1;")
        editor.addHistory("SELECT 3;")
        editor.addHistory("SELECT 3;")
        #expect(editor.history == ["SELECT 1;", "SELECT 2;", "SELECT 3;"])
    }

    @Test func ctrlCDropsTheLineAndCtrlDEndsTheInput() throws {
        let terminal = try PseudoTerminal()
        let capture = CapturingConsole(terminal: true)
        let editor = TerminalLineEditor(console: capture.console, history: [], input: terminal.device)
        terminal.type("garbage\u{3}\u{4}")
        #expect(editor.readLine(prompt: "> ") == "")
        #expect(editor.wasInterrupted)
        #expect(capture.output.contains("^C"))
        #expect(editor.readLine(prompt: "> ") == nil)
    }

    @Test func restoresTheTerminalSettingsAfterEveryLine() throws {
        let terminal = try PseudoTerminal()
        // Start from cooked settings, as a shell leaves them.
        var cooked = terminal.settings()
        cooked.c_lflag |= tcflag_t(ICANON | ECHO | ISIG)
        tcsetattr(terminal.device, TCSANOW, &cooked)
        let before = terminal.settings()
        let capture = CapturingConsole(terminal: true)
        let editor = TerminalLineEditor(console: capture.console, history: [], input: terminal.device)
        // Typed after raw mode is on: a short delay on another thread.
        let controller = terminal.controller
        let typist = Thread {
            usleep(100_000)
            var bytes = Array("abc\r".utf8)
            _ = bytes.withUnsafeMutableBytes { write(controller, $0.baseAddress, $0.count) }
        }
        typist.start()
        #expect(editor.readLine(prompt: "> ") == "abc")
        let after = terminal.settings()
        #expect(after.c_lflag == before.c_lflag)
        #expect(after.c_iflag == before.c_iflag)
    }

    @Test func handsOverTheTypedTextWhenTheTerminalHangsUp() throws {
        let terminal = try PseudoTerminal()
        let capture = CapturingConsole(terminal: true)
        let editor = TerminalLineEditor(console: capture.console, history: [], input: terminal.device)
        terminal.type("partial")
        // The hang-up comes while the editor waits for more keys (a hang-up discards unread input).
        let hangUp = Thread {
            usleep(150_000)
            terminal.hangUp()
        }
        hangUp.start()
        #expect(editor.readLine(prompt: "> ") == "partial")
        #expect(editor.readLine(prompt: "> ") == nil)
    }

    @Test func readsPlainLinesWhenTheInputIsNotATerminal() throws {
        var pipeEnds: [Int32] = [-1, -1]
        #expect(pipe(&pipeEnds) == 0)
        defer {
            close(pipeEnds[0])
            close(pipeEnds[1])
        }
        let capture = CapturingConsole(terminal: true, readLine: { "from the console" })
        let editor = TerminalLineEditor(console: capture.console, history: [], input: pipeEnds[0])
        #expect(editor.readLine(prompt: "> ") == "from the console")
    }
}
