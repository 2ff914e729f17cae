import DictDBAPI

// JSON object and array literals inside query text (`INSERT INTO t VALUES {"a": 1}`, `tags = ["x", "y"]`),
// read by RFC 8259: integers that fit stay `.int` (`1` is an int, `1.0` a double), other integers are an
// error rather than a silently rounded double, doubles must be finite, keys may not repeat, and nesting is
// limited so hostile input cannot exhaust the stack.

extension Lexer {
    /// Reads the JSON object or array starting at the current `{` or `[`.
    /// - Throws: ``DictDBError/Code/invalidQuery`` for malformed JSON, ``DictDBError/Code/limitExceeded``
    ///   past the nesting limit.
    mutating func jsonLiteral() throws(DictDBError) -> Value {
        try jsonValue(depth: 0)
    }

    private mutating func jsonValue(depth: Int) throws(DictDBError) -> Value {
        skipJSONWhitespace()
        guard position < bytes.count else {
            throw SyntaxError.invalid("a JSON literal ends before its value", at: position, found: "end of input")
        }
        let start = position
        switch bytes[start] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < maximumDepth else {
                throw SyntaxError.limit("a JSON literal nests deeper than \(maximumDepth) levels", at: start)
            }
            return bytes[start] == UInt8(ascii: "{")
                ? try jsonObject(depth: depth + 1) : try jsonArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return .string(try jsonString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try jsonNumber()
        default:
            for (word, value) in [("true", Value.bool(true)), ("false", .bool(false)), ("null", .null)]
            where hasPrefix(word, at: start) {
                position += word.utf8.count
                return value
            }
            throw jsonError("expected a JSON value", at: start)
        }
    }

