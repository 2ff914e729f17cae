/// A predicate over records: the `WHERE` of every query, built with ``Field`` and operators.
///
/// ```swift
/// let adults = Field("age") >= 18 && Field("name").hasPrefix("A")
/// let some = Field("dept").in(["sales", "hr"]) || Field("manager").isNull
/// ```
///
/// Semantics (the same for every plan the engine picks):
/// - A missing field reads as null.
/// - `==` and `!=` compare with null like any value: `Field("f") == nil` matches missing and null fields,
///   and `Field("f") != 30` matches records without `f`.
/// - Ordering comparisons (`< <= > >=`, ``Field/between(_:_:)``) only match values of the operand's kind
///   (numbers with numbers, strings with strings...); against null or another kind they are false, never an
///   error.
/// - String operators (``Field/like(_:escape:)``, prefix, suffix) are false on non-strings;
///   ``Field/contains(_:caseInsensitive:)`` tests substrings of strings and elements of arrays.
/// - `!` negates exactly: `!(c)` matches precisely the records `c` does not.
public indirect enum Condition: Sendable, Hashable {
    /// Matches every record.
    case all
    /// `field <op> value`.
    case comparison(field: String, op: ComparisonOperator, value: Value)
    /// `field` equals one of `values`.
    case isIn(field: String, values: [Value])
    /// `lower <= field <= upper`, with both bounds of the field's kind.
    case between(field: String, lower: Value, upper: Value)
    /// SQL `LIKE` over code points: `%` matches any run, `_` one code point, `escape` makes the next literal.
    case like(field: String, pattern: String, escape: Character?, caseInsensitive: Bool)
    /// A string field starts or ends with `text`.
    case stringMatch(field: String, match: StringMatch, text: String, caseInsensitive: Bool)
    /// A string field contains `element` as a substring, or an array field contains it as an element.
    case contains(field: String, element: Value, caseInsensitive: Bool)
    /// The field is null or missing.
    case isNull(field: String)
    /// The field is present and not null.
    case isNotNull(field: String)
    /// Every condition holds (an empty list holds).
    case and([Condition])
    /// Some condition holds (an empty list does not).
    case or([Condition])
    /// The condition does not hold.
    case not(Condition)
}

/// The comparison operators.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    /// `==`.
    case equal = "=="
    /// `!=`.
    case notEqual = "!="
    /// `<`.
    case less = "<"
    /// `<=`.
    case lessOrEqual = "<="
    /// `>`.
    case greater = ">"
    /// `>=`.
    case greaterOrEqual = ">="
}

/// Where a ``Condition/stringMatch(field:match:text:caseInsensitive:)`` looks.
public enum StringMatch: String, Sendable, Hashable {
    /// At the start of the string.
    case prefix
    /// At the end of the string.
    case suffix
}

extension Condition {
    /// The fields the condition reads, each once, in first-use order.
    public var fields: [String] {
        var seen: [String] = []
        func visit(_ c: Condition) {
            switch c {
            case .all: break
            case .comparison(let f, _, _), .isIn(let f, _), .between(let f, _, _), .like(let f, _, _, _),
                .stringMatch(let f, _, _, _), .contains(let f, _, _), .isNull(let f), .isNotNull(let f):
                if !seen.contains(f) { seen.append(f) }
            case .and(let cs), .or(let cs): cs.forEach(visit)
            case .not(let inner): visit(inner)
            }
        }
        visit(self)
        return seen
    }

    /// Checks the condition's shape: non-empty field names, finite numbers, well-formed patterns.
    /// - Throws: ``DictDBError/Code/invalidQuery`` or ``DictDBError/Code/invalidValue`` naming the problem.
    public func validate() throws(DictDBError) {
        switch self {
        case .all:
            return
        case .comparison(let f, _, let v):
            try Self.check(field: f)
            try v.validate(field: f)
        case .isIn(let f, let vs):
            try Self.check(field: f)
            for v in vs { try v.validate(field: f) }
        case .between(let f, let lo, let hi):
            try Self.check(field: f)
            try lo.validate(field: f)
            try hi.validate(field: f)
        case .like(let f, let pattern, let escape, _):
            try Self.check(field: f)
            if let escape, escape.unicodeScalars.count != 1 {
                throw DictDBError(
                    .invalidQuery, "a LIKE escape must be one code point, not '\(escape)'", context: .init(field: f))
            }
            if let escape, LikePattern.endsWithDanglingEscape(pattern, escape: escape) {
                throw DictDBError(
                    .invalidQuery, "LIKE pattern \(Value.string(pattern)) ends with its escape character '\(escape)'",
                    context: .init(field: f, found: pattern))
            }
        case .stringMatch(let f, _, _, _), .isNull(let f), .isNotNull(let f):
            try Self.check(field: f)
        case .contains(let f, let element, _):
            try Self.check(field: f)
            try element.validate(field: f)
        case .and(let cs), .or(let cs):
            for c in cs { try c.validate() }
        case .not(let inner):
            try inner.validate()
        }
    }

    private static func check(field: String) throws(DictDBError) {
        if field.isEmpty {
            throw DictDBError(.invalidQuery, "a condition names an empty field")
        }
    }
}
