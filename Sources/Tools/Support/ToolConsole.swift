#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a tool talks: results on standard output, diagnostics on standard error, and the exit codes
/// every developer tool shares (0 ok, 1 failure, 2 usage error).
public enum ToolConsole {
    /// Writes `text` and a newline to standard error at once (unbuffered, so it survives a crash).
    public static func printError(_ text: String) {
        write(text + "\n", to: 2)
    }

    /// Writes `text` and a newline to standard output at once, in order with ``printError(_:)``.
    public static func printOutput(_ text: String) {
        write(text + "\n", to: 1)
    }

    /// Writes all of `text` to the file descriptor, retrying after short writes and EINTR.
    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while offset < buffer.count {
                #if canImport(Darwin)
                let written = Darwin.write(descriptor, base + offset, buffer.count - offset)
                #else
                let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
                #endif
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// Reports a usage error the way every tool does (`tool: message`, then a pointer to `--help`) and
    /// exits with status 2.
    public static func exitWithUsageError(_ error: UsageError, tool: String) -> Never {
        printError("\(tool): \(error.message)")
        printError("Try '\(tool) --help'.")
        exit(2)
    }

    /// The value of an environment variable, if set.
    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

/// Elapsed time for the tools' reports.
public struct Stopwatch: Sendable {
    private let start = ContinuousClock.now

    /// Starts timing now.
    public init() {}

    /// Milliseconds since the stopwatch started.
    public var milliseconds: Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    /// Seconds since the stopwatch started.
    public var seconds: Double { milliseconds / 1000 }
}

/// Formats numbers for the tools' tables.
public enum NumberText {
    /// `value` with `digits` digits after the point: `fixed(3.14159, 2)` is `3.14`.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<max(0, digits) { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        let whole = Int64(rounded / scale)
        var text = (value < 0 && rounded > 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let fraction = Int64(rounded - Double(whole) * scale)
            let digitsText = String(fraction)
            text += "." + String(repeating: "0", count: max(0, digits - digitsText.count)) + digitsText
        }
        return text
    }

    /// A byte count as `812 B`, `12.3 KiB` or `4.56 MiB`.
    public static func bytes(_ count: Int64) -> String {
        if count < 1024 { return "\(count) B" }
        if count < 1024 * 1024 { return fixed(Double(count) / 1024, 1) + " KiB" }
        return fixed(Double(count) / (1024 * 1024), 2) + " MiB"
    }
}
