import DictDB
import Hummingbird
import Logging

/// Turns every failure into a JSON error response with the right status: database errors by their code,
/// HTTP errors (unknown route, wrong method) by their status, anything else as `500`.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let stats: ServerStats
    /// The registered endpoints, to tell a wrong method (`405`) from an unknown path (`404`).
    let routes: RouteTable

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        stats.requestStarted()
        defer { stats.requestFinished() }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // The router found no handler: a known path with another method is 405, with `Allow`.
            let allowed = routes.methods(for: request.uri.path)
            guard !allowed.isEmpty else {
                stats.failed(.notFound)
                return JSONResponse.make(Self.apiError(for: error))
            }
            stats.failed(.methodNotAllowed)
            var response = JSONResponse.make(
                APIError(
                    status: .methodNotAllowed, code: "methodNotAllowed",
                    message: "\(request.method) is not allowed here; use \(allowed.joined(separator: ", "))"))
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        } catch {
            let apiError = Self.apiError(for: error)
            stats.failed(apiError.status)
            if apiError.status.code >= 500 {
                context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            }
            return JSONResponse.make(apiError)
        }
    }

    /// The API form of any error.
    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as DictDBError:
            return APIError(error)
        case let error as HTTPError:
            let code: String
            switch error.status {
            case .notFound: code = "routeNotFound"
            case .methodNotAllowed: code = "methodNotAllowed"
            case .contentTooLarge: code = DictDBError.Code.limitExceeded.rawValue
            default: code = "httpError"
            }
            let message =
                error.status == .notFound
                ? "no such endpoint; see openapi.json for the API" : (error.body ?? error.status.reasonPhrase)
            return APIError(status: error.status, code: code, message: message)
        default:
            // Logged in full by `handle`; the client learns only that it was the server's fault.
            return APIError(
                status: .internalServerError, code: "internal", message: "internal error; see the server log")
        }
    }
}
