import DictDB
import Hummingbird

/// A failure as the API reports it: an HTTP status and a JSON body `{"error": {"code", "message"}}`.
///
/// Database failures keep their ``DictDBError`` code (`tableNotFound`, `duplicateKey`...); the server adds
/// `unauthorized` (401), `routeNotFound` (404), `methodNotAllowed` (405) and `httpError` for the other
/// statuses the HTTP layer produces.
public struct APIError: Error, Sendable, Hashable {
    /// The response status.
    public var status: HTTPResponse.Status
    /// The machine-readable code.
    public var code: String
    /// A sentence a person can act on.
    public var message: String
    /// The table, field, key or index involved, when known (from ``DictDBError/context``).
    public var context: [String: String]

    /// Creates an error.
    public init(status: HTTPResponse.Status, code: String, message: String, context: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.context = context
    }

    /// The API form of a database error: its code, message and context, with the status of
    /// ``KnownErrorCode/status``.
    public init(_ error: DictDBError) {
        var context: [String: String] = [:]
        if let table = error.context.table { context["table"] = table }
        if let field = error.context.field { context["field"] = field }
        if let key = error.context.key { context["key"] = key.description }
        if let index = error.context.index { context["index"] = index }
        if let offset = error.context.offset { context["offset"] = String(offset) }
        if let expected = error.context.expected { context["expected"] = expected }
        if let found = error.context.found { context["found"] = found }
        // Paths are left out on purpose: a client has no business learning the server's file layout. The
        // message names the file alone.
        var message = error.message
        if let path = error.context.path, path.contains("/") {
            let name = FilePathName.last(path)
            message = message.replacing(path, with: name)
            let directory = String(path.dropLast(name.count))
            if directory.count > 1 { message = message.replacing(directory, with: "") }
        }
        self.init(
            status: KnownErrorCode.status(for: error), code: error.code.rawValue, message: message, context: context)
    }

    /// `401`: the request carries no token, or the wrong one.
    public static func unauthorized(_ message: String) -> APIError {
        APIError(status: .unauthorized, code: "unauthorized", message: message)
    }
}
