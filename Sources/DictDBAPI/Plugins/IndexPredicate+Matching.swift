// What each predicate means, as one function: the reference an index's answers are held to.

extension IndexPredicate {
    /// Whether an index key satisfies the predicate, as the condition it came from decides on the field:
    /// ``TableIndex/rows(matching:)`` must return exactly the rows whose key this accepts.
    ///
    /// It tests one key, so it is the model for tests and for indexes that verify candidates (a trigram
    /// index checks its candidates with it), not a way to answer a predicate over many keys.
    public func matches(_ key: Value) -> Bool {
        switch self {
        case .equal(let value):
            return Condition.compare(key, .equal, value)
        case .anyOf(let values):
            return values.contains(key)
        case .range(let lower, let upper):
            return Self.within(key, lower: lower, upper: upper)
        case .prefix(let prefix):
            guard case .string(let string) = key else { return false }
            return StringOrder.hasPrefix(string, prefix)
        case .compositeRange(let equal, let lower, let upper):
            guard case .array(let parts) = key, parts.count >= equal.count else { return false }
            for (part, expected) in zip(parts, equal) where !Condition.compare(part, .equal, expected) { return false }
            if lower == nil && upper == nil { return true }
            guard parts.count > equal.count else { return false }
            return Self.within(parts[equal.count], lower: lower, upper: upper)
        case .contains(let text):
            switch key {
            case .string(let string): return StringOrder.contains(string, text)
            case .array(let elements): return elements.contains(.string(text))
            default: return false
            }
        }
    }

    /// Whether `value` lies within the bounds: ordering comparisons only hold between values of one kind.
    private static func within(_ value: Value, lower: RangeBound?, upper: RangeBound?) -> Bool {
        if let lower, !Condition.compare(value, lower.inclusive ? .greaterOrEqual : .greater, lower.value) {
            return false
        }
        if let upper, !Condition.compare(value, upper.inclusive ? .lessOrEqual : .less, upper.value) {
            return false
        }
        return true
    }
}
