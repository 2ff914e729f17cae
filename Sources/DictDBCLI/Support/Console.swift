import DictDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes and reads, and what kind of terminal that is.
///
/// Commands never print directly: they write to a console, so tests hand them one that captures output
/// (built with ``init(output:error:isInputTerminal:environment:isProcessTerminal:readLine:)`` and
/// ``Stream``s that collect the text) while `dictdb` uses ``standard``.
public final class Console: @unchecked Sendable {
    /// A place text goes to.
    public struct Stream: Sendable {
        /// Writes the text as given (no newline is added).
        public var write: @Sendable (String) -> Void
        /// Whether the stream is a terminal (colours and progress bars only go to terminals).
        public var isTerminal: Bool

        /// Creates a stream.
        public init(isTerminal: Bool, write: @escaping @Sendable (String) -> Void) {
            self.isTerminal = isTerminal
            self.write = write
        }
    }

    /// Standard output: results.
    public let output: Stream
    /// Standard error: errors, notes and progress.
    public let error: Stream
    /// Reads one line of input without its newline, or `nil` at the end of the input.
    public let readLine: @Sendable () -> String?
    /// Whether standard input is a terminal (the REPL edits lines and shows a prompt only then).
    public let isInputTerminal: Bool
    /// The environment variables the commands consult (`DICTDB_PATH`, `NO_COLOR`, `HOME`, `COLUMNS`).
    public let environment: [String: String]
    /// Whether this console is the process's own terminal (stdin and stdout both terminals), so the REPL may
    /// switch it to raw mode for line editing.
    public let isProcessTerminal: Bool

    /// Creates a console.
    public init(
        output: Stream, error: Stream, isInputTerminal: Bool = false,
        environment: [String: String] = [:], isProcessTerminal: Bool = false,
        readLine: @escaping @Sendable () -> String? = { nil }
    ) {
        self.isProcessTerminal = isProcessTerminal
        self.output = output
        self.error = error
        self.isInputTerminal = isInputTerminal
        self.environment = environment
        self.readLine = readLine
    }

    /// The process's standard streams and environment.
    public static var standard: Console {
        Console(
            output: Stream(isTerminal: isatty(STDOUT_FILENO) == 1) { StandardStream.write($0, to: STDOUT_FILENO) },
            error: Stream(isTerminal: isatty(STDERR_FILENO) == 1) { StandardStream.write($0, to: STDERR_FILENO) },
            isInputTerminal: isatty(STDIN_FILENO) == 1,
            environment: ProcessEnvironment.current,
            isProcessTerminal: isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1,
            readLine: { Swift.readLine(strippingNewline: true) })
    }

    /// Whether colours may be used on `stream`: only on a terminal, never with `NO_COLOR` set (to anything),
    /// never with `TERM=dumb`.
    public func usesColor(on stream: Stream) -> Bool {
        stream.isTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    /// The terminal's width in columns (from `COLUMNS`, else the terminal, else 80).
    public var terminalWidth: Int {
        if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
        var size = winsize()
        if output.isTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return 80
    }

    /// Writes a line to standard output.
    public func print(_ line: String) { output.write(line + "\n") }

    /// Writes a line to standard error.
    public func note(_ line: String) { error.write(line + "\n") }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif

/// Unbuffered writes of whole strings to a file descriptor.
enum StandardStream {
    static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let n = systemWrite(descriptor, base + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

/// The process environment as a dictionary.
enum ProcessEnvironment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
