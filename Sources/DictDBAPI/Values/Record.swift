/// A record: an ordered set of named fields, each holding a ``Value``.
///
/// Records are values: a record read from a table is a copy, and changing it never changes the stored
/// one. Fields keep the order in which they were first set, so output is deterministic. Reading a missing
/// field gives ``Value/null``, as conditions expect.
///
/// ```swift
/// var ada: Record = ["name": "Ada", "age": 36]
/// ada["city"] = "London"        // appends a field
/// ada["age"] = 37               // replaces in place
/// ada["city"] = nil             // removes the field
/// print(ada["missing"])         // null
/// ```
///
/// Equality and hashing ignore field order: `["a": 1, "b": 2] == ["b": 2, "a": 1]`.
///
/// - Complexity: field access is O(*n*) in the number of fields, which is fast for the small records tables
///   hold; the field-name array is shared between records of the same shape.
public struct Record: Sendable {
    /// Field names, in order. Kept separate from the values so records of one shape share one array.
    public private(set) var fieldNames: [String]
    /// Field values, parallel to ``fieldNames``.
    public private(set) var values: [Value]

    /// Creates an empty record.
    public init() {
        fieldNames = []
        values = []
    }

    /// Creates a record from (name, value) pairs; a repeated name keeps the last value at its first place.
    public init<S: Sequence>(fields: S) where S.Element == (String, Value) {
        fieldNames = []
        values = []
        let expected = fields.underestimatedCount
        fieldNames.reserveCapacity(expected)
        values.reserveCapacity(expected)
        for (name, value) in fields {
            if let i = fieldNames.firstIndex(of: name) {
                values[i] = value
            } else {
                fieldNames.append(name)
                values.append(value)
            }
        }
    }

    /// Creates a record from a dictionary, with fields sorted by name for a stable order.
    public init(_ dictionary: [String: Value]) {
        let sorted = dictionary.sorted { $0.key < $1.key }
        fieldNames = sorted.map(\.key)
        values = sorted.map(\.value)
    }

    /// Creates a record from parallel arrays of distinct names and values.
    ///
    /// Engines use this to share one field-name array between many records.
    /// - Precondition: `fieldNames.count == values.count` and the names are distinct.
    package init(sharedFieldNames fieldNames: [String], values: [Value]) {
        self.fieldNames = fieldNames
        self.values = values
    }

    /// The number of fields.
    @inlinable
    public var count: Int { fieldNames.count }

    /// Whether the record has no fields.
    @inlinable
    public var isEmpty: Bool { fieldNames.isEmpty }

    /// The position of a field, or `nil` if the record lacks it.
    ///
    /// Names compare as Swift strings do. A first pass looks for a name stored exactly like `name` (the
    /// same small string, or the same storage), which is how field names written as literals and names
    /// shared by records of one shape usually meet, and costs two word comparisons per field; only when
    /// it finds none does a second pass compare the names as strings.
    @inlinable
    public func index(ofField name: String) -> Int? {
        let names = fieldNames
        for i in names.indices where Self.sameRepresentation(names[i], name) { return i }
        for i in names.indices where names[i] == name { return i }
        return nil
    }

    /// Whether two strings have the same bit pattern: then they are the same string. (Different bit
    /// patterns can still be equal strings, so a `false` decides nothing.)
    @inlinable
    @inline(__always)
    static func sameRepresentation(_ a: String, _ b: String) -> Bool {
        guard MemoryLayout<String>.size == 2 * MemoryLayout<UInt64>.size else { return false }
        let x = unsafeBitCast(a, to: (UInt64, UInt64).self)
        let y = unsafeBitCast(b, to: (UInt64, UInt64).self)
        return x.0 == y.0 && x.1 == y.1
    }

    /// Whether the record has a field with this name (even one holding null).
    public func hasField(_ name: String) -> Bool {
        index(ofField: name) != nil
    }

    /// Reads, sets, or removes (by assigning `nil`) a field. A missing field reads as ``Value/null``.
    @inlinable
    public subscript(name: String) -> Value {
        get {
            guard let i = index(ofField: name) else { return .null }
            return values[i]
        }
        set { setField(name, to: newValue) }
    }

    /// Reads a field, or removes it when assigned `nil`.
    public subscript(field name: String) -> Value? {
        get { index(ofField: name).map { values[$0] } }
        set {
            if let newValue {
                setField(name, to: newValue)
            } else {
                removeField(name)
            }
        }
    }

    /// Sets a field, appending it when new.
    public mutating func setField(_ name: String, to value: Value) {
        if let i = index(ofField: name) {
            values[i] = value
        } else {
            fieldNames.append(name)
            values.append(value)
        }
    }

    /// Removes a field and returns its value, if it was present.
    @discardableResult
    public mutating func removeField(_ name: String) -> Value? {
        guard let i = index(ofField: name) else { return nil }
        fieldNames.remove(at: i)
        return values.remove(at: i)
    }

    /// Returns this record with the fields of `other` set over it (new fields appended in `other`'s order).
    public func merging(_ other: Record) -> Record {
        var result = self
        for (name, value) in other { result.setField(name, to: value) }
        return result
    }

    /// The record as a dictionary (field order is lost).
    public var dictionary: [String: Value] {
        Dictionary(zip(fieldNames, values), uniquingKeysWith: { _, last in last })
    }

    /// Replaces the field-name array by an equal one, so that records of the same shape share storage.
    package mutating func shareFieldNames(_ names: [String]) {
        if fieldNames == names { fieldNames = names }
    }

    /// Replaces the field-name array by `names`, which the caller has found equal to it.
    package mutating func adoptFieldNames(_ names: [String]) {
        assert(fieldNames == names, "adopted field names must equal the record's")
        fieldNames = names
    }

    /// Compares two records in the total order of values: fields sorted by name, then pairwise.
    static func compare(_ a: Record, _ b: Record) -> Int {
        let left = zip(a.fieldNames, a.values).sorted { $0.0 < $1.0 }
        let right = zip(b.fieldNames, b.values).sorted { $0.0 < $1.0 }
        for (x, y) in zip(left, right) {
            if x.0 != y.0 { return x.0 < y.0 ? -1 : 1 }
            let c = Value.compare(x.1, y.1)
            if c != 0 { return c }
        }
        return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
    }
}

extension Record: Sequence {
    /// Iterates over (name, value) pairs in field order.
    public func makeIterator() -> Zip2Sequence<[String], [Value]>.Iterator {
        zip(fieldNames, values).makeIterator()
    }
}

extension Record: Equatable {
    /// Records are equal when they have the same fields with equal values, in any order.
    public static func == (lhs: Record, rhs: Record) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.fieldNames == rhs.fieldNames { return lhs.values == rhs.values }
        for (name, value) in lhs {
            guard let j = rhs.index(ofField: name), rhs.values[j] == value else { return false }
        }
        return true
    }
}

extension Record: Hashable {
    /// Hashes independently of field order, consistently with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (name, value) in self {
            var fieldHasher = Hasher()
            fieldHasher.combine(name)
            fieldHasher.combine(value)
            combined ^= fieldHasher.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension Record: ExpressibleByDictionaryLiteral {
    /// Creates a record from a literal; fields keep the literal's order.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(fields: elements)
    }
}

extension Record: CustomStringConvertible {
    /// The record written as compact JSON in field order.
    public var description: String { Value.object(self).description }
}
