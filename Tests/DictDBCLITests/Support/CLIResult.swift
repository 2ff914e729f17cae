import Testing

/// What one run of the `dictdb` executable did: its exit status and everything it wrote.
struct CLIResult: Sendable, CustomStringConvertible {
    /// The exit status, or the signal's number when ``signal`` is set.
    var status: Int32
    /// The signal that ended the process, if one did (a trap is `SIGILL` or `SIGTRAP`).
    var signal: Int32?
    /// Everything written to standard output.
    var stdout: String
    /// Everything written to standard error.
    var stderr: String

    /// The lines of standard output (split at LF or CRLF), without the final newline (empty lines kept).
    var stdoutLines: [String] { Self.lines(of: stdout) }

    /// The lines of standard error (split at LF or CRLF), without the final newline (empty lines kept).
    var stderrLines: [String] { Self.lines(of: stderr) }

    var description: String {
        let ending = signal.map { "killed by signal \($0)" } ?? "exit status \(status)"
        return "\(ending)\n--- stdout ---\n\(stdout.prefix(4_000))\n--- stderr ---\n\(stderr.prefix(4_000))"
    }

    private static func lines(of text: String) -> [String] {
        // CSV ends its lines with CRLF, a single Character in Swift.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

extension CLIResult {
    /// Expects exit status 0 and nothing on stderr.
    func expectSuccess(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == 0 && signal == nil, "\(self)", sourceLocation: sourceLocation)
        #expect(stderr.isEmpty, "\(self)", sourceLocation: sourceLocation)
    }

    /// Expects exit status `status`, nothing on stdout, and a single `error: ` line on stderr holding every
    /// one of `fragments`.
    func expectFailure(
        _ status: Int32, mentioning fragments: String..., sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(self.status == status && signal == nil, "\(self)", sourceLocation: sourceLocation)
        #expect(stdout.isEmpty, "\(self)", sourceLocation: sourceLocation)
        #expect(stderrLines.count == 1, "\(self)", sourceLocation: sourceLocation)
        #expect(stderr.hasPrefix("error: "), "\(self)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(stderr.contains(fragment), "no '\(fragment)' in: \(self)", sourceLocation: sourceLocation)
        }
    }

    /// Expects a parse error: exit status 1, and on stderr `error: line L, column C: ...`, the statement's
    /// line, and a caret under column C.
    func expectSyntaxError(line: Int, column: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == 1 && signal == nil, "\(self)", sourceLocation: sourceLocation)
        let lines = stderrLines
        #expect(lines.count == 3, "\(self)", sourceLocation: sourceLocation)
        guard lines.count == 3 else { return }
        #expect(
            lines[0].hasPrefix("error: line \(line), column \(column): "), "\(self)", sourceLocation: sourceLocation)
        #expect(
            lines[2] == String(repeating: " ", count: column - 1) + "^", "\(self)", sourceLocation: sourceLocation)
    }

    /// Expects the process to have ended by itself with a documented failure status (1...5) and an
    /// explanation on stderr: never a crash.
    func expectHandledFailure(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(signal == nil, "\(self)", sourceLocation: sourceLocation)
        #expect((1...5).contains(status), "\(self)", sourceLocation: sourceLocation)
        #expect(stderr.hasPrefix("error: "), "\(self)", sourceLocation: sourceLocation)
    }
}

extension String {
    /// CSV text as `dictdb` writes it: the lines, each ended with CRLF (RFC 4180).
    static func csv(_ lines: String...) -> String {
        lines.map { $0 + "\r\n" }.joined()
    }
}
