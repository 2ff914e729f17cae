// Equality, hashing and the total order of values.
//
// Strings compare by code points (see StringOrder.swift). Numbers are one kind: an Int64 and a Double are equal when they denote the same real number, compared
// exactly (no rounding through Double for large integers). Hashing folds every double with an exact Int64
// value onto that integer's hash, so equal values always hash alike.

extension Value: Equatable {
    /// Two values are equal when they have the same kind and content; numbers compare by numeric value.
    ///
    /// Two integers, what primary keys and hash lookups compare most, are decided inline.
    @inlinable
    public static func == (lhs: Value, rhs: Value) -> Bool {
        if case .int(let a) = lhs, case .int(let b) = rhs { return a == b }
        return equalAnyKinds(lhs, rhs)
    }

    /// Whether two values are equal by a check of a few instructions: the same integer, or strings with
    /// the same representation. A `false` decides nothing (ask ``==(_:_:)``); bulk builds use it to
    /// confirm the usual match before the full comparison.
    @inlinable
    package static func surelyEqual(_ lhs: Value, _ rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a == b
        case (.string(let a), .string(let b)): return Record.sameRepresentation(a, b)
        default: return false
        }
    }

    /// ``==(_:_:)`` for any two values.
    @usableFromInline
    static func equalAnyKinds(_ lhs: Value, _ rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)): return compareNumbers(a, b) == 0
        case (.double(let a), .int(let b)): return compareNumbers(b, a) == 0
        case (.string(let a), .string(let b)): return StringOrder.equal(a, b)
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }
}

extension Value: Hashable {
    /// Hashes consistently with ``==(_:_:)``: `1` and `1.0` hash alike.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null:
            hasher.combine(0 as UInt8)
        case .bool(let b):
            hasher.combine(1 as UInt8)
            hasher.combine(b)
        case .int(let i):
            hasher.combine(2 as UInt8)
            hasher.combine(i)
        case .double(let d):
            hasher.combine(2 as UInt8)
            if let i = Int64(exactly: d) {
                hasher.combine(i)
            } else {
                hasher.combine(d)
            }
        case .string(let s):
            hasher.combine(3 as UInt8)
            StringOrder.hash(s, into: &hasher)
        case .array(let a):
            hasher.combine(4 as UInt8)
            hasher.combine(a)
        case .object(let o):
            hasher.combine(5 as UInt8)
            hasher.combine(o)
        }
    }

    /// The hash dictionaries and sets place a value by: for a number with an integer value (most keys),
    /// the integer's own one-word hash, several times cheaper than feeding ``hash(into:)`` to a `Hasher`;
    /// for any other value, `seed` and ``hash(into:)`` through a `Hasher`. Equal values hash alike: `1`
    /// and `1.0` take the same integer path.
    public func _rawHashValue(seed: Int) -> Int {
        switch self {
        case .int(let i):
            return i._rawHashValue(seed: seed)
        case .double(let d):
            if let i = Int64(exactly: d) { return i._rawHashValue(seed: seed) }
        default:
            break
        }
        var hasher = Hasher()
        hasher.combine(seed)
        hash(into: &hasher)
        return hasher.finalize()
    }
}

extension Value: Comparable {
    /// The total order of values: `null < bool < number < string < array < object`.
    ///
    /// Within a kind: `false < true`; numbers by numeric value; strings by Unicode code points (the order
    /// of their UTF-8 bytes, without normalization); arrays lexicographically; objects by their fields
    /// sorted by name, then lexicographically.
    public static func < (lhs: Value, rhs: Value) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Three-way comparison in the total order of values: negative, zero or positive.
    ///
    /// Two integers or two doubles, what sorted indexes compare most, are decided inline; every other pair
    /// goes through the internal `compareAnyKinds(_:_:)`.
    @inlinable
    public static func compare(_ lhs: Value, _ rhs: Value) -> Int {
        if case .double(let a) = lhs, case .double(let b) = rhs { return a == b ? 0 : (a < b ? -1 : 1) }
        if case .int(let a) = lhs, case .int(let b) = rhs { return a == b ? 0 : (a < b ? -1 : 1) }
        return compareAnyKinds(lhs, rhs)
    }

    /// ``compare(_:_:)`` for any two values.
    @usableFromInline
    static func compareAnyKinds(_ lhs: Value, _ rhs: Value) -> Int {
        switch (lhs, rhs) {
        case (.null, .null): return 0
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.int(let a), .int(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.double(let a), .double(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.int(let a), .double(let b)): return compareNumbers(a, b)
        case (.double(let a), .int(let b)): return -compareNumbers(b, a)
        case (.string(let a), .string(let b)): return StringOrder.compare(a, b)
        case (.array(let a), .array(let b)):
            for (x, y) in zip(a, b) {
                let c = compare(x, y)
                if c != 0 { return c }
            }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        case (.object(let a), .object(let b)):
            return Record.compare(a, b)
        default:
            return lhs.kind < rhs.kind ? -1 : 1
        }
    }
}

/// Compares an integer with a finite double exactly, without rounding the integer through `Double`.
@usableFromInline
func compareNumbers(_ i: Int64, _ d: Double) -> Int {
    // Every Int64 lies in [-2^63, 2^63); doubles outside that range decide by sign alone.
    if d >= 9_223_372_036_854_775_808.0 { return -1 }
    if d < -9_223_372_036_854_775_808.0 { return 1 }
    let whole = d.rounded(.down)
    let wholeInt = Int64(whole)
    if i != wholeInt { return i < wholeInt ? -1 : 1 }
    return whole == d ? 0 : -1
}