    private mutating func jsonArray(depth: Int) throws(DictDBError) -> Value {
        position += 1
        var elements: [Value] = []
        skipJSONWhitespace()
        if consume(UInt8(ascii: "]")) { return .array(elements) }
        while true {
            elements.append(try jsonValue(depth: depth))
            skipJSONWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "]")) { return .array(elements) }
            throw jsonError("expected ',' or ']' in a JSON array", at: position)
        }
    }

    private mutating func jsonObject(depth: Int) throws(DictDBError) -> Value {
        position += 1
        var names: [String] = []
        var values: [Value] = []
        var seen = Set<String>()
        skipJSONWhitespace()
        if !consume(UInt8(ascii: "}")) {
            while true {
                skipJSONWhitespace()
                let keyOffset = position
                guard position < bytes.count && bytes[position] == UInt8(ascii: "\"") else {
                    throw jsonError("expected a quoted key in a JSON object", at: position)
                }
                let key = try jsonString()
                guard seen.insert(key).inserted else {
                    throw SyntaxError.invalid(
                        "the key \(Value.string(key)) appears twice in one JSON object", at: keyOffset, found: key)
                }
                skipJSONWhitespace()
                guard consume(UInt8(ascii: ":")) else { throw jsonError("expected ':' after a JSON key", at: position) }
                names.append(key)
                values.append(try jsonValue(depth: depth))
                skipJSONWhitespace()
                if consume(UInt8(ascii: ",")) { continue }
                if consume(UInt8(ascii: "}")) { break }
                throw jsonError("expected ',' or '}' in a JSON object", at: position)
            }
        }
        // Keys are distinct, so the record is built in linear time.
        return .object(Record(sharedFieldNames: names, values: values))
    }

    // MARK: Strings

    private mutating func jsonString() throws(DictDBError) -> String {
        let start = position
        position += 1
        var content: [UInt8] = []
        var runStart = position
        while true {
            guard position < bytes.count else {
                throw SyntaxError.invalid(
                    "unterminated JSON string", at: start, found: SyntaxError.abbreviated(text(start..<bytes.count)))
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                content.append(contentsOf: bytes[runStart..<position])
                position += 1
                return String(decoding: content, as: UTF8.self)
            }
            if byte < 0x20 {
                throw SyntaxError.invalid(
                    "control character U+00\(byte < 0x10 ? "0" : "")\(String(byte, radix: 16, uppercase: true)) "
                        + "must be escaped in a JSON string", at: position)
            }
            if byte == UInt8(ascii: "\\") {
                content.append(contentsOf: bytes[runStart..<position])
                let scalar = try jsonEscape()
                content.append(contentsOf: String(scalar).utf8)
                runStart = position
                continue
            }
            position += 1
        }
    }

    /// Reads the escape at the current backslash.
    private mutating func jsonEscape() throws(DictDBError) -> Unicode.Scalar {
        let start = position
        guard position + 1 < bytes.count else { throw jsonError("unterminated escape in a JSON string", at: start) }
        let letter = bytes[position + 1]
        position += 2
        switch letter {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try hexQuad(escapeAt: start)
            if (0xD800..<0xDC00).contains(high) {
                let lowStart = position
                guard hasPrefix("\\u", at: position) else {
                    throw jsonError("a high surrogate \\u escape must be followed by a low one", at: start)
                }
                position += 2
                let low = try hexQuad(escapeAt: lowStart)
                guard (0xDC00..<0xE000).contains(low) else {
                    throw jsonError("a high surrogate \\u escape must be followed by a low one", at: start)
                }
                if let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) { return scalar }
            } else if let scalar = Unicode.Scalar(high) {
                return scalar
            }
            throw jsonError("a lone surrogate \\u escape is not a character", at: start)
        default:
            throw jsonError("unknown escape in a JSON string", at: start)
        }
    }

    private mutating func hexQuad(escapeAt start: Int) throws(DictDBError) -> UInt32 {
        guard position + 4 <= bytes.count,
            let value = UInt32(text(position..<position + 4), radix: 16),
            bytes[position..<position + 4].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
        else {
            throw jsonError("expected four hex digits after \\u", at: start)
        }
        position += 4
        return value
    }

    // MARK: Numbers

    /// Reads `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    private mutating func jsonNumber() throws(DictDBError) -> Value {
        let start = position
        _ = consume(UInt8(ascii: "-"))
        guard position < bytes.count, Self.isDigit(bytes[position]) else {
            throw jsonError("expected a digit in a JSON number", at: start)
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count && Self.isDigit(bytes[position]) {
                throw jsonError("a JSON number cannot have a leading zero", at: start)
            }
        } else {
            skipJSONDigits()
        }
        var isDouble = false
        if consume(UInt8(ascii: ".")) {
            guard position < bytes.count && Self.isDigit(bytes[position]) else {
                throw jsonError("expected a digit after the decimal point in a JSON number", at: start)
            }
            skipJSONDigits()
            isDouble = true
        }
        if position < bytes.count && (bytes[position] | 0x20) == UInt8(ascii: "e") {
            position += 1
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard position < bytes.count && Self.isDigit(bytes[position]) else {
                throw jsonError("expected digits in the exponent of a JSON number", at: start)
            }
            skipJSONDigits()
            isDouble = true
        }
        let literal = text(start..<position)
        if isDouble {
            guard let value = Double(literal), value.isFinite else {
                throw SyntaxError.invalid(
                    "number \(SyntaxError.abbreviated(literal)) is out of the range of a double", at: start,
                    found: SyntaxError.abbreviated(literal))
            }
            return .double(value)
        }
        guard let value = Int64(literal) else {
            let shown = SyntaxError.abbreviated(literal)
            throw SyntaxError.invalid(
                "integer \(shown) is out of the 64-bit range; write \(shown).0 for a double", at: start, found: shown)
        }
        return .int(value)
    }

    private mutating func skipJSONDigits() {
        while position < bytes.count && Self.isDigit(bytes[position]) { position += 1 }
    }

    // MARK: Helpers

    private mutating func skipJSONWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count && bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private func hasPrefix(_ word: String, at offset: Int) -> Bool {
        let utf8 = Array(word.utf8)
        return offset + utf8.count <= bytes.count && Array(bytes[offset..<offset + utf8.count]) == utf8
    }

    private func jsonError(_ message: String, at offset: Int) -> DictDBError {
        guard offset < bytes.count else {
            return SyntaxError.invalid("\(message), found the end of the input", at: offset, found: "end of input")
        }
        let found = String(scalar(at: offset))
        return SyntaxError.invalid("\(message), found '\(found)'", at: offset, found: found)
    }
}
