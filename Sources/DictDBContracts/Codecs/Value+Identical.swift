import DictDBAPI

// Exact comparison, stricter than `==` (which treats `1 == 1.0`, compares strings by code points and ignores
// field order): what a codec's round trip must preserve.

extension Value {
    /// Whether `other` has the same kind and exactly the same content: ints stay ints, doubles bit for bit
    /// (`-0.0` is not `0.0`), strings byte for byte, fields in the same order.
    ///
    /// ```swift
    /// Value.int(1) == .double(1.0)              // true
    /// Value.int(1).isIdentical(to: .double(1))  // false
    /// ```
    public func isIdentical(to other: Value) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x.bitPattern == y.bitPattern
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.isIdentical(to: $1) }
        case (.object(let x), .object(let y)): return x.isIdentical(to: y)
        default: return false
        }
    }
}

extension Record {
    /// Whether `other` has the same fields in the same order with identical values
    /// (`Value.isIdentical(to:)`).
    public func isIdentical(to other: Record) -> Bool {
        fieldNames == other.fieldNames && values.count == other.values.count
            && zip(values, other.values).allSatisfy { $0.isIdentical(to: $1) }
    }
}
