import DictDB
import Hummingbird

/// Builds JSON responses from DictDB values (compact JSON; integers and doubles stay distinct).
enum JSONResponse {
    /// A response whose body is `value` as JSON.
    static func make(_ value: Value, status: HTTPResponse.Status = .ok) -> Response {
        var text = value.description
        text += "\n"
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A response for `error`: `{"error": {"code", "message", "context"?}}`.
    static func make(_ error: APIError) -> Response {
        var body: Record = ["code": .string(error.code), "message": .string(error.message)]
        if !error.context.isEmpty {
            body["context"] = .object(
                Record(fields: error.context.sorted { $0.key < $1.key }.map { ($0, .string($1)) }))
        }
        var response = make(.object(["error": .object(body)]), status: error.status)
        if error.status == .unauthorized {
            response.headers[.wwwAuthenticate] = "Bearer"
        }
        return response
    }
}
