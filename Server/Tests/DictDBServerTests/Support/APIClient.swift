import DictDB
import Hummingbird
import HummingbirdTesting

@testable import DictDBServer

/// A response, with its body readable as text or as a DictDB value.
struct APIResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: ByteBuffer

    var text: String { String(buffer: body) }

    /// The body as one JSON object.
    func json() throws -> Record {
        try RequestJSON.object(from: Array(body.readableBytesView), maxDepth: 512)
    }

    /// The `error.code` of an error body, or `nil`.
    var errorCode: String? {
        guard let body = try? json(), case .object(let error) = body["error"] else { return nil }
        return error["code"].stringValue
    }
}

/// Sends JSON requests to a live test server, with an optional bearer token.
struct APIClient: Sendable {
    let client: any TestClientProtocol
    var token: String?

    func send(
        _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, headers: HTTPFields = [:]
    ) async throws -> APIResponse {
        var headers = headers
        if let token, headers[.authorization] == nil { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return APIResponse(status: response.status, headers: response.headers, body: response.body)
    }

    func sendBytes(_ method: HTTPRequest.Method, _ uri: String, bytes: [UInt8]) async throws -> APIResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: ByteBuffer(bytes: bytes))
        return APIResponse(status: response.status, headers: response.headers, body: response.body)
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> APIResponse {
        try await send(.get, uri, headers: headers)
    }

    func post(_ uri: String, _ body: String, headers: HTTPFields = [:]) async throws -> APIResponse {
        try await send(.post, uri, body: body, headers: headers)
    }
}
