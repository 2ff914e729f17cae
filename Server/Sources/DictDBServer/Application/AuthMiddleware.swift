import Hummingbird

/// Requires `Authorization: Bearer <token>` on every request except `GET /health`, comparing the token in
/// constant time.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.method == .get && request.uri.path == "/health" {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("this server requires Authorization: Bearer <token>")
        }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix.lowercased()) else {
            throw APIError.unauthorized("the Authorization header must be Bearer <token>")
        }
        guard Self.constantTimeEquals(String(header.dropFirst(prefix.count)), token) else {
            throw APIError.unauthorized("wrong token")
        }
        return try await next(request, context)
    }

    /// Compares `given` with `expected` in a time that depends only on the length of `expected`.
    static func constantTimeEquals(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(expected.utf8)
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for index in 0..<b.count {
            difference |= b[index] ^ (index < a.count ? a[index] : 0)
        }
        return difference == 0
    }
}
