import DictDBAPI

/// MessagePack type bytes used by the codec.
enum MessagePackFormat {
    static let null: UInt8 = 0xC0
    static let `false`: UInt8 = 0xC2
    static let `true`: UInt8 = 0xC3
    static let float32: UInt8 = 0xCA
    static let float64: UInt8 = 0xCB
    static let uint8: UInt8 = 0xCC
    static let uint16: UInt8 = 0xCD
    static let uint32: UInt8 = 0xCE
    static let uint64: UInt8 = 0xCF
    static let int8: UInt8 = 0xD0
    static let int16: UInt8 = 0xD1
    static let int32: UInt8 = 0xD2
    static let int64: UInt8 = 0xD3
    static let str8: UInt8 = 0xD9
    static let str16: UInt8 = 0xDA
    static let str32: UInt8 = 0xDB
    static let array16: UInt8 = 0xDC
    static let array32: UInt8 = 0xDD
    static let map16: UInt8 = 0xDE
    static let map32: UInt8 = 0xDF
}

/// Writes values as standard MessagePack into a ``ByteOutput``.
///
/// Integers use the smallest encoding (positive and negative fixint, then uint8...uint64 for non-negative
/// values and int8...int64 for negative ones); doubles are always float64, so they read back as doubles;
/// strings are `str`; records are maps with their fields in order.
struct MessagePackEmitter {
    /// Where the bytes go.
    var out: ByteOutput

    /// Creates an emitter writing to `out`.
    init(out: ByteOutput) { self.out = out }

    /// Writes `value`.
    /// - Throws: ``DictDBError/Code/invalidValue`` for a NaN or infinite double or a container or string
    ///   larger than MessagePack's 32-bit counts, or the sink's error.
    mutating func writeValue(_ value: Value) throws(DictDBError) {
        switch value {
        case .null: try out.append(MessagePackFormat.null)
        case .bool(let flag): try out.append(flag ? MessagePackFormat.true : MessagePackFormat.false)
        case .int(let integer): try writeInt(integer)
        case .double(let number):
            guard number.isFinite else {
                throw CodecErrors.unwritable("msgpack", "non-finite double \(number) cannot be stored")
            }
            try out.reserve(9)
            out.appendUnchecked(MessagePackFormat.float64)
            storeBigEndian(number.bitPattern)
        case .string(let text): try writeString(text)
        case .array(let elements):
            try writeArrayHeader(elements.count)
            for element in elements { try writeValue(element) }
        case .object(let record): try writeObject(record)
        }
    }

    /// Writes `record` as a map with its fields in order.
    mutating func writeObject(_ record: Record) throws(DictDBError) {
        let names = record.fieldNames
        let values = record.values
        let count = min(names.count, values.count)
        try writeMapHeader(count)
        for index in 0..<count {
            try writeString(names[index])
            try writeValue(values[index])
        }
    }

    /// Writes an integer in its smallest encoding.
    @inline(__always)
    mutating func writeInt(_ value: Int64) throws(DictDBError) {
        try out.reserve(9)
        if value >= 0 {
            if value < 0x80 {
                out.appendUnchecked(UInt8(truncatingIfNeeded: value))
            } else if value <= 0xFF {
                out.appendUnchecked(MessagePackFormat.uint8)
                out.appendUnchecked(UInt8(truncatingIfNeeded: value))
            } else if value <= 0xFFFF {
                out.appendUnchecked(MessagePackFormat.uint16)
                storeBigEndian(UInt16(truncatingIfNeeded: value))
            } else if value <= 0xFFFF_FFFF {
                out.appendUnchecked(MessagePackFormat.uint32)
                storeBigEndian(UInt32(truncatingIfNeeded: value))
            } else {
                out.appendUnchecked(MessagePackFormat.uint64)
                storeBigEndian(UInt64(truncatingIfNeeded: value))
            }
        } else if value >= -32 {
            out.appendUnchecked(UInt8(truncatingIfNeeded: value))
        } else if value >= -0x80 {
            out.appendUnchecked(MessagePackFormat.int8)
            out.appendUnchecked(UInt8(truncatingIfNeeded: value))
        } else if value >= -0x8000 {
            out.appendUnchecked(MessagePackFormat.int16)
            storeBigEndian(UInt16(truncatingIfNeeded: value))
        } else if value >= -0x8000_0000 {
            out.appendUnchecked(MessagePackFormat.int32)
            storeBigEndian(UInt32(truncatingIfNeeded: value))
        } else {
            out.appendUnchecked(MessagePackFormat.int64)
            storeBigEndian(UInt64(truncatingIfNeeded: value))
        }
    }

