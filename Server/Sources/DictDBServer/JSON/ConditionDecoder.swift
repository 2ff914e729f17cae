import DictDB

/// Maps the JSON form of conditions onto ``Condition``, strictly: an unknown operator, a missing or
/// extra member, or a value of the wrong shape is ``DictDBError/Code/invalidQuery`` naming the problem.
///
/// ```json
/// {"and": [{"field": "dept", "op": "==", "value": "eng"},
///          {"or": [{"field": "age", "op": ">=", "value": 30}, {"not": {"field": "age", "op": "isNull"}}]}]}
/// ```
///
/// Operators: `==` `!=` `<` `<=` `>` `>=` (`value`), `in` (`value`: an array), `between` (`value`: `[low,
/// high]`), `like` `ilike` (`value`: a pattern, optional `escape`), `prefix` `suffix` `contains` (optional
/// `caseInsensitive`), `isNull` `isNotNull` (no `value`). Combinators: `and`, `or` (arrays), `not` (an object).
public enum ConditionDecoder {
    /// Every operator name the `op` member accepts.
    public static let operators: [String] =
        ComparisonOperator.allCases.map(\.rawValue) + [
            "in", "between", "like", "ilike", "prefix", "suffix", "contains", "isNull", "isNotNull",
        ]

    /// Decodes one condition object.
    /// - Throws: ``DictDBError/Code/invalidQuery`` for an unknown operator or a malformed shape,
    ///   ``DictDBError/Code/invalidValue`` for a value DictDB cannot store.
    public static func decode(_ value: Value) throws(DictDBError) -> Condition {
        guard case .object(let object) = value else {
            throw invalid("a condition must be a JSON object, not \(value.typeName)")
        }
        let condition: Condition
        if object.hasField("and") || object.hasField("or") || object.hasField("not") {
            condition = try combinator(object)
        } else if object.hasField("field") {
            condition = try predicate(object)
        } else {
            throw invalid(
                "a condition needs \"field\" and \"op\", or one of \"and\", \"or\", \"not\"; found "
                    + (object.isEmpty
                        ? "an empty object" : object.fieldNames.map { "\"\($0)\"" }.joined(separator: ", ")))
        }
        try condition.validate()
        return condition
    }

    private static func combinator(_ object: Record) throws(DictDBError) -> Condition {
        guard object.count == 1, let name = object.fieldNames.first else {
            throw invalid("\"and\", \"or\" and \"not\" each stand alone in their object")
        }
        let operand = object[name]
        if name == "not" {
            return .not(try decode(operand))
        }
        guard case .array(let elements) = operand else {
            throw invalid("\"\(name)\" takes an array of conditions, not \(operand.typeName)")
        }
        var conditions: [Condition] = []
        conditions.reserveCapacity(elements.count)
        for element in elements { conditions.append(try decode(element)) }
        return name == "and" ? .and(conditions) : .or(conditions)
    }

    private static func predicate(_ object: Record) throws(DictDBError) -> Condition {
        let allowed: Set<String> = ["field", "op", "value", "caseInsensitive", "escape"]
        if let extra = object.fieldNames.first(where: { !allowed.contains($0) }) {
            throw invalid(
                "unknown member \"\(extra)\" in a condition (allowed: field, op, value, caseInsensitive, escape)")
        }
        guard case .string(let field) = object["field"] else { throw invalid("\"field\" must be a string") }
        guard case .string(let op) = object["op"] else {
            throw invalid("the condition on \"\(field)\" needs \"op\", a string: one of \(operatorList)")
        }
        let value = object[field: "value"]
        let caseInsensitive = try flag(object, "caseInsensitive", op: op, allowedFor: ["prefix", "suffix", "contains"])
        if object.hasField("escape") && op != "like" && op != "ilike" {
            throw invalid("\"escape\" only goes with like and ilike, not \(op)")
        }

        if let comparison = ComparisonOperator(rawValue: op) {
            return .comparison(field: field, op: comparison, value: try required(value, op))
        }
        switch op {
        case "in":
            guard case .array(let values) = try required(value, op) else {
                throw invalid("\"in\" takes an array \"value\"")
            }
            return .isIn(field: field, values: values)
        case "between":
            guard case .array(let bounds) = try required(value, op), bounds.count == 2 else {
                throw invalid("\"between\" takes \"value\": [low, high]")
            }
            return .between(field: field, lower: bounds[0], upper: bounds[1])
        case "like", "ilike":
            let pattern = try string(value, op)
            var escape: Character?
            if let escapeValue = object[field: "escape"] {
                guard case .string(let text) = escapeValue, text.unicodeScalars.count == 1, let character = text.first
                else { throw invalid("\"escape\" must be a one-character string") }
                escape = character
            }
            return .like(field: field, pattern: pattern, escape: escape, caseInsensitive: op == "ilike")
        case "prefix", "suffix":
            return .stringMatch(
                field: field, match: op == "prefix" ? .prefix : .suffix, text: try string(value, op),
                caseInsensitive: caseInsensitive)
        case "contains":
            return .contains(field: field, element: try required(value, op), caseInsensitive: caseInsensitive)
        case "isNull", "isNotNull":
            guard value == nil else { throw invalid("\"\(op)\" takes no \"value\"") }
            return op == "isNull" ? .isNull(field: field) : .isNotNull(field: field)
        default:
            throw DictDBError(
                .invalidQuery, "unknown operator \"\(op)\"; use one of \(operatorList)",
                context: .init(field: field, expected: operatorList, found: op))
        }
    }

    private static var operatorList: String { operators.joined(separator: " ") }

    private static func required(_ value: Value?, _ op: String) throws(DictDBError) -> Value {
        guard let value else { throw invalid("\"\(op)\" needs a \"value\"") }
        return value
    }

    private static func string(_ value: Value?, _ op: String) throws(DictDBError) -> String {
        guard case .string(let text) = try required(value, op) else {
            throw invalid("\"\(op)\" takes a string \"value\"")
        }
        return text
    }

    private static func flag(
        _ object: Record, _ name: String, op: String, allowedFor ops: Set<String>
    ) throws(DictDBError) -> Bool {
        guard let value = object[field: name] else { return false }
        guard ops.contains(op) else { throw invalid("\"\(name)\" does not go with \(op)") }
        guard case .bool(let flag) = value else { throw invalid("\"\(name)\" must be true or false") }
        return flag
    }

    private static func invalid(_ message: String) -> DictDBError {
        DictDBError(.invalidQuery, message)
    }
}
