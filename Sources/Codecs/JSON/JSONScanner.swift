import DictDBAPI

/// Reads JSON values from a ``ByteInput``, within ``DecodingLimits``, with byte offsets in every error.
///
/// Numbers with `.`, `e` or `E` are doubles (finite only), others 64-bit ints; strings are validated as
/// UTF-8 and unescaped (surrogate pairs joined, lone surrogates rejected); an object repeating a key is
/// corrupt. Records read with ``parseRecord()`` share one field-name array with the record before them
/// when their keys are the same, compared as bytes without building strings.
struct JSONScanner {
    /// The bytes being read.
    var input: ByteInput
    /// The limits checked before allocating.
    let limits: DecodingLimits
    /// Collects strings that have escapes or do not fit in one chunk.
    private var scratch: [UInt8] = []
    /// The field names of the last record read by ``parseRecord()``.
    private var shape: RecordShape?

    /// Creates a scanner over `input`.
    init(input: ByteInput, limits: DecodingLimits) {
        self.input = input
        self.limits = limits
    }

    // MARK: Errors

    /// A `corrupt` error at `offset` (the current position by default).
    func corrupt(_ message: String, at offset: Int64? = nil, expected: String? = nil) -> DictDBError {
        CodecErrors.corrupt("json", message, at: offset ?? input.offset, expected: expected)
    }

    /// The error for input that ends where `expected` should be.
    func truncated(_ expected: String) -> DictDBError {
        CodecErrors.truncated("json", at: input.offset, expected: expected)
    }

    private func limit(_ what: String, _ value: Int, at offset: Int64? = nil) -> DictDBError {
        CodecErrors.limit("json", what, limit: value, at: offset ?? input.offset)
    }

    // MARK: Punctuation

    /// Skips whitespace and returns the next byte without consuming it, or `nil` at the end of the input.
    @inline(__always)
    mutating func nextNonWhitespace() throws(DictDBError) -> UInt8? {
        while true {
            if input.position < input.end {
                let byte = input.start[input.position]
                if byte != 0x20 && byte != 0x0A && byte != 0x0D && byte != 0x09 { return byte }
                input.position &+= 1
            } else if try !input.require(1) {
                return nil
            }
        }
    }

    /// Skips whitespace and consumes `byte`, or throws naming `what` was expected.
    mutating func expect(_ byte: UInt8, _ what: String) throws(DictDBError) {
        guard let found = try nextNonWhitespace() else { throw truncated(what) }
        guard found == byte else {
            throw corrupt("expected \(what)", expected: String(UnicodeScalar(byte)), found: found)
        }
        input.position += 1
    }

    /// Skips whitespace, reads the key `name` and the colon after it.
    mutating func expectKey(_ name: String) throws(DictDBError) {
        guard let found = try nextNonWhitespace() else { throw truncated("the key \"\(name)\"") }
        let offset = input.offset
        guard found == UInt8(ascii: "\"") else {
            throw corrupt("expected the key \"\(name)\"", expected: "\"\(name)\"", found: found)
        }
        let key = try parseString()
        guard key == name else {
            throw corrupt("expected the key \"\(name)\", found \"\(key)\"", at: offset, expected: "\"\(name)\"")
        }
        try expect(UInt8(ascii: ":"), "a colon after the key \"\(name)\"")
    }

    private func corrupt(_ message: String, expected: String, found: UInt8) -> DictDBError {
        CodecErrors.corrupt(
            "json", message, at: input.offset, expected: expected, found: Self.describe(found))
    }

