import DictDB
import Hummingbird

/// Reading what a request carries: its body (within the size limit), path parameters and keys.
enum RequestInput {
    /// The body's bytes, refusing more than `limit`.
    /// - Throws: ``DictDBError/Code/limitExceeded`` (413) past `limit`, before reading it all when the
    ///   request declares its length.
    static func bytes(of request: Request, limit: Int) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength], let length = Int(declared), length > limit {
            throw tooLarge(limit)
        }
        var bytes: [UInt8] = []
        for try await chunk in request.body {
            guard bytes.count + chunk.readableBytes <= limit else { throw tooLarge(limit) }
            bytes += chunk.readableBytesView
        }
        return bytes
    }

    /// The body as one JSON object, read strictly.
    static func object(of request: Request, limits: ServerLimits, what: String) async throws -> BodyFields {
        let bytes = try await bytes(of: request, limit: limits.maxBodyBytes)
        return BodyFields(try RequestJSON.object(from: bytes, maxDepth: limits.maxJSONDepth), what: what)
    }

    /// The body as one JSON object (a record), not read strictly: every field is data.
    static func record(of request: Request, limits: ServerLimits) async throws -> Record {
        let bytes = try await bytes(of: request, limit: limits.maxBodyBytes)
        return try RequestJSON.object(from: bytes, maxDepth: limits.maxJSONDepth)
    }

    /// Accepts an empty body or `{}`, and refuses any member.
    static func noArguments(of request: Request, limits: ServerLimits, what: String) async throws {
        let bytes = try await bytes(of: request, limit: limits.maxBodyBytes)
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return }
        try BodyFields(try RequestJSON.object(from: bytes, maxDepth: limits.maxJSONDepth), what: what).finish()
    }

    /// A path parameter.
    static func parameter(_ name: String, of context: some RequestContext) throws -> String {
        guard let value = context.parameters.get(name), !value.isEmpty else {
            throw DictDBError(.invalidArgument, "the path needs a \(name)")
        }
        return value.removingPercentEncodingIfValid
    }

    /// The primary key in the path: an integer when it reads as one (`42`, `-7`), else a string;
    /// `?keyType=string` keeps digits a string.
    static func key(of request: Request, context: some RequestContext) throws -> Value {
        let text = try parameter("key", of: context)
        switch request.uri.queryParameters.get("keyType") {
        case nil, "auto":
            if let number = Int64(text), String(number) == text { return .int(number) }
            return .string(text)
        case "string":
            return .string(text)
        case "int":
            guard let number = Int64(text) else {
                throw DictDBError(.invalidKey, "\(text) is not a 64-bit integer key", context: .init(found: text))
            }
            return .int(number)
        case let other?:
            throw DictDBError(.invalidArgument, "keyType must be auto, string or int, not \(other)")
        }
    }

    private static func tooLarge(_ limit: Int) -> DictDBError {
        DictDBError(.limitExceeded, "the request body is larger than the limit of \(limit) bytes")
    }
}

extension String {
    /// The string with `%XX` escapes decoded when they form valid UTF-8, else unchanged.
    fileprivate var removingPercentEncodingIfValid: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else if byte == UInt8(ascii: "%") {
                return self
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self) ?? self
    }
}
