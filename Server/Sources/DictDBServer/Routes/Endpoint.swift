import Hummingbird
import NIOConcurrencyHelpers

/// One endpoint of the API: a method and a path in OpenAPI form (`/tables/{table}`).
public struct Endpoint: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// The HTTP method, upper case (`GET`).
    public var method: String
    /// The path with `{parameter}` placeholders.
    public var path: String

    /// Creates an endpoint.
    public init(method: String, path: String) {
        self.method = method
        self.path = path
    }

    /// `GET /tables/{table}`.
    public var description: String { "\(method) \(path)" }

    /// Orders by path, then method.
    public static func < (lhs: Endpoint, rhs: Endpoint) -> Bool {
        (lhs.path, lhs.method) < (rhs.path, rhs.method)
    }
}

/// Registers handlers on a router and remembers every (method, path), so the OpenAPI document can be
/// checked against the routes that really exist.
final class RouteRecorder<Context: RequestContext> {
    let router: Router<Context>
    private(set) var endpoints: [Endpoint] = []

    init(router: Router<Context>) {
        self.router = router
    }

    /// Adds `handler` for `method` on `path` (Hummingbird form: `/tables/:table`).
    func on(
        _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping @Sendable (Request, Context) async throws -> Response
    ) {
        router.on(RouterPath(path), method: method, use: handler)
        let openAPIPath = path.split(separator: "/").map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }
        endpoints.append(Endpoint(method: method.rawValue, path: "/" + openAPIPath.joined(separator: "/")))
    }
}

/// The registered endpoints, for answering a known path with the wrong method `405` (the router alone
/// answers `404`). Filled once the routes are registered, before the server runs.
final class RouteTable: Sendable {
    private let endpoints = NIOLockedValueBox<[Endpoint]>([])

    /// Replaces the endpoints.
    func set(_ endpoints: [Endpoint]) {
        self.endpoints.withLockedValue { $0 = endpoints }
    }

    /// The methods registered for `path` (a request path, matched segment by segment the way the router
    /// does: empty segments ignored, `{parameter}` matching any segment), sorted; empty for an unknown path.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        let methods = endpoints.withLockedValue { endpoints in
            endpoints.filter { endpoint in
                let pattern = endpoint.path.split(separator: "/")
                return pattern.count == segments.count
                    && zip(pattern, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
            }.map(\.method)
        }
        return Set(methods).sorted()
    }
}
