import DictDBAPI

/// Reads MessagePack values from a ``ByteInput``, within ``DecodingLimits``, with byte offsets in every
/// error.
///
/// Every standard integer form reads as an int (a uint64 above `Int64.max` is `invalidValue`), float32 and
/// float64 as doubles (finite only), `str` as strings (validated UTF-8), arrays and maps (whose keys must be
/// strings, each once) as arrays and records. `bin` and `ext` have no DictDB value: `unsupportedFormat`.
/// Declared lengths are checked against the limits before anything is allocated, and long strings are read
/// a chunk at a time, so a lying header cannot allocate more than the input holds.
struct MessagePackScanner {
    /// The bytes being read.
    var input: ByteInput
    /// The limits checked before allocating.
    let limits: DecodingLimits
    /// Collects strings longer than a chunk.
    private var scratch: [UInt8] = []
    /// The field names of the last record read by ``parseRecord()``.
    private var shape: RecordShape?
    /// ``shape`` and its field names packed for ``parseSimpleRecord(following:)``, set with it.
    private(set) var packedKeys: MessagePackPackedKeys?

    /// Creates a scanner over `input`.
    init(input: ByteInput, limits: DecodingLimits) {
        self.input = input
        self.limits = limits
    }

    // MARK: Errors

    /// A `corrupt` error at `offset` (the current position by default).
    func corrupt(_ message: String, at offset: Int64? = nil, expected: String? = nil) -> DictDBError {
        CodecErrors.corrupt("msgpack", message, at: offset ?? input.offset, expected: expected)
    }

    /// The error for input that ends where `expected` should be.
    func truncated(_ expected: String) -> DictDBError {
        CodecErrors.truncated("msgpack", at: input.offset, expected: expected)
    }

    private func limit(_ what: String, _ value: Int, at offset: Int64? = nil) -> DictDBError {
        CodecErrors.limit("msgpack", what, limit: value, at: offset ?? input.offset)
    }

    // MARK: Raw reads

    /// The next byte without consuming it.
    @inline(__always)
    mutating func peekByte(_ what: String) throws(DictDBError) -> UInt8 {
        guard try input.require(1) else { throw truncated(what) }
        return input.start[input.position]
    }

    /// Reads the big-endian integer of `T`'s size at chunk index `index` (the bytes must be available).
    @inline(__always)
    private func load<T: FixedWidthInteger>(_: T.Type, at index: Int) -> T {
        T(bigEndian: UnsafeRawPointer(input.start + index).loadUnaligned(as: T.self))
    }

    /// Consumes a type byte and its `size`-byte big-endian payload, returning the payload.
    @inline(__always)
    private mutating func readPayload<T: FixedWidthInteger>(_: T.Type, _ what: String) throws(DictDBError) -> T {
        let size = MemoryLayout<T>.size
        guard try input.require(1 + size) else { throw truncated(what) }
        let value = load(T.self, at: input.position + 1)
        input.position &+= 1 &+ size
        return value
    }

    // MARK: Headers

    /// Reads a map header and returns its entry count.
    mutating func readMapHeader(_ what: String) throws(DictDBError) -> Int {
        let offset = input.offset
        let byte = try peekByte(what)
        let count: Int
        switch byte {
        case 0x80...0x8F:
            input.position += 1
            count = Int(byte & 0x0F)
        case MessagePackFormat.map16: count = Int(try readPayload(UInt16.self, what))
        case MessagePackFormat.map32: count = Int(try readPayload(UInt32.self, what))
        default: throw corrupt("expected \(what) (a map), found type byte 0x\(String(byte, radix: 16))", at: offset)
        }
        guard count <= limits.maxContainerCount else {
            throw limit("container size", limits.maxContainerCount, at: offset)
        }
        return count
    }

    /// Reads an array header and returns its element count.
    ///
    /// `streamed` arrays (the tables and records of a snapshot) are handed out one element at a time and
    /// never allocated, so their count is not held to `maxContainerCount`.
    mutating func readArrayHeader(_ what: String, streamed: Bool = false) throws(DictDBError) -> Int {
        let offset = input.offset
        let byte = try peekByte(what)
        let count: Int
        switch byte {
        case 0x90...0x9F:
            input.position += 1
            count = Int(byte & 0x0F)
        case MessagePackFormat.array16: count = Int(try readPayload(UInt16.self, what))
        case MessagePackFormat.array32: count = Int(try readPayload(UInt32.self, what))
        default:
            throw corrupt("expected \(what) (an array), found type byte 0x\(String(byte, radix: 16))", at: offset)
        }
        guard streamed || count <= limits.maxContainerCount else {
            throw limit("container size", limits.maxContainerCount, at: offset)
        }
        return count
    }

