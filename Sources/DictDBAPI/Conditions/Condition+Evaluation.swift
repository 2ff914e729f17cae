// The one evaluator of conditions. Index plans and full scans both end here, so they cannot disagree.

extension Condition {
    /// Whether `record` satisfies the condition. Never throws: see ``Condition`` for the semantics.
    public func matches(_ record: Record) -> Bool {
        switch self {
        case .all:
            return true
        case .comparison(let field, let op, let operand):
            return Self.compare(record[field], op, operand)
        case .isIn(let field, let values):
            let value = record[field]
            return values.contains(value)
        case .between(let field, let lower, let upper):
            let value = record[field]
            return Self.compare(value, .greaterOrEqual, lower) && Self.compare(value, .lessOrEqual, upper)
        case .like(let field, let pattern, let escape, let caseInsensitive):
            guard case .string(let s) = record[field] else { return false }
            return LikePattern.matches(s, pattern: pattern, escape: escape, caseInsensitive: caseInsensitive)
        case .stringMatch(let field, let match, let text, let caseInsensitive):
            guard case .string(let s) = record[field] else { return false }
            let subject = caseInsensitive ? s.lowercased() : s
            let needle = caseInsensitive ? text.lowercased() : text
            switch match {
            case .prefix: return StringOrder.hasPrefix(subject, needle)
            case .suffix: return StringOrder.hasSuffix(subject, needle)
            }
        case .contains(let field, let element, let caseInsensitive):
            switch record[field] {
            case .string(let s):
                guard case .string(let needle) = element else { return false }
                if caseInsensitive { return StringOrder.contains(s.lowercased(), needle.lowercased()) }
                return StringOrder.contains(s, needle)
            case .array(let elements):
                if caseInsensitive, case .string(let needle) = element {
                    let lowered = needle.lowercased()
                    return elements.contains {
                        $0.stringValue.map { StringOrder.equal($0.lowercased(), lowered) } ?? false
                    }
                }
                return elements.contains(element)
            default:
                return false
            }
        case .isNull(let field):
            return record[field].isNull
        case .isNotNull(let field):
            return !record[field].isNull
        case .and(let conditions):
            for c in conditions where !c.matches(record) { return false }
            return true
        case .or(let conditions):
            for c in conditions where c.matches(record) { return true }
            return false
        case .not(let inner):
            return !inner.matches(record)
        }
    }

    /// `value <op> operand` under condition semantics: equality across kinds, ordering only within a kind.
    @inlinable
    public static func compare(_ value: Value, _ op: ComparisonOperator, _ operand: Value) -> Bool {
        switch op {
        case .equal: return value == operand
        case .notEqual: return value != operand
        default:
            guard value.kind == operand.kind, !value.isNull else { return false }
            let c = Value.compare(value, operand)
            switch op {
            case .less: return c < 0
            case .lessOrEqual: return c <= 0
            case .greater: return c > 0
            case .greaterOrEqual: return c >= 0
            case .equal, .notEqual: return false
            }
        }
    }
}
