import ArgumentParser
import DictDB

/// Turns a failure into one line on stderr (plus the statement and a caret for a parse error) and an exit
/// status.
enum ErrorReport {
    static func report(_ error: any Error, console: Console) -> ExitStatus {
        let color = console.usesColor(on: console.error)
        let prefix = color ? "\u{1B}[1;31merror:\u{1B}[0m " : "error: "
        switch error {
        case let failure as CommandFailure:
            console.note(prefix + oneLine(failure.message))
            return failure.status
        case let failure as StatementFailure:
            if failure.error.code == .invalidQuery || failure.error.code == .limitExceeded,
                failure.error.context.offset != nil
            {
                // "line 1, column 10: message", then the line and the caret.
                console.note(prefix + visible(QueryParser.render(failure.error, in: failure.statement)))
            } else {
                console.note(prefix + oneLine(failure.error.description))
            }
            return ExitStatus(for: failure.error)
        case let failure as DictDBError:
            console.note(prefix + oneLine(failure.description))
            return ExitStatus(for: failure)
        case let exit as ExitCode:
            return ExitStatus(rawValue: exit.rawValue) ?? .queryError
        case is ValidationError:
            console.note(prefix + oneLine("\(error)"))
            return .usage
        default:
            console.note(prefix + oneLine("\(error)"))
            return .ioError
        }
    }

    /// The text with line breaks turned into spaces, so an error is one line, and other control characters
    /// shown as `?` (see ``visible(_:)``).
    static func oneLine(_ text: String) -> String {
        visible(String(text.map { $0.isNewline ? " " : $0 }))
    }

    /// The text with control characters other than line breaks and tabs replaced by `?`, one for one, so an
    /// error quoting hostile input cannot drive the terminal and a caret under it stays in its column.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isHidden) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { out.append(isHidden(scalar) ? "?" : scalar) }
        return String(out)
    }

    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar != "\n" && scalar != "\t" && scalar != "\r" && scalar.properties.generalCategory == .control
    }
}