    /// A byte as error messages show it: the character when printable, else its hex value.
    static func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "0x" + String(byte, radix: 16)
    }

    // MARK: Values

    /// Reads one value of any kind; `depth` is the nesting depth of the containers around it.
    mutating func parseValue(depth: Int) throws(DictDBError) -> Value {
        guard let byte = try nextNonWhitespace() else { throw truncated("a value") }
        if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { return try parseContainer(depth: depth + 1) }
        return try parseScalar(byte)
    }

    /// Reads a value that is not an array or object, starting with `byte` (not yet consumed).
    @inline(__always)
    private mutating func parseScalar(_ byte: UInt8) throws(DictDBError) -> Value {
        switch byte {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        default: throw corrupt("expected a value", expected: "a JSON value", found: byte)
        }
    }

    /// An array or object being read by ``parseContainer(depth:)``.
    private struct OpenContainer {
        /// Whether it is an object (else an array).
        var isObject: Bool
        /// Where it starts.
        var offset: Int64
        /// The keys read so far (objects only); one more than ``values`` while a value is being read.
        var names: [String] = []
        /// The values read so far.
        var values: [Value] = []
    }

    /// Reads the array or object at the current `[` or `{`, which sits at nesting `depth`, and everything
    /// inside it, with an explicit stack: hostile nesting cannot overflow the call stack, whatever the limit.
    private mutating func parseContainer(depth: Int) throws(DictDBError) -> Value {
        var stack: [OpenContainer] = []
        var byte = input.start[input.position]
        while true {
            // `byte` opens a container: check the depth and push it.
            guard depth + stack.count <= limits.maxDepth else { throw limit("nesting depth", limits.maxDepth) }
            stack.append(OpenContainer(isObject: byte == UInt8(ascii: "{"), offset: input.offset))
            input.position += 1
            // Read elements until one opens a container (then push it) or the stack empties.
            elements: while true {
                let top = stack.count - 1
                let isObject = stack[top].isObject
                guard var next = try nextNonWhitespace() else {
                    throw truncated(isObject ? "a key or }" : "a value or ]")
                }
                if next == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    input.position += 1
                    let finished = try close(stack.removeLast())
                    if stack.isEmpty { return finished }
                    stack[stack.count - 1].values.append(finished)
                    continue
                }
                if !stack[top].values.isEmpty {
                    guard next == UInt8(ascii: ",") else {
                        throw corrupt(
                            "expected , or \(isObject ? "}" : "]") in \(isObject ? "an object" : "an array")",
                            expected: isObject ? ", or }" : ", or ]", found: next)
                    }
                    input.position += 1
                    guard let following = try nextNonWhitespace() else { throw truncated("a value") }
                    next = following
                }
                guard stack[top].values.count < limits.maxContainerCount else {
                    throw limit("container size", limits.maxContainerCount)
                }
                if isObject {
                    guard next == UInt8(ascii: "\"") else {
                        throw corrupt("expected a key in quotes", expected: "\"", found: next)
                    }
                    stack[top].names.append(try parseString())
                    try expect(UInt8(ascii: ":"), "a colon after a key")
                    guard let following = try nextNonWhitespace() else { throw truncated("a value") }
                    next = following
                }
                if next == UInt8(ascii: "{") || next == UInt8(ascii: "[") {
                    byte = next
                    break elements
                }
                stack[top].values.append(try parseScalar(next))
            }
        }
    }

    /// The value of a container whose closing bracket was read; objects must not repeat a key.
    private func close(_ container: OpenContainer) throws(DictDBError) -> Value {
        guard container.isObject else { return .array(container.values) }
        if let duplicate = firstDuplicate(in: container.names) {
            throw corrupt("the key \"\(duplicate)\" appears twice in one object", at: container.offset)
        }
        return .object(Record(sharedFieldNames: container.names, values: container.values))
    }

    /// Skips whitespace and reads an object as a record (meta, table header).
    mutating func parseObjectValue(_ what: String) throws(DictDBError) -> Record {
        guard let byte = try nextNonWhitespace() else { throw truncated(what) }
        guard byte == UInt8(ascii: "{") else { throw corrupt("expected \(what)", expected: "{", found: byte) }
        return try parseObject(depth: 1, cachingShape: false)
    }

    /// Skips whitespace and reads a table's record, reusing the field names of the record before it.
    mutating func parseRecord() throws(DictDBError) -> Record {
        guard let byte = try nextNonWhitespace() else { throw truncated("a record") }
        guard byte == UInt8(ascii: "{") else { throw corrupt("expected a record", expected: "{", found: byte) }
        return try parseObject(depth: 1, cachingShape: true)
    }

    /// Reads the object starting at the current `{`, which sits at nesting `depth` (a record, meta or table
    /// header: nested containers go through ``parseContainer(depth:)``).
    private mutating func parseObject(depth: Int, cachingShape: Bool) throws(DictDBError) -> Record {
        let objectOffset = input.offset
        guard depth <= limits.maxDepth else { throw limit("nesting depth", limits.maxDepth) }
        input.position += 1
        let shape = cachingShape ? self.shape : nil
        // While every key so far matches `shape`, names are not collected.
        var followsShape = shape != nil
        var names: [String] = []
        var values: [Value] = []
        values.reserveCapacity(shape?.count ?? 4)
        guard var byte = try nextNonWhitespace() else { throw truncated("a key or }") }
        if byte == UInt8(ascii: "}") {
            input.position += 1
            return Record()
        }
        while true {
            guard byte == UInt8(ascii: "\"") else {
                throw corrupt("expected a key in quotes", expected: "\"", found: byte)
            }
            let index = values.count
            guard index < limits.maxContainerCount else {
                throw limit("container size", limits.maxContainerCount)
            }
            var matched = false
            if followsShape, let shape, index < shape.count, let key = try scanPlainString(),
                shape.matches(index, input.start + key.start, key.length)
            {
                input.position = key.start + key.length + 1
                matched = true
            }
            if !matched {
                if followsShape, let shape {
                    names = Array(shape.names.prefix(index))
                    followsShape = false
                }
                names.append(try parseString())
            }
            try expect(UInt8(ascii: ":"), "a colon after a key")
            values.append(try parseValue(depth: depth))
            guard let next = try nextNonWhitespace() else { throw truncated(", or } in an object") }
            input.position += 1
            if next == UInt8(ascii: "}") { break }
            guard next == UInt8(ascii: ",") else {
                input.position -= 1
                throw corrupt("expected , or } in an object", expected: ", or }", found: next)
            }
            guard let following = try nextNonWhitespace() else { throw truncated("a key") }
            byte = following
        }
        if followsShape, let shape {
            if values.count == shape.count { return Record(sharedFieldNames: shape.names, values: values) }
            names = Array(shape.names.prefix(values.count))
        } else if let duplicate = firstDuplicate(in: names) {
            throw corrupt("the key \"\(duplicate)\" appears twice in one object", at: objectOffset)
        }
        if cachingShape {
            let newShape = RecordShape(names: names)
            self.shape = newShape
            return Record(sharedFieldNames: newShape.names, values: values)
        }
        return Record(sharedFieldNames: names, values: values)
    }

    /// Reads the literal `text` (`true`, `false`, `null`) at the current position.
    private mutating func parseLiteral(_ text: StaticString, _ value: Value) throws(DictDBError) -> Value {
        let count = text.utf8CodeUnitCount
        let available = try input.require(count)
        let literal = text.utf8Start
        for i in 0..<count {
            guard i < input.available else { throw truncated("the literal \(text)") }
            guard input.start[input.position + i] == literal[i] else {
                throw corrupt("expected the literal \(text)", at: input.offset + Int64(i))
            }
        }
        guard available else { throw truncated("the literal \(text)") }
        input.position += count
        return value
    }

    // MARK: Numbers

    /// Reads the number at the current position.
    private mutating func parseNumber() throws(DictDBError) -> Value {
        let offset = input.offset
        var length = 0
        while true {
            let bytes = input.start + input.position
            let available = input.available
            while length < available && Self.isNumberByte(bytes[length]) { length &+= 1 }
            if length < available { break }
            guard length < input.capacity else { throw limit("number length", input.capacity) }
            guard try input.require(length + 1) else { break }
        }
        let token = UnsafeBufferPointer(start: input.start + input.position, count: length)
        switch JSONNumberParser.parse(token) {
        case .value(let value):
            input.position += length
            return value
        case .malformed(let reason):
            throw corrupt("malformed number: \(reason)", at: offset)
        case .outOfRange(let reason):
            throw CodecErrors.invalidValue("json", reason, at: offset)
        }
    }

    @inline(__always)
    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            return true
        default:
            return false
        }
    }

    // MARK: Strings

    /// A string without escapes that fits in the chunk: where its bytes are (between the quotes).
    struct PlainString {
        /// Chunk index of the first byte after the opening quote.
        var start: Int
        /// Bytes between the quotes.
        var length: Int
        /// Whether every byte is ASCII.
        var isASCII: Bool
    }

    /// At an opening quote: finds the string's end if it has no escapes and fits in one chunk, without
    /// consuming anything; `nil` sends the caller to the general path.
    /// - Throws: ``DictDBError/Code/limitExceeded`` past `maxStringBytes`.
    @inline(__always)
    private mutating func scanPlainString() throws(DictDBError) -> PlainString? {
        var scanned = 1
        var high: UInt8 = 0
        while true {
            let bytes = input.start + input.position
            let available = input.available
            while scanned < available {
                let byte = bytes[scanned]
                if byte == UInt8(ascii: "\"") {
                    let length = scanned &- 1
                    guard length <= limits.maxStringBytes else { throw limit("string length", limits.maxStringBytes) }
                    return PlainString(start: input.position &+ 1, length: length, isASCII: high < 0x80)
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                high |= byte
                scanned &+= 1
            }
            guard scanned - 1 <= limits.maxStringBytes else { throw limit("string length", limits.maxStringBytes) }
            guard scanned < input.capacity, try input.require(scanned + 1) else { return nil }
        }
    }

    /// Reads the string starting at the current opening quote.
    mutating func parseString() throws(DictDBError) -> String {
        let offset = input.offset
        if let plain = try scanPlainString() {
            let bytes = UnsafeBufferPointer(start: input.start + plain.start, count: plain.length)
            guard let string = makeString(bytes, isASCII: plain.isASCII) else {
                throw corrupt("a string is not valid UTF-8", at: offset)
            }
            input.position = plain.start + plain.length + 1
            return string
        }
        return try parseEscapedString()
    }

    /// Reads a string with escapes, or one longer than a chunk, through the scratch buffer.
    private mutating func parseEscapedString() throws(DictDBError) -> String {
        let offset = input.offset
        input.position += 1
        scratch.removeAll(keepingCapacity: true)
        var isASCII = true
        while true {
            guard try input.require(1) else { throw truncated("the closing quote of the string at byte \(offset)") }
            let bytes = input.start
            let end = input.end
            let runStart = input.position
            var index = runStart
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                if byte >= 0x80 { isASCII = false }
                index += 1
            }
            if index > runStart {
                guard index - runStart <= limits.maxStringBytes - scratch.count else {
                    throw limit("string length", limits.maxStringBytes, at: offset)
                }
                scratch.append(contentsOf: UnsafeBufferPointer(start: bytes + runStart, count: index - runStart))
                input.position = index
            }
            if index == end { continue }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                input.position = index + 1
                break
            }
            if byte < 0x20 {
                throw corrupt(
                    "control character 0x\(String(byte, radix: 16)) must be escaped in a string",
                    at: input.offset(at: index))
            }
            try parseEscape(isASCII: &isASCII, stringOffset: offset)
        }
        let string = scratch.withUnsafeBufferPointer { makeString($0, isASCII: isASCII) }
        guard let string else { throw corrupt("a string is not valid UTF-8", at: offset) }
        if scratch.capacity > 4 * CodecChunk.size { scratch = [] }
        return string
    }

    /// Reads the escape sequence at the current backslash into the scratch buffer.
    private mutating func parseEscape(isASCII: inout Bool, stringOffset: Int64) throws(DictDBError) {
        let offset = input.offset
        guard try input.require(2) else { throw truncated("an escape sequence") }
        let letter = input.start[input.position + 1]
        let simple: UInt8
        switch letter {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            let scalar = try parseUnicodeEscape(at: offset)
            let utf8 = UTF8.encode(scalar) ?? UTF8.EncodedScalar()
            guard utf8.count <= limits.maxStringBytes - scratch.count else {
                throw limit("string length", limits.maxStringBytes, at: stringOffset)
            }
            scratch.append(contentsOf: utf8)
            if scalar.value >= 0x80 { isASCII = false }
            return
        default:
            throw corrupt("invalid escape sequence \\\(Self.describe(letter))", at: offset)
        }
        guard scratch.count < limits.maxStringBytes else {
            throw limit("string length", limits.maxStringBytes, at: stringOffset)
        }
        scratch.append(simple)
        input.position += 2
    }

    /// Reads `\uXXXX`, or a surrogate pair `\uD8xx\uDCxx`, at the current backslash.
    private mutating func parseUnicodeEscape(at offset: Int64) throws(DictDBError) -> Unicode.Scalar {
        guard try input.require(6) else { throw truncated("four hex digits after \\u") }
        guard let unit = hexValue(at: input.position + 2) else {
            throw corrupt("\\u must be followed by four hex digits", at: offset)
        }
        input.position += 6
        if (0xDC00...0xDFFF).contains(unit) {
            throw corrupt("a lone low surrogate \\u\(String(unit, radix: 16)) is not a character", at: offset)
        }
        if (0xD800...0xDBFF).contains(unit) {
            guard try input.require(6), input.start[input.position] == UInt8(ascii: "\\"),
                input.start[input.position + 1] == UInt8(ascii: "u"),
                let low = hexValue(at: input.position + 2), (0xDC00...0xDFFF).contains(low)
            else {
                throw corrupt(
                    "a high surrogate \\u\(String(unit, radix: 16)) must be followed by a low surrogate", at: offset)
            }
            input.position += 6
            let value = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else { throw corrupt("invalid surrogate pair", at: offset) }
            return scalar
        }
        guard let scalar = Unicode.Scalar(unit) else { throw corrupt("invalid \\u escape", at: offset) }
        return scalar
    }

    /// The value of the four hex digits at chunk index `index`, or `nil` if they are not hex digits.
    private func hexValue(at index: Int) -> UInt32? {
        var value: UInt32 = 0
        for i in index..<index + 4 {
            let byte = input.start[i]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - 0x30
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - 0x57
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - 0x37
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
