/// A named field, the left-hand side of conditions: `Field("age") > 30`.
public struct Field: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The field's name.
    public var name: String

    /// Names a field.
    public init(_ name: String) { self.name = name }

    /// Names a field with a string literal.
    public init(stringLiteral value: String) { self.name = value }
}

/// A Swift value that converts to a ``Value``, so conditions take `30`, `"Ada"` or a variable directly.
public protocol ValueRepresentable {
    /// The value this converts to.
    var dictDBValue: Value { get }
}

extension Value: ValueRepresentable {
    /// The value itself.
    public var dictDBValue: Value { self }
}
extension Int: ValueRepresentable {
    /// `.int`.
    public var dictDBValue: Value { .int(Int64(self)) }
}
extension Int64: ValueRepresentable {
    /// `.int`.
    public var dictDBValue: Value { .int(self) }
}
extension Int32: ValueRepresentable {
    /// `.int`.
    public var dictDBValue: Value { .int(Int64(self)) }
}
extension Double: ValueRepresentable {
    /// `.double`.
    public var dictDBValue: Value { .double(self) }
}
extension String: ValueRepresentable {
    /// `.string`.
    public var dictDBValue: Value { .string(self) }
}
extension Substring: ValueRepresentable {
    /// `.string`.
    public var dictDBValue: Value { .string(String(self)) }
}
extension Bool: ValueRepresentable {
    /// `.bool`.
    public var dictDBValue: Value { .bool(self) }
}
extension Optional: ValueRepresentable where Wrapped: ValueRepresentable {
    /// The wrapped value's, or `.null`.
    public var dictDBValue: Value { self?.dictDBValue ?? .null }
}

extension Field {
    /// `field == value`; `Field("f") == nil` matches null and missing fields.
    public static func == (lhs: Field, rhs: some ValueRepresentable) -> Condition {
        .comparison(field: lhs.name, op: .equal, value: rhs.dictDBValue)
    }
    /// `field != value`; matches records that lack the field.
    public static func != (lhs: Field, rhs: some ValueRepresentable) -> Condition {
        .comparison(field: lhs.name, op: .notEqual, value: rhs.dictDBValue)
    }
    /// `field < value`, for values of the same kind.
    public static func < (lhs: Field, rhs: some ValueRepresentable) -> Condition {
        .comparison(field: lhs.name, op: .less, value: rhs.dictDBValue)
    }
    /// `field <= value`, for values of the same kind.
    public static func <= (lhs: Field, rhs: some ValueRepresentable) -> Condition {
        .comparison(field: lhs.name, op: .lessOrEqual, value: rhs.dictDBValue)
    }
    /// `field > value`, for values of the same kind.
    public static func > (lhs: Field, rhs: some ValueRepresentable) -> Condition {
        .comparison(field: lhs.name, op: .greater, value: rhs.dictDBValue)
    }
    /// `field >= value`, for values of the same kind.
    public static func >= (lhs: Field, rhs: some ValueRepresentable) -> Condition {
        .comparison(field: lhs.name, op: .greaterOrEqual, value: rhs.dictDBValue)
    }

    /// The field equals one of `values`.
    public func `in`(_ values: [Value]) -> Condition { .isIn(field: name, values: values) }
    /// The field equals one of `values`.
    public func `in`<T: ValueRepresentable>(_ values: [T]) -> Condition {
        .isIn(field: name, values: values.map(\.dictDBValue))
    }
    /// `lower <= field <= upper`, for values of the bounds' kind.
    public func between(_ lower: some ValueRepresentable, _ upper: some ValueRepresentable) -> Condition {
        .between(field: name, lower: lower.dictDBValue, upper: upper.dictDBValue)
    }
    /// SQL `LIKE` (case-sensitive): `%` any run, `_` one character, `escape` quotes the next character.
    public func like(_ pattern: String, escape: Character? = nil) -> Condition {
        .like(field: name, pattern: pattern, escape: escape, caseInsensitive: false)
    }
    /// Case-insensitive ``like(_:escape:)``.
    public func ilike(_ pattern: String, escape: Character? = nil) -> Condition {
        .like(field: name, pattern: pattern, escape: escape, caseInsensitive: true)
    }
    /// A string field starting with `prefix`.
    public func hasPrefix(_ prefix: String, caseInsensitive: Bool = false) -> Condition {
        .stringMatch(field: name, match: .prefix, text: prefix, caseInsensitive: caseInsensitive)
    }
    /// A string field ending with `suffix`.
    public func hasSuffix(_ suffix: String, caseInsensitive: Bool = false) -> Condition {
        .stringMatch(field: name, match: .suffix, text: suffix, caseInsensitive: caseInsensitive)
    }
    /// A string field containing `element` as a substring, or an array field containing it as an element.
    public func contains(_ element: some ValueRepresentable, caseInsensitive: Bool = false) -> Condition {
        .contains(field: name, element: element.dictDBValue, caseInsensitive: caseInsensitive)
    }
    /// The field is null or missing.
    public var isNull: Condition { .isNull(field: name) }
    /// The field is present and not null.
    public var isNotNull: Condition { .isNotNull(field: name) }
}

extension Condition {
    /// Both conditions hold. Nested `&&` chains flatten into one ``and(_:)``.
    public static func && (lhs: Condition, rhs: Condition) -> Condition {
        switch (lhs, rhs) {
        case (.all, _): return rhs
        case (_, .all): return lhs
        case (.and(let a), .and(let b)): return .and(a + b)
        case (.and(let a), _): return .and(a + [rhs])
        case (_, .and(let b)): return .and([lhs] + b)
        default: return .and([lhs, rhs])
        }
    }

    /// Either condition holds. Nested `||` chains flatten into one ``or(_:)``.
    public static func || (lhs: Condition, rhs: Condition) -> Condition {
        switch (lhs, rhs) {
        case (.or(let a), .or(let b)): return .or(a + b)
        case (.or(let a), _): return .or(a + [rhs])
        case (_, .or(let b)): return .or([lhs] + b)
        default: return .or([lhs, rhs])
        }
    }

    /// The condition does not hold.
    public static prefix func ! (operand: Condition) -> Condition {
        .not(operand)
    }
}
