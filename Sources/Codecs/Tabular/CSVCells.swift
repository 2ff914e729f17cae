import DictDBAPI

// CSV cells: how a value prints into one, and what value a cell's text reads back as.

extension ByteOutput {
    /// Writes `value` as one CSV cell: empty for null or a missing field (`nil`), JSON number text for
    /// numbers (doubles always with a `.` or an exponent), `true`/`false`, strings as they are, arrays and
    /// objects as compact JSON; quoted when the text needs it (see ``appendCSVText(_:delimiter:)``).
    ///
    /// A finite double is the caller's to check.
    mutating func appendCSVCell(_ value: Value?, delimiter: UInt8) throws(DictDBError) {
        switch value {
        case nil, .null?: return
        case .bool(let flag)?: try append(ascii: flag ? "true" : "false")
        case .int(let integer)?: try appendDecimal(integer)
        case .double(let number)?: try appendJSONDouble(number)
        case .string(let text)?: try appendCSVText(text, delimiter: delimiter)
        case let nested?:
            var text = ""
            JSONText.write(nested, to: &text)
            try appendCSVText(text, delimiter: delimiter)
        }
    }

    /// Writes `text` as one CSV cell, in double quotes (each `"` doubled) when it holds the delimiter, a
    /// quote, CR or LF, starts or ends with a space or tab, or starts with a byte order mark.
    mutating func appendCSVText(_ text: String, delimiter: UInt8) throws(DictDBError) {
        var text = text
        let outcome: Result<Void, DictDBError> = text.withUTF8 { utf8 in
            do throws(DictDBError) {
                try appendCSVBytes(utf8, delimiter: delimiter)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try outcome.get()
    }

    /// Writes the UTF-8 bytes of one cell, quoted when needed.
    private mutating func appendCSVBytes(_ utf8: UnsafeBufferPointer<UInt8>, delimiter: UInt8) throws(DictDBError) {
        guard Self.csvNeedsQuotes(utf8, delimiter: delimiter) else {
            try append(UnsafeRawBufferPointer(utf8))
            return
        }
        try append(UInt8(ascii: "\""))
        var runStart = 0
        for index in utf8.indices where utf8[index] == UInt8(ascii: "\"") {
            try append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[runStart...index]))
            try append(UInt8(ascii: "\""))
            runStart = index + 1
        }
        try append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[runStart...]))
        try append(UInt8(ascii: "\""))
    }

    /// Whether a cell with these bytes must be quoted.
    static func csvNeedsQuotes(_ utf8: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Bool {
        guard let first = utf8.first, let last = utf8.last else { return false }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return true }
        if utf8.count >= 3 && first == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF { return true }
        for byte in utf8 where byte == delimiter || byte == UInt8(ascii: "\"") || byte == 0x0D || byte == 0x0A {
            return true
        }
        return false
    }
}

/// What a CSV cell's text reads back as.
enum CSVCellTyping {
    /// The value of a cell under type inference: ``Inferred/absent`` for an empty cell (the record lacks the
    /// field), ``Inferred/invalidUTF8`` for a string cell that is not UTF-8.
    ///
    /// `true`/`True`/`TRUE` and `false`/`False`/`FALSE` are Booleans; JSON numbers are ints (when they fit
    /// 64 bits and have no fraction or exponent) or finite doubles; with `parsingJSON`, valid JSON arrays
    /// and objects are themselves; the rest are strings.
    static func inferred(
        _ cell: UnsafeBufferPointer<UInt8>, parsingJSON: Bool, limits: DecodingLimits
    ) -> Inferred {
        guard let first = cell.first else { return .absent }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if case .value(let number) = JSONNumberParser.parse(cell) { return .value(number) }
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
            if let flag = boolean(cell) { return .value(.bool(flag)) }
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            if parsingJSON, let nested = try? JSONScanner.parseOneValue(UnsafeRawBufferPointer(cell), limits: limits) {
                return .value(nested)
            }
        default:
            break
        }
        return text(cell)
    }

    /// The cell as a string value.
    static func text(_ cell: UnsafeBufferPointer<UInt8>) -> Inferred {
        guard let string = String(validating: cell, as: UTF8.self) else { return .invalidUTF8 }
        return .value(.string(string))
    }

    /// What a cell holds.
    enum Inferred {
        /// A value.
        case value(Value)
        /// Nothing: an empty cell.
        case absent
        /// Bytes that are not UTF-8.
        case invalidUTF8
    }

    private static let booleans: [(bytes: [UInt8], value: Bool)] = [
        (Array("true".utf8), true), (Array("True".utf8), true), (Array("TRUE".utf8), true),
        (Array("false".utf8), false), (Array("False".utf8), false), (Array("FALSE".utf8), false),
    ]

    /// The Boolean a cell spells, if any.
    private static func boolean(_ cell: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard cell.count == 4 || cell.count == 5 else { return nil }
        for candidate in booleans where candidate.bytes.elementsEqual(cell) { return candidate.value }
        return nil
    }
}
