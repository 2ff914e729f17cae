import DictDBAPI

/// Writes values as compact JSON text into a ``ByteOutput``.
///
/// Strings are escaped per RFC 8259: `"` and `\` with a backslash, control characters as `\n`, `\t`... or
/// `\u00XX`, everything else (non-ASCII included) as raw UTF-8.
struct JSONEmitter {
    /// Where the text goes.
    var out: ByteOutput

    /// Creates an emitter writing to `out`.
    init(out: ByteOutput) { self.out = out }

    /// Writes `value`.
    /// - Throws: ``DictDBError/Code/invalidValue`` for a NaN or infinite double, or the sink's error.
    mutating func writeValue(_ value: Value) throws(DictDBError) {
        switch value {
        case .null: try out.append(ascii: "null")
        case .bool(let flag): try out.append(ascii: flag ? "true" : "false")
        case .int(let integer): try out.appendDecimal(integer)
        case .double(let number):
            guard number.isFinite else {
                throw CodecErrors.unwritable("json", "non-finite double \(number) cannot be written as JSON")
            }
            try out.appendJSONDouble(number)
        case .string(let text): try writeString(text)
        case .array(let elements):
            try out.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { try out.append(UInt8(ascii: ",")) }
                first = false
                try writeValue(element)
            }
            try out.append(UInt8(ascii: "]"))
        case .object(let record): try writeObject(record)
        }
    }

    /// Writes `record` as an object with its fields in order.
    mutating func writeObject(_ record: Record) throws(DictDBError) {
        try out.append(UInt8(ascii: "{"))
        let names = record.fieldNames
        let values = record.values
        for index in 0..<min(names.count, values.count) {
            if index > 0 { try out.append(UInt8(ascii: ",")) }
            try writeString(names[index])
            try out.append(UInt8(ascii: ":"))
            try writeValue(values[index])
        }
        try out.append(UInt8(ascii: "}"))
    }

    /// Writes `text` as a quoted, escaped JSON string.
    mutating func writeString(_ text: String) throws(DictDBError) {
        var text = text
        for _ in 0..<2 {
            var failure: DictDBError?
            let written: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
                do throws(DictDBError) {
                    try writeEscaped(utf8)
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            if written != nil { return }
            text.makeContiguousUTF8()
        }
        throw CodecErrors.unwritable("json", "a string has no contiguous UTF-8 form")
    }

    /// Writes UTF-8 bytes as a quoted, escaped JSON string.
    private mutating func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) throws(DictDBError) {
        let length = utf8.count
        // Short strings: reserve the worst case (every byte as \u00XX) and copy without checks.
        if length <= 512 {
            try out.reserve(length &* 6 &+ 2)
            var cursor = out.start + out.count
            cursor[0] = UInt8(ascii: "\"")
            cursor += 1
            for byte in utf8 {
                if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                    cursor[0] = byte
                    cursor += 1
                } else {
                    cursor += Self.storeEscape(byte, at: cursor)
                }
            }
            cursor[0] = UInt8(ascii: "\"")
            cursor += 1
            out.count = cursor - out.start
            return
        }
        // Long strings: copy runs of plain bytes, escaping between them.
        try out.append(UInt8(ascii: "\""))
        guard let base = utf8.baseAddress else { return }
        var runStart = 0
        var index = 0
        while index < length {
            let byte = base[index]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            try out.append(UnsafeRawBufferPointer(start: base + runStart, count: index - runStart))
            try out.reserve(6)
            out.count += Self.storeEscape(byte, at: out.start + out.count)
            index += 1
            runStart = index
        }
        try out.append(UnsafeRawBufferPointer(start: base + runStart, count: length - runStart))
        try out.append(UInt8(ascii: "\""))
    }

    /// Stores the escape sequence of `byte` (a control character, `"` or `\`) at `cursor`; returns its length.
    @inline(__always)
    private static func storeEscape(_ byte: UInt8, at cursor: UnsafeMutablePointer<UInt8>) -> Int {
        cursor[0] = UInt8(ascii: "\\")
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            cursor[1] = byte
            return 2
        case 0x0A:
            cursor[1] = UInt8(ascii: "n")
            return 2
        case 0x0D:
            cursor[1] = UInt8(ascii: "r")
            return 2
        case 0x09:
            cursor[1] = UInt8(ascii: "t")
            return 2
        case 0x08:
            cursor[1] = UInt8(ascii: "b")
            return 2
        case 0x0C:
            cursor[1] = UInt8(ascii: "f")
            return 2
        default:
            cursor[1] = UInt8(ascii: "u")
            cursor[2] = UInt8(ascii: "0")
            cursor[3] = UInt8(ascii: "0")
            cursor[4] = hexDigit(byte >> 4)
            cursor[5] = hexDigit(byte & 0x0F)
            return 6
        }
    }
}

/// The lowercase hexadecimal digit of `nibble` (0...15).
@inline(__always)
func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? 0x30 &+ nibble : 0x57 &+ nibble
}