    /// The header size and byte length of the string at the current position, or `nil` if the next value is
    /// not a string. Consumes nothing.
    @inline(__always)
    private mutating func stringHeader() throws(DictDBError) -> (header: Int, length: Int)? {
        guard try input.require(1) else { throw truncated("a string") }
        let byte = input.start[input.position]
        switch byte {
        case 0xA0...0xBF:
            return (1, Int(byte & 0x1F))
        case MessagePackFormat.str8:
            guard try input.require(2) else { throw truncated("a string length") }
            return (2, Int(input.start[input.position + 1]))
        case MessagePackFormat.str16:
            guard try input.require(3) else { throw truncated("a string length") }
            return (3, Int(load(UInt16.self, at: input.position + 1)))
        case MessagePackFormat.str32:
            guard try input.require(5) else { throw truncated("a string length") }
            return (5, Int(load(UInt32.self, at: input.position + 1)))
        default:
            return nil
        }
    }

    // MARK: Values

    /// Reads one value of any kind; `depth` is the nesting depth of the containers around it.
    mutating func parseValue(depth: Int) throws(DictDBError) -> Value {
        let offset = input.offset
        let byte = try peekByte("a value")
        switch byte {
        case 0x00...0x7F:
            input.position &+= 1
            return .int(Int64(byte))
        case 0xE0...0xFF:
            input.position &+= 1
            return .int(Int64(Int8(bitPattern: byte)))
        case 0x80...0x9F, MessagePackFormat.map16, MessagePackFormat.map32, MessagePackFormat.array16,
            MessagePackFormat.array32:
            return try parseContainer(depth: depth + 1)
        case 0xA0...0xBF, MessagePackFormat.str8, MessagePackFormat.str16, MessagePackFormat.str32:
            return .string(try parseString())
        case MessagePackFormat.null:
            input.position &+= 1
            return .null
        case MessagePackFormat.false:
            input.position &+= 1
            return .bool(false)
        case MessagePackFormat.true:
            input.position &+= 1
            return .bool(true)
        case MessagePackFormat.uint8: return .int(Int64(try readPayload(UInt8.self, "a uint8")))
        case MessagePackFormat.uint16: return .int(Int64(try readPayload(UInt16.self, "a uint16")))
        case MessagePackFormat.uint32: return .int(Int64(try readPayload(UInt32.self, "a uint32")))
        case MessagePackFormat.uint64:
            let value = try readPayload(UInt64.self, "a uint64")
            guard value <= UInt64(Int64.max) else {
                throw CodecErrors.invalidValue(
                    "msgpack", "integer \(value) is outside the 64-bit signed range", at: offset)
            }
            return .int(Int64(value))
        case MessagePackFormat.int8: return .int(Int64(Int8(bitPattern: try readPayload(UInt8.self, "an int8"))))
        case MessagePackFormat.int16: return .int(Int64(Int16(bitPattern: try readPayload(UInt16.self, "an int16"))))
        case MessagePackFormat.int32: return .int(Int64(Int32(bitPattern: try readPayload(UInt32.self, "an int32"))))
        case MessagePackFormat.int64: return .int(Int64(bitPattern: try readPayload(UInt64.self, "an int64")))
        case MessagePackFormat.float32:
            let number = Double(Float(bitPattern: try readPayload(UInt32.self, "a float32")))
            return try finite(number, at: offset)
        case MessagePackFormat.float64:
            let number = Double(bitPattern: try readPayload(UInt64.self, "a float64"))
            return try finite(number, at: offset)
        case 0xC4...0xC9, 0xD4...0xD8:
            throw DictDBError(
                .unsupportedFormat,
                "msgpack data at byte \(offset) holds a bin or ext value (type 0x\(String(byte, radix: 16))), "
                    + "which has no DictDB value",
                context: .init(plugin: "codec:msgpack", offset: offset))
        default:
            throw corrupt("0x\(String(byte, radix: 16)) is not a MessagePack type byte", at: offset)
        }
    }

