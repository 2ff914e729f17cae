import DictDB
import Hummingbird

/// Every ``DictDBError/Code`` the server knows, so that the mapping to HTTP statuses is a `switch` without
/// a `default`.
///
/// `DictDBError.Code` is an open struct, so a new code cannot break this switch by itself; the test
/// `ErrorStatusTests` compares this list with `DictDBError.Code.allCases` and fails when one is missing.
public enum KnownErrorCode: String, CaseIterable, Sendable {
    /// See ``DictDBError/Code/invalidArgument``.
    case invalidArgument
    /// See ``DictDBError/Code/invalidValue``.
    case invalidValue
    /// See ``DictDBError/Code/invalidQuery``.
    case invalidQuery
    /// See ``DictDBError/Code/tableExists``.
    case tableExists
    /// See ``DictDBError/Code/tableNotFound``.
    case tableNotFound
    /// See ``DictDBError/Code/duplicateKey``.
    case duplicateKey
    /// See ``DictDBError/Code/keyNotFound``.
    case keyNotFound
    /// See ``DictDBError/Code/invalidKey``.
    case invalidKey
    /// See ``DictDBError/Code/uniqueViolation``.
    case uniqueViolation
    /// See ``DictDBError/Code/schemaViolation``.
    case schemaViolation
    /// See ``DictDBError/Code/indexExists``.
    case indexExists
    /// See ``DictDBError/Code/indexNotFound``.
    case indexNotFound
    /// See ``DictDBError/Code/unknownPlugin``.
    case unknownPlugin
    /// See ``DictDBError/Code/conversionFailed``.
    case conversionFailed
    /// See ``DictDBError/Code/io``.
    case io
    /// See ``DictDBError/Code/corrupt``.
    case corrupt
    /// See ``DictDBError/Code/unsupportedFormat``.
    case unsupportedFormat
    /// See ``DictDBError/Code/limitExceeded``.
    case limitExceeded
    /// See ``DictDBError/Code/compression``.
    case compression
    /// See ``DictDBError/Code/locked``.
    case locked
    /// See ``DictDBError/Code/readOnly``.
    case readOnly
    /// See ``DictDBError/Code/invalidState``.
    case invalidState

    /// The HTTP status a failure with this code answers with.
    public var status: HTTPResponse.Status {
        switch self {
        // The request is malformed or names something that cannot work.
        case .invalidArgument, .invalidValue, .invalidQuery, .invalidKey, .unknownPlugin, .conversionFailed:
            return .badRequest
        // The request names something that does not exist.
        case .tableNotFound, .keyNotFound, .indexNotFound:
            return .notFound
        // The request conflicts with what is stored: a constraint or an existing name.
        case .tableExists, .duplicateKey, .uniqueViolation, .schemaViolation, .indexExists:
            return .conflict
        // A body, nesting, batch or result size limit.
        case .limitExceeded:
            return .contentTooLarge
        // The server's own files failed.
        case .io, .corrupt, .unsupportedFormat, .compression:
            return .internalServerError
        // The database cannot serve writes now: read-only after an fsync failure, held elsewhere, or closed
        // (shutting down).
        case .readOnly, .locked, .invalidState:
            return .serviceUnavailable
        }
    }

    /// The status for any DictDB error; a code this server does not know yet answers `500`.
    public static func status(for error: DictDBError) -> HTTPResponse.Status {
        KnownErrorCode(rawValue: error.code.rawValue)?.status ?? .internalServerError
    }
}
