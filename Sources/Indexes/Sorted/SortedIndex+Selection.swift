import DictDBAPI

// Turning a predicate into runs of entry positions. Every answer is one or more contiguous runs of the tree,
// found by ranking the two partition points that bound each run, so sizes come from subtree counts.
//
// Condition semantics decide what a run holds: `==` is equality of values (across int and double); ordering
// comparisons only match values of the operand's kind and never null; `hasPrefix` is Swift's grapheme-aware
// `String.hasPrefix`.

extension SortedIndex {
    /// Runs of positions holding the candidates for a predicate, ascending and disjoint, and a filter the
    /// candidates' keys must pass (only prefixes need one).
    struct Selection {
        /// Position ranges, in ascending order.
        var spans: [Range<Int>]
        /// A test each candidate key must pass, or `nil` when every candidate matches.
        var keyFilter: ((Value) -> Bool)?

        /// The number of candidates.
        var candidateCount: Int { spans.reduce(0) { $0 + $1.count } }
    }

    /// The candidates for `predicate`, or `nil` if this index cannot answer it.
    func selection(for predicate: IndexPredicate) -> Selection? {
        switch predicate {
        case .equal(let value):
            return Selection(spans: [span(of: KeyInterval(equalTo: value))], keyFilter: nil)
        case .anyOf(let values):
            let sorted = values.sorted { Value.compare($0, $1) < 0 }
            var spans: [Range<Int>] = []
            for (offset, value) in sorted.enumerated() {
                if offset > 0 && Value.compare(sorted[offset - 1], value) == 0 { continue }
                spans.append(span(of: KeyInterval(equalTo: value)))
            }
            return Selection(spans: spans, keyFilter: nil)
        case .range(let lower, let upper):
            guard lower != nil || upper != nil else { return nil }
            guard let interval = KeyInterval(lower: lower, upper: upper) else {
                return Selection(spans: [], keyFilter: nil)
            }
            return Selection(spans: [span(of: interval)], keyFilter: nil)
        case .prefix(let prefix):
            return prefixSelection(prefix)
        case .compositeRange(let equal, let lower, let upper):
            guard definition.fields.count > 1 else { return nil }
            return compositeSelection(equal: equal, lower: lower, upper: upper)
        case .contains:
            return nil
        }
    }

    /// The positions of the entries whose keys lie in `interval`.
    private func span(of interval: KeyInterval) -> Range<Int> {
        let start = rank { interval.lower.isBefore($0.key) }
        let end = rank { interval.upper.isBefore($0.key) }
        return start..<max(start, end)
    }

    /// String keys that start with the code points of `prefix`.
    ///
    /// Strings order by code points, so the keys with a prefix are one run that starts at the prefix itself
    /// and ends at the first key that is not such a string.
    private func prefixSelection(_ prefix: String) -> Selection {
        if prefix.isEmpty {
            return Selection(spans: [span(of: KeyInterval(kind: .string))], keyFilter: nil)
        }
        let start = rank { Value.compare($0.key, .string(prefix)) < 0 }
        let end = rank { entry in
            if Value.compare(entry.key, .string(prefix)) < 0 { return true }
            guard case .string(let key) = entry.key else { return false }
            return StringOrder.hasPrefix(key, prefix)
        }
        return Selection(spans: [start..<max(start, end)], keyFilter: nil)
    }

    /// Array keys whose first `equal.count` elements equal `equal` and whose next element lies within the
    /// bounds (of the bounds' kind); without bounds, every array key that starts with `equal`.
    private func compositeSelection(equal: [Value], lower: RangeBound?, upper: RangeBound?) -> Selection {
        if lower == nil && upper == nil {
            let start = rank { Self.groupOrder($0.key, equal) < 0 }
            let end = rank { Self.groupOrder($0.key, equal) <= 0 }
            return Selection(spans: [start..<max(start, end)], keyFilter: nil)
        }
        guard let interval = KeyInterval(lower: lower, upper: upper) else {
            return Selection(spans: [], keyFilter: nil)
        }
        // Inside the group, the array equal to `equal` (no next element) comes first and never matches.
        func isBefore(_ key: Value, _ cut: KeyCut) -> Bool {
            let order = Self.groupOrder(key, equal)
            if order != 0 { return order < 0 }
            guard case .array(let elements) = key, elements.count > equal.count else { return true }
            return cut.isBefore(elements[equal.count])
        }
        let start = rank { isBefore($0.key, interval.lower) }
        let end = rank { isBefore($0.key, interval.upper) }
        return Selection(spans: [start..<max(start, end)], keyFilter: nil)
    }

    /// Where `key` sorts relative to the arrays that start with `prefix`: negative before them, zero among
    /// them, positive after them. Monotone in the order of values.
    static func groupOrder(_ key: Value, _ prefix: [Value]) -> Int {
        guard case .array(let elements) = key else { return key.kind < .array ? -1 : 1 }
        for (element, expected) in zip(elements, prefix) {
            let order = Value.compare(element, expected)
            if order != 0 { return order }
        }
        return elements.count < prefix.count ? -1 : 0
    }

    /// A partition point in the order of values: everything before it, nothing after it.
    enum KeyCut {
        /// Just before the values equal to this one.
        case below(Value)
        /// Just after the values equal to this one.
        case above(Value)
        /// Just before the first value of this kind.
        case belowKind(Value.Kind)
        /// Just after the last value of this kind.
        case aboveKind(Value.Kind)

        /// Whether `value` lies before the cut.
        func isBefore(_ value: Value) -> Bool {
            switch self {
            case .below(let bound): return Value.compare(value, bound) < 0
            case .above(let bound): return Value.compare(value, bound) <= 0
            case .belowKind(let kind): return value.kind < kind
            case .aboveKind(let kind): return value.kind <= kind
            }
        }
    }

    /// The values between two cuts.
    struct KeyInterval {
        /// Where the interval starts.
        var lower: KeyCut
        /// Where it ends.
        var upper: KeyCut

        /// The values equal to `value`.
        init(equalTo value: Value) {
            lower = .below(value)
            upper = .above(value)
        }

        /// Every value of one kind.
        init(kind: Value.Kind) {
            lower = .belowKind(kind)
            upper = .aboveKind(kind)
        }

        /// The values an ordering comparison with these bounds matches: values of the bounds' kind within them.
        /// `nil` (nothing matches) when a bound is null or the bounds differ in kind.
        /// - Precondition: at least one bound is given.
        init?(lower: RangeBound?, upper: RangeBound?) {
            guard let kind = lower?.value.kind ?? upper?.value.kind else {
                preconditionFailure("a key interval needs a bound")
            }
            guard kind != .null, upper.map({ $0.value.kind == kind }) ?? true else { return nil }
            if let lower {
                self.lower = lower.inclusive ? .below(lower.value) : .above(lower.value)
            } else {
                self.lower = .belowKind(kind)
            }
            if let upper {
                self.upper = upper.inclusive ? .above(upper.value) : .below(upper.value)
            } else {
                self.upper = .aboveKind(kind)
            }
        }
    }
}
