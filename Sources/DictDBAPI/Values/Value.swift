/// A JSON-like value: the unit of data stored in DictDB.
///
/// A `Value` is null, a Boolean, a 64-bit integer, a finite double, a string, an array of values, or an
/// object (a ``Record``). Values are plain Swift values: copying one never shares mutable state.
///
/// Numbers compare across representations: `Value.int(1) == Value.double(1.0)`, and the two hash alike.
/// Booleans are not numbers. Strings compare by Unicode code points without normalization (SQLite's
/// `BINARY` collation): `"é"` as U+00E9 and as `"e\u{301}"` are different values. Every value has a place in one total order used for sorting and sorted
/// indexes: `null < bool < number < string < array < object` (see ``Value/<(_:_:)``).
///
/// ```swift
/// let age: Value = 36
/// let ada: Record = ["name": "Ada", "age": 36, "langs": ["en", "fr"]]
/// ```
///
/// Doubles must be finite: NaN and the infinities cannot be stored or used in a condition
/// (``DictDBError/Code/invalidValue``). ``Value/validate(field:)`` checks a value deeply.
public enum Value: Sendable {
    /// The absence of a value. A field missing from a record reads as `null`.
    case null
    /// A Boolean.
    case bool(Bool)
    /// A signed 64-bit integer.
    case int(Int64)
    /// A finite double-precision number.
    case double(Double)
    /// A Unicode string.
    case string(String)
    /// An ordered list of values.
    case array([Value])
    /// A nested object with ordered fields.
    case object(Record)
}

extension Value {
    /// The kind of a value, in the order the total order of values uses.
    public enum Kind: Int, Sendable, Hashable, Comparable, CustomStringConvertible, CaseIterable {
        /// ``Value/null``.
        case null
        /// ``Value/bool(_:)``.
        case bool
        /// ``Value/int(_:)`` and ``Value/double(_:)`` share one kind: numbers compare with each other.
        case number
        /// ``Value/string(_:)``.
        case string
        /// ``Value/array(_:)``.
        case array
        /// ``Value/object(_:)``.
        case object

        /// Orders kinds as `null < bool < number < string < array < object`.
        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The kind's name as error messages print it.
        public var description: String {
            switch self {
            case .null: return "null"
            case .bool: return "bool"
            case .number: return "number"
            case .string: return "string"
            case .array: return "array"
            case .object: return "object"
            }
        }
    }

    /// The kind of this value; integers and doubles are both ``Kind/number``.
    @inlinable
    public var kind: Kind {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int, .double: return .number
        case .string: return .string
        case .array: return .array
        case .object: return .object
        }
    }

    /// The name of this value's type as error messages print it (`int` and `double` are told apart).
    public var typeName: String {
        switch self {
        case .int: return "int"
        case .double: return "double"
        default: return kind.description
        }
    }

    /// Whether this value is ``null``.
    @inlinable
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The Boolean, if this value is one.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The integer, if this value is an integer or a double with an exact integer value.
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d): return Int64(exactly: d)
        default: return nil
        }
    }

    /// The number as a double, if this value is a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The string, if this value is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements, if this value is an array.
    public var arrayValue: [Value]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The record, if this value is an object.
    public var objectValue: Record? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// Checks that every double inside this value is finite.
    ///
    /// - Parameter field: the field name to report in the error, if any.
    /// - Throws: ``DictDBError/Code/invalidValue`` naming the field when a NaN or infinity is found.
    @inlinable
    public func validate(field: String? = nil) throws(DictDBError) {
        switch self {
        case .null, .bool, .int, .string: return
        case .double(let d) where d.isFinite: return
        default: try validateDeeply(field: field)
        }
    }

    /// ``validate(field:)`` for the values that need a look: doubles, arrays and objects.
    @usableFromInline
    func validateDeeply(field: String?) throws(DictDBError) {
        switch self {
        case .double(let d) where !d.isFinite:
            throw DictDBError(
                .invalidValue,
                "non-finite double \(d) is not storable (JSON cannot hold NaN or infinity)",
                context: .init(field: field)
            )
        case .array(let elements):
            for element in elements { try element.validate(field: field) }
        case .object(let record):
            for (name, value) in record { try value.validate(field: field ?? name) }
        default:
            break
        }
    }
}
