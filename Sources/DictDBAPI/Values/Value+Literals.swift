// Literal conformances, so records read like JSON: `["name": "Ada", "age": 36, "tags": ["x"]]`.

extension Value: ExpressibleByNilLiteral {
    /// Creates ``Value/null`` from `nil`.
    public init(nilLiteral: ()) { self = .null }
}

extension Value: ExpressibleByBooleanLiteral {
    /// Creates a Boolean value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension Value: ExpressibleByIntegerLiteral {
    /// Creates an integer value.
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension Value: ExpressibleByFloatLiteral {
    /// Creates a double value.
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension Value: ExpressibleByStringLiteral {
    /// Creates a string value.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension Value: ExpressibleByArrayLiteral {
    /// Creates an array value.
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
}

extension Value: ExpressibleByDictionaryLiteral {
    /// Creates an object value; fields keep the literal's order.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .object(Record(fields: elements))
    }
}

extension Value {
    /// Creates an integer value from any binary integer that fits in 64 bits, or `nil` if it does not.
    public init?<T: BinaryInteger>(exactly integer: T) {
        guard let i = Int64(exactly: integer) else { return nil }
        self = .int(i)
    }

    /// Creates an integer value.
    public init(_ integer: Int) { self = .int(Int64(integer)) }

    /// Creates a double value. Non-finite doubles are rejected when stored or queried.
    public init(_ double: Double) { self = .double(double) }

    /// Creates a string value.
    public init(_ string: String) { self = .string(string) }

    /// Creates a Boolean value.
    public init(_ bool: Bool) { self = .bool(bool) }
}

extension Value: CustomStringConvertible {
    /// The value written as compact JSON (strings quoted and escaped).
    public var description: String {
        var out = ""
        JSONText.write(self, to: &out)
        return out
    }
}
