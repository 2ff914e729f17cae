// Coding keys and the errors that ValueEncoder and ValueDecoder throw.
//
// Every failure is a DictDBError: `.conversionFailed` for shapes and ranges, `.invalidValue` for non-finite
// doubles. Messages and `context.field` name the place as a dotted path with array positions in brackets:
// `address.zip`, `items[2].quantity`.

/// The key of an element of an unkeyed container: its position, printed as `[2]` in paths.
struct CodingIndexKey: CodingKey {
    var stringValue: String { String(index) }
    var intValue: Int? { index }
    let index: Int

    init(_ index: Int) { self.index = index }

    init?(stringValue: String) {
        guard let index = Int(stringValue) else { return nil }
        self.index = index
    }

    init?(intValue: Int) { self.index = intValue }
}

/// A key the coder names itself, such as `super`.
struct CodingNameKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { self.stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    /// The key `superEncoder()` and `superDecoder()` use.
    static let superKey = CodingNameKey("super")
}

/// Builds the errors of the coders, naming the coding path.
enum CodingFailure {
    /// The coding path as a dotted path: `address.zip`, `items[2].quantity`; empty at the top level.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key as? CodingIndexKey {
                text += "[\(index.index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return text
    }

    /// `field address.zip`, `element [2]`, or `the top-level value` for an empty path.
    static func place(_ path: String) -> String {
        if path.isEmpty { return "the top-level value" }
        return path.hasPrefix("[") ? "element \(path)" : "field \(path)"
    }

    /// A value as an error message shows it: `string "abc"`, `int 300`, `array of 3 elements`.
    static func describe(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return "bool \(b)"
        case .int(let i): return "int \(i)"
        case .double(let d): return "double \(JSONText.format(d))"
        case .string(let s):
            let shown = s.count > 40 ? String(s.prefix(40)) + "..." : s
            return "string \(Value.string(shown))"
        case .array(let elements): return "array of \(elements.count) element\(elements.count == 1 ? "" : "s")"
        case .object(let record): return "object with \(record.count) field\(record.count == 1 ? "" : "s")"
        }
    }

    /// A value of the wrong kind: `field age: expected Int, found string "x"`.
    static func typeMismatch(expected: String, found value: Value, at codingPath: [any CodingKey]) -> DictDBError {
        let path = path(codingPath)
        return DictDBError(
            .conversionFailed,
            "\(place(path)): expected \(expected), found \(describe(value))",
            context: .init(field: fieldName(path), expected: expected, found: value.typeName)
        )
    }

    /// A required field the record lacks.
    static func missingField(expected: String, at codingPath: [any CodingKey]) -> DictDBError {
        let path = path(codingPath)
        return DictDBError(
            .conversionFailed,
            "\(place(path)) is missing (expected \(expected))",
            context: .init(field: fieldName(path), expected: expected, found: "missing")
        )
    }

    /// An unkeyed container read past its last element.
    static func endOfArray(expected: String, count: Int, at codingPath: [any CodingKey]) -> DictDBError {
        let path = path(codingPath)
        return DictDBError(
            .conversionFailed,
            "\(place(path)) is past the end of an array of \(count) element\(count == 1 ? "" : "s") "
                + "(expected \(expected))",
            context: .init(field: fieldName(path), expected: expected, found: "end of array")
        )
    }

    /// A number that does not fit the integer type it is decoded to.
    static func outOfRange(_ value: Value, type: String, at codingPath: [any CodingKey]) -> DictDBError {
        let path = path(codingPath)
        return DictDBError(
            .conversionFailed,
            "\(place(path)): \(describe(value)) does not fit in \(type)",
            context: .init(field: fieldName(path), expected: type, found: value.typeName)
        )
    }

    /// An integer too large for the signed 64-bit integers that values hold.
    static func integerTooLarge(_ description: String, type: String, at codingPath: [any CodingKey]) -> DictDBError {
        let path = path(codingPath)
        return DictDBError(
            .conversionFailed,
            "\(place(path)): \(type) \(description) does not fit in a 64-bit signed integer "
                + "(values hold integers from \(Int64.min) to \(Int64.max))",
            context: .init(field: fieldName(path), expected: "Int64", found: type)
        )
    }

    /// A NaN or infinity, which values cannot hold.
    static func nonFinite(_ description: String, at codingPath: [any CodingKey]) -> DictDBError {
        let path = path(codingPath)
        return DictDBError(
            .invalidValue,
            "\(place(path)): non-finite number \(description) cannot be stored (only finite doubles can)",
            context: .init(field: fieldName(path), expected: "finite number", found: description)
        )
    }

    /// Any other failure at a place, such as a date outside the years ISO 8601 text can write.
    static func other(_ reason: String, at codingPath: [any CodingKey]) -> DictDBError {
        let path = path(codingPath)
        return DictDBError(.conversionFailed, "\(place(path)): \(reason)", context: .init(field: fieldName(path)))
    }

    /// Converts an error thrown inside `encode(to:)` or `init(from:)` to a `DictDBError`.
    ///
    /// DictDB errors pass through unchanged; `EncodingError` and `DecodingError` keep their coding path and
    /// description; anything else becomes the underlying error of a `.conversionFailed` error.
    static func wrap(_ error: any Error, converting typeName: String, encoding: Bool) -> DictDBError {
        if let error = error as? DictDBError { return error }
        let verb = encoding ? "encode" : "decode"
        var codingPath: [any CodingKey] = []
        var reason = "\(error)"
        var expected: String?
        var found: String?
        if let error = error as? EncodingError, case .invalidValue(_, let context) = error {
            codingPath = context.codingPath
            reason = context.debugDescription
        } else if let error = error as? DecodingError {
            switch error {
            case .typeMismatch(let type, let context):
                codingPath = context.codingPath
                reason = context.debugDescription
                expected = "\(type)"
            case .valueNotFound(let type, let context):
                codingPath = context.codingPath
                reason = context.debugDescription
                expected = "\(type)"
                found = "null"
            case .keyNotFound(let key, let context):
                codingPath = context.codingPath + [key]
                reason = context.debugDescription
                found = "missing"
            case .dataCorrupted(let context):
                codingPath = context.codingPath
                reason = context.debugDescription
            @unknown default:
                break
            }
        }
        let path = path(codingPath)
        return DictDBError(
            .conversionFailed,
            "cannot \(verb) \(typeName): \(place(path)): \(reason)",
            context: .init(field: fieldName(path), expected: expected, found: found),
            underlying: error
        )
    }

    /// The path for `context.field`: `nil` at the top level.
    private static func fieldName(_ path: String) -> String? {
        path.isEmpty ? nil : path
    }
}