    private func finite(_ number: Double, at offset: Int64) throws(DictDBError) -> Value {
        guard number.isFinite else {
            throw CodecErrors.invalidValue("msgpack", "non-finite double \(number) is not storable", at: offset)
        }
        return .double(number)
    }

    /// Reads a map as a record (meta, table header).
    mutating func parseObjectValue(_ what: String) throws(DictDBError) -> Record {
        let byte = try peekByte(what)
        guard (0x80...0x8F).contains(byte) || byte == MessagePackFormat.map16 || byte == MessagePackFormat.map32
        else {
            throw corrupt("expected \(what) (a map), found type byte 0x\(String(byte, radix: 16))")
        }
        return try parseObject(depth: 1, cachingShape: false)
    }

    /// Reads a table's record, reusing the field names of the record before it when they are the same.
    ///
    /// A record with the keys of the one before it and only scalar values is read in one pass by
    /// ``parseSimpleRecord(following:)``; anything else, including every error, goes through
    /// ``parseObject(depth:cachingShape:)``.
    mutating func parseRecord() throws(DictDBError) -> Record {
        if let keys = packedKeys, let record = parseSimpleRecord(following: keys) { return record }
        return try parseObject(depth: 1, cachingShape: true)
    }

    /// Reads the map at the current position, which sits at nesting `depth`, as a record (a record, meta or
    /// table header: nested containers go through ``parseContainer(depth:)``).
    private mutating func parseObject(depth: Int, cachingShape: Bool) throws(DictDBError) -> Record {
        let objectOffset = input.offset
        guard depth <= limits.maxDepth else { throw limit("nesting depth", limits.maxDepth) }
        let count = try readMapHeader(cachingShape ? "a record" : "an object")
        let shape = cachingShape ? self.shape : nil
        var followsShape = shape?.count == count
        var names: [String] = []
        var values: [Value] = []
        values.reserveCapacity(min(count, 256))
        if !followsShape { names.reserveCapacity(min(count, 256)) }
        for index in 0..<count {
            var matched = false
            if followsShape, let shape, let header = try stringHeader(), header.header + header.length <= input.capacity
            {
                guard try input.require(header.header + header.length) else { throw truncated("a key") }
                if shape.matches(index, input.start + input.position + header.header, header.length) {
                    input.position += header.header + header.length
                    matched = true
                }
            }
            if !matched {
                if followsShape, let shape {
                    names = Array(shape.names.prefix(index))
                    followsShape = false
                }
                guard try stringHeader() != nil else {
                    throw corrupt(
                        "a map key must be a string, found type byte 0x\(String(input.start[input.position], radix: 16))"
                    )
                }
                names.append(try parseString())
            }
            values.append(try parseValue(depth: depth))
        }
        if followsShape, let shape {
            return Record(sharedFieldNames: shape.names, values: values)
        }
        if let duplicate = firstDuplicate(in: names) {
            throw corrupt("the key \"\(duplicate)\" appears twice in one map", at: objectOffset)
        }
        if cachingShape {
            let newShape = RecordShape(names: names)
            self.shape = newShape
            packedKeys = MessagePackPackedKeys(newShape)
            return Record(sharedFieldNames: newShape.names, values: values)
        }
        return Record(sharedFieldNames: names, values: values)
    }

    /// An array or map being read by ``parseContainer(depth:)``.
    private struct OpenContainer {
        /// Whether it is a map (else an array).
        var isObject: Bool
        /// Where it starts.
        var offset: Int64
        /// Elements (or entries) still to read.
        var remaining: Int
        /// The keys read so far (maps only).
        var names: [String] = []
        /// The values read so far.
        var values: [Value] = []
    }

    /// Whether `byte` starts an array or a map.
    @inline(__always)
    private static func isContainer(_ byte: UInt8) -> Bool {
        (0x80...0x9F).contains(byte) || (MessagePackFormat.array16...MessagePackFormat.map32).contains(byte)
    }

