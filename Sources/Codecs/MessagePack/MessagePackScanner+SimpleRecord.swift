import DictDBAPI

extension MessagePackScanner {
    /// Reads the record at the current position straight from the chunk when it is simple: a map whose keys
    /// are, in order, the field names of `keys.shape` (those of the record before it), whose values are
    /// scalars (nil, bool, int, float, str), and whose bytes are all buffered already.
    ///
    /// Returns `nil` and consumes nothing otherwise: another shape, a nested array or map, a record that
    /// runs past the buffered bytes, or anything wrong or past a limit (a non-finite float, a uint64 above
    /// `Int64.max`, invalid UTF-8, a string over `maxStringBytes`...). The general path then reads the same
    /// bytes and reports any error with its offset, so this one never has to build an error.
    mutating func parseSimpleRecord(following keys: MessagePackPackedKeys) -> Record? {
        let shape = keys.shape
        let chunk = UnsafePointer(input.start)
        var p = chunk + input.position
        let end = chunk + input.end
        guard p < end, limits.maxDepth >= 1 else { return nil }
        let count: Int
        let byte = p[0]
        switch byte {
        case 0x80...0x8F:
            count = Int(byte & 0x0F)
            p += 1
        case MessagePackFormat.map16:
            guard end - p >= 3 else { return nil }
            count = Int(Self.bigEndian(UInt16.self, at: p + 1))
            p += 3
        case MessagePackFormat.map32:
            guard end - p >= 5 else { return nil }
            count = Int(Self.bigEndian(UInt32.self, at: p + 1))
            p += 5
        default:
            return nil
        }
        guard count == shape.count, count <= limits.maxContainerCount else { return nil }
        let maxStringBytes = limits.maxStringBytes
        var values: [Value] = []
        values.reserveCapacity(count)
        for index in 0..<count {
            var keySize = end - p >= 8 ? keys.match(index, at: p) : 0
            if keySize == 0 {
                guard let (header, length) = Self.stringHeader(at: p, end: end), end - p - header >= length,
                    shape.matches(index, p + header, length)
                else { return nil }
                keySize = header + length
            }
            p += keySize
            guard let value = Self.scalar(at: &p, end: end, maxStringBytes: maxStringBytes) else { return nil }
            values.append(value)
        }
        input.position = p - chunk
        return Record(sharedFieldNames: shape.names, values: values)
    }

    /// The header size and length of the `str` at `p`, or `nil` if `p` holds no string header before `end`.
    @inline(__always)
    private static func stringHeader(
        at p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>
    ) -> (header: Int, length: Int)? {
        guard p < end else { return nil }
        let byte = p[0]
        switch byte {
        case 0xA0...0xBF:
            return (1, Int(byte & 0x1F))
        case MessagePackFormat.str8:
            guard end - p >= 2 else { return nil }
            return (2, Int(p[1]))
        case MessagePackFormat.str16:
            guard end - p >= 3 else { return nil }
            return (3, Int(bigEndian(UInt16.self, at: p + 1)))
        case MessagePackFormat.str32:
            guard end - p >= 5 else { return nil }
            return (5, Int(bigEndian(UInt32.self, at: p + 1)))
        default:
            return nil
        }
    }

    /// The scalar value at `p`, moving `p` past it, or `nil` (leaving `p` alone) for a container, a value
    /// that runs past `end`, or anything the general path would reject.
    @inline(__always)
    private static func scalar(
        at p: inout UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, maxStringBytes: Int
    ) -> Value? {
        guard p < end else { return nil }
        let byte = p[0]
        let available = end - p
        switch byte {
        case 0x00...0x7F:
            p += 1
            return .int(Int64(byte))
        case 0xE0...0xFF:
            p += 1
            return .int(Int64(Int8(bitPattern: byte)))
        case 0xA0...0xBF, MessagePackFormat.str8, MessagePackFormat.str16, MessagePackFormat.str32:
            guard let (header, length) = stringHeader(at: p, end: end), length <= maxStringBytes,
                available - header >= length
            else { return nil }
            let bytes = UnsafeBufferPointer(start: p + header, count: length)
            guard let string = makeString(bytes, isASCII: isASCII(bytes)) else { return nil }
            p += header + length
            return .string(string)
        case MessagePackFormat.null:
            p += 1
            return .null
        case MessagePackFormat.false:
            p += 1
            return .bool(false)
        case MessagePackFormat.true:
            p += 1
            return .bool(true)
        case MessagePackFormat.float64:
            guard available >= 9 else { return nil }
            let number = Double(bitPattern: bigEndian(UInt64.self, at: p + 1))
            guard number.isFinite else { return nil }
            p += 9
            return .double(number)
        case MessagePackFormat.float32:
            guard available >= 5 else { return nil }
            let number = Double(Float(bitPattern: bigEndian(UInt32.self, at: p + 1)))
            guard number.isFinite else { return nil }
            p += 5
            return .double(number)
        case MessagePackFormat.uint8:
            guard available >= 2 else { return nil }
            defer { p += 2 }
            return .int(Int64(p[1]))
        case MessagePackFormat.uint16:
            guard available >= 3 else { return nil }
            defer { p += 3 }
            return .int(Int64(bigEndian(UInt16.self, at: p + 1)))
        case MessagePackFormat.uint32:
            guard available >= 5 else { return nil }
            defer { p += 5 }
            return .int(Int64(bigEndian(UInt32.self, at: p + 1)))
        case MessagePackFormat.uint64:
            guard available >= 9 else { return nil }
            let value = bigEndian(UInt64.self, at: p + 1)
            guard value <= UInt64(Int64.max) else { return nil }
            p += 9
            return .int(Int64(value))
        case MessagePackFormat.int8:
            guard available >= 2 else { return nil }
            defer { p += 2 }
            return .int(Int64(Int8(bitPattern: p[1])))
        case MessagePackFormat.int16:
            guard available >= 3 else { return nil }
            defer { p += 3 }
            return .int(Int64(Int16(bitPattern: bigEndian(UInt16.self, at: p + 1))))
        case MessagePackFormat.int32:
            guard available >= 5 else { return nil }
            defer { p += 5 }
            return .int(Int64(Int32(bitPattern: bigEndian(UInt32.self, at: p + 1))))
        case MessagePackFormat.int64:
            guard available >= 9 else { return nil }
            defer { p += 9 }
            return .int(Int64(bitPattern: bigEndian(UInt64.self, at: p + 1)))
        default:
            return nil
        }
    }

    /// The big-endian integer of `T`'s size at `p`.
    @inline(__always)
    private static func bigEndian<T: FixedWidthInteger>(_: T.Type, at p: UnsafePointer<UInt8>) -> T {
        T(bigEndian: UnsafeRawPointer(p).loadUnaligned(as: T.self))
    }
}
