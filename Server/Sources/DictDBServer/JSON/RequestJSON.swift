import DictDB

/// Parses request bodies with DictDB's own JSON reader, which keeps integers and doubles apart, keeps
/// field order, and enforces depth and size limits before allocating.
enum RequestJSON {
    /// Parses `bytes` as exactly one JSON object.
    /// - Throws: ``DictDBError/Code/invalidArgument`` for anything but one well-formed object (malformed
    ///   JSON, invalid UTF-8, an array, trailing bytes), ``DictDBError/Code/limitExceeded`` past `maxDepth`,
    ///   ``DictDBError/Code/invalidValue`` for a number out of range.
    static func object(from bytes: [UInt8], maxDepth: Int) throws(DictDBError) -> Record {
        guard let first = bytes.first(where: { !isWhitespace($0) }) else {
            throw DictDBError(.invalidArgument, "the request body is empty; send a JSON object")
        }
        guard first == UInt8(ascii: "{") else {
            throw DictDBError(.invalidArgument, "the request body must be a JSON object")
        }
        // The record reader reads a JSON array of objects: wrap the body in one, so a body holding more
        // than one object (`{},{}`) or bytes after the object fails as a second record or trailing bytes.
        var wrapped: [UInt8] = [UInt8(ascii: "[")]
        wrapped.reserveCapacity(bytes.count + 2)
        wrapped += bytes
        wrapped.append(UInt8(ascii: "]"))
        // Depth counts the wrapping array.
        let limits = DecodingLimits(maxDepth: maxDepth + 1, maxStringBytes: bytes.count)
        do throws(DictDBError) {
            let reader = try makeRecordReader(format: .json, from: BufferSource(wrapped), limits: limits)
            guard let record = try reader.next() else {
                throw DictDBError(.invalidArgument, "the request body must be a JSON object")
            }
            guard try reader.next() == nil else {
                throw DictDBError(.invalidArgument, "the request body must hold one JSON object, not several")
            }
            return record
        } catch {
            switch error.code {
            case .limitExceeded:
                throw DictDBError(
                    .limitExceeded, "the request body is nested deeper than \(maxDepth) levels or too large")
            case .invalidValue, .invalidArgument:
                throw error
            default:
                throw DictDBError(.invalidArgument, "the request body is not valid JSON: \(error.message)")
            }
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