    /// Reads the array or map at the current position, which sits at nesting `depth`, and everything inside
    /// it, with an explicit stack: hostile nesting cannot overflow the call stack, whatever the limit.
    private mutating func parseContainer(depth: Int) throws(DictDBError) -> Value {
        var stack: [OpenContainer] = []
        while true {
            // The next byte opens a container: check the depth, read its header and push it.
            guard depth + stack.count <= limits.maxDepth else { throw limit("nesting depth", limits.maxDepth) }
            let offset = input.offset
            let byte = input.start[input.position]
            let isObject =
                (0x80...0x8F).contains(byte) || byte == MessagePackFormat.map16 || byte == MessagePackFormat.map32
            let count = try isObject ? readMapHeader("a map") : readArrayHeader("an array")
            var container = OpenContainer(isObject: isObject, offset: offset, remaining: count)
            container.values.reserveCapacity(min(count, 256))
            if isObject { container.names.reserveCapacity(min(count, 256)) }
            stack.append(container)
            // Read elements until one opens a container (then push it) or the stack empties.
            elements: while true {
                let top = stack.count - 1
                if stack[top].remaining == 0 {
                    let finished = try close(stack.removeLast())
                    if stack.isEmpty { return finished }
                    stack[stack.count - 1].values.append(finished)
                    continue
                }
                stack[top].remaining -= 1
                if stack[top].isObject {
                    guard try stringHeader() != nil else {
                        throw corrupt(
                            "a map key must be a string, found type byte 0x\(String(input.start[input.position], radix: 16))"
                        )
                    }
                    stack[top].names.append(try parseString())
                }
                if Self.isContainer(try peekByte("a value")) { break elements }
                stack[top].values.append(try parseValue(depth: depth + stack.count))
            }
        }
    }

    /// The value of a container whose elements were all read; maps must not repeat a key.
    private func close(_ container: OpenContainer) throws(DictDBError) -> Value {
        guard container.isObject else { return .array(container.values) }
        if let duplicate = firstDuplicate(in: container.names) {
            throw corrupt("the key \"\(duplicate)\" appears twice in one map", at: container.offset)
        }
        return .object(Record(sharedFieldNames: container.names, values: container.values))
    }

    /// Reads the string at the current position.
    mutating func parseString() throws(DictDBError) -> String {
        let offset = input.offset
        guard let (header, length) = try stringHeader() else {
            throw corrupt("expected a string, found type byte 0x\(String(input.start[input.position], radix: 16))")
        }
        guard length <= limits.maxStringBytes else { throw limit("string length", limits.maxStringBytes) }
        if header + length <= input.capacity {
            guard try input.require(header + length) else { throw truncated("\(length) bytes of a string") }
            let bytes = UnsafeBufferPointer(start: input.start + input.position + header, count: length)
            guard let string = makeString(bytes, isASCII: isASCII(bytes)) else {
                throw corrupt("a string is not valid UTF-8", at: offset)
            }
            input.position += header + length
            return string
        }
        // Longer than a chunk: collect what actually arrives, never trusting the declared length to allocate.
        input.position += header
        scratch.removeAll(keepingCapacity: true)
        var remaining = length
        while remaining > 0 {
            guard try input.require(1) else { throw truncated("\(remaining) more bytes of a string") }
            let count = min(remaining, input.available)
            scratch.append(contentsOf: UnsafeBufferPointer(start: input.start + input.position, count: count))
            input.position += count
            remaining -= count
        }
        let string = scratch.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
        guard let string else { throw corrupt("a string is not valid UTF-8", at: offset) }
        if scratch.capacity > 4 * CodecChunk.size { scratch = [] }
        return string
    }

    /// Reads the string key `name`.
    mutating func expectKey(_ name: String) throws(DictDBError) {
        let offset = input.offset
        guard try stringHeader() != nil else {
            throw corrupt("expected the key \"\(name)\"", expected: "\"\(name)\"")
        }
        let key = try parseString()
        guard key == name else {
            throw corrupt("expected the key \"\(name)\", found \"\(key)\"", at: offset, expected: "\"\(name)\"")
        }
    }

    /// Reads an unsigned integer of at most 32 bits (the checksum).
    mutating func parseUInt32(_ what: String) throws(DictDBError) -> UInt32 {
        let offset = input.offset
        let byte = try peekByte(what)
        switch byte {
        case 0x00...0x7F:
            input.position += 1
            return UInt32(byte)
        case MessagePackFormat.uint8: return UInt32(try readPayload(UInt8.self, what))
        case MessagePackFormat.uint16: return UInt32(try readPayload(UInt16.self, what))
        case MessagePackFormat.uint32: return try readPayload(UInt32.self, what)
        default:
            throw corrupt(
                "expected \(what) (an unsigned integer), found type byte 0x\(String(byte, radix: 16))", at: offset)
        }
    }
}