    /// Writes a `str` header and the UTF-8 bytes of `text`.
    mutating func writeString(_ text: String) throws(DictDBError) {
        var text = text
        for _ in 0..<2 {
            var failure: DictDBError?
            let written: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
                do throws(DictDBError) {
                    try writeStringHeader(utf8.count)
                    try out.append(UnsafeRawBufferPointer(utf8))
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            if written != nil { return }
            text.makeContiguousUTF8()
        }
        throw CodecErrors.unwritable("msgpack", "a string has no contiguous UTF-8 form")
    }

    /// Writes the header of a string of `length` bytes.
    @inline(__always)
    mutating func writeStringHeader(_ length: Int) throws(DictDBError) {
        try out.reserve(5)
        if length < 32 {
            out.appendUnchecked(0xA0 | UInt8(truncatingIfNeeded: length))
        } else if length <= 0xFF {
            out.appendUnchecked(MessagePackFormat.str8)
            out.appendUnchecked(UInt8(truncatingIfNeeded: length))
        } else if length <= 0xFFFF {
            out.appendUnchecked(MessagePackFormat.str16)
            storeBigEndian(UInt16(truncatingIfNeeded: length))
        } else if length <= 0xFFFF_FFFF {
            out.appendUnchecked(MessagePackFormat.str32)
            storeBigEndian(UInt32(truncatingIfNeeded: length))
        } else {
            throw CodecErrors.unwritable("msgpack", "a string of \(length) bytes exceeds MessagePack's 4 GiB limit")
        }
    }

    /// Writes the header of an array of `count` elements.
    mutating func writeArrayHeader(_ count: Int) throws(DictDBError) {
        try writeContainerHeader(count, fix: 0x90, fixLimit: 16, wide16: MessagePackFormat.array16)
    }

    /// Writes the header of a map of `count` entries.
    mutating func writeMapHeader(_ count: Int) throws(DictDBError) {
        try writeContainerHeader(count, fix: 0x80, fixLimit: 16, wide16: MessagePackFormat.map16)
    }

    @inline(__always)
    private mutating func writeContainerHeader(
        _ count: Int, fix: UInt8, fixLimit: Int, wide16: UInt8
    )
        throws(DictDBError)
    {
        try out.reserve(5)
        if count < fixLimit {
            out.appendUnchecked(fix | UInt8(truncatingIfNeeded: count))
        } else if count <= 0xFFFF {
            out.appendUnchecked(wide16)
            storeBigEndian(UInt16(truncatingIfNeeded: count))
        } else if count <= 0xFFFF_FFFF {
            out.appendUnchecked(wide16 + 1)
            storeBigEndian(UInt32(truncatingIfNeeded: count))
        } else {
            throw CodecErrors.unwritable("msgpack", "a container of \(count) elements exceeds MessagePack's limit")
        }
    }

    /// Stores `value` big-endian; the room must have been reserved.
    @inline(__always)
    mutating func storeBigEndian<T: FixedWidthInteger>(_ value: T) {
        let size = MemoryLayout<T>.size
        UnsafeMutableRawPointer(out.start + out.count).storeBytes(of: value.bigEndian, as: T.self)
        out.count &+= size
    }
}
