import DictDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exit statuses of `dictdb`, one per kind of failure, so scripts can branch on them.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Everything worked.
    case success = 0
    /// A query or constraint error: bad statement, schema violation, duplicate key, unique violation...
    case queryError = 1
    /// The command line is wrong: unknown command or option, missing or bad argument.
    case usage = 2
    /// Something named does not exist: a database, file, table, index, key or backup.
    case notFound = 3
    /// A file is damaged, of an unknown format, or needs a plugin this build lacks.
    case corrupt = 4
    /// A system call failed, the database is locked by another process, or it turned read-only.
    case ioError = 5

    /// The status for a DictDB error.
    ///
    /// A failed system call whose `errno` says the file is missing (`ENOENT`, `ENOTDIR`) is ``notFound``.
    public init(for error: DictDBError) {
        switch error.code {
        case .tableNotFound, .keyNotFound, .indexNotFound:
            self = .notFound
        case .corrupt, .unsupportedFormat, .unknownPlugin, .compression:
            self = .corrupt
        case .io:
            let code = (error.underlying as? SystemError)?.errno
            self = code == ENOENT || code == ENOTDIR ? .notFound : .ioError
        case .locked, .readOnly:
            self = .ioError
        case .invalidArgument:
            self = .usage
        case .limitExceeded where error.context.path != nil:
            // A file past a reader's limits (nesting, string length) is as unreadable as a damaged one.
            self = .corrupt
        default:
            self = .queryError
        }
    }

    /// The table printed by `dictdb --help` and the README.
    static let helpText = """
        EXIT STATUS:
          0  success
          1  query or constraint error (syntax, schema, duplicate or unique key)
          2  usage error (unknown command or option, bad argument)
          3  not found (database, file, table, index, key, backup)
          4  corrupt or incompatible file (checksum, format, missing plugin)
          5  I/O error (system call failed, database locked or read-only)
        """
}

/// A failure the command line reports itself, with its exit status.
///
/// Commands throw it for conditions that are not DictDB errors (no database at the path, a table option
/// missing) and wrap DictDB errors that need a better sentence.
public struct CommandFailure: Error, Sendable, CustomStringConvertible {
    /// The status `dictdb` exits with.
    public var status: ExitStatus
    /// One line saying what went wrong and, where possible, what to do.
    public var message: String

    /// Creates a failure.
    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// A query-language error with the statement it came from, so the report can point at the offending token.
struct StatementFailure: Error {
    var error: DictDBError
    var statement: String
}
