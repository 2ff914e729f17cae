/// The rules a table's records follow: field types, nullability, defaults, validators, uniqueness.
///
/// A schema is optional. In ``Mode/open`` mode fields it does not name are stored as given; in
/// ``Mode/strict`` mode they are rejected. With ``coercion`` on, values convert to the declared type when
/// that loses nothing (`"30"` to `30`, `30` to `30.0`, `"true"` to `true`).
///
/// ```swift
/// let schema = Schema(fields: [
///     FieldRule("name", .string, nullable: false, validators: [.length(1...100)]),
///     FieldRule("age", .int, validators: [.range(0...150)]),
///     FieldRule("email", .string, unique: true),
///     FieldRule("active", .bool, default: true),
/// ], mode: .strict)
/// ```
///
/// A table keeps its own copy: changing a schema value after creating a table changes nothing.
public struct Schema: Sendable {
    /// Field rules, in the order records print.
    public var fields: [FieldRule]
    /// What happens to fields the schema does not name.
    public var mode: Mode
    /// Whether values convert to the declared type when exact.
    public var coercion: Bool

    /// Creates a schema.
    public init(fields: [FieldRule], mode: Mode = .open, coercion: Bool = false) {
        self.fields = fields
        self.mode = mode
        self.coercion = coercion
    }

    /// What a schema does with fields it does not name.
    public enum Mode: String, Sendable, Hashable, Codable {
        /// Keep them as given.
        case open
        /// Reject the record.
        case strict
    }

    /// The rule for a field, if the schema names it.
    public func rule(for field: String) -> FieldRule? {
        fields.first { $0.name == field }
    }

    /// Checks the schema itself: distinct non-empty names, defaults that follow their own rule.
    /// - Throws: ``DictDBError/Code/invalidArgument`` naming the field.
    public func validate() throws(DictDBError) {
        var seen = Set<String>()
        for rule in fields {
            if rule.name.isEmpty { throw DictDBError(.invalidArgument, "a schema field has an empty name") }
            if !seen.insert(rule.name).inserted {
                throw DictDBError(
                    .invalidArgument, "schema names field '\(rule.name)' twice", context: .init(field: rule.name))
            }
            if let value = rule.defaultValue {
                try value.validate(field: rule.name)
                if !rule.type.accepts(value) && !(value.isNull && rule.nullable) {
                    throw DictDBError(
                        .invalidArgument,
                        "default \(value) of field '\(rule.name)' is not of its type \(rule.type.rawValue)",
                        context: .init(field: rule.name, expected: rule.type.rawValue, found: value.typeName))
                }
            }
        }
    }
}

/// The rule for one field of a ``Schema``.
public struct FieldRule: Sendable {
    /// The field's name.
    public var name: String
    /// The type its non-null values must have.
    public var type: FieldType
    /// Whether null (or a missing field without default) is allowed.
    public var nullable: Bool
    /// The value a record gets when it lacks the field.
    public var defaultValue: Value?
    /// Whether two records may not share a non-null value (a unique index is created for it).
    public var unique: Bool
    /// Further checks on non-null values.
    public var validators: [Validator]

    /// Creates a field rule.
    public init(
        _ name: String, _ type: FieldType = .any, nullable: Bool = true, default defaultValue: Value? = nil,
        unique: Bool = false, validators: [Validator] = []
    ) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.defaultValue = defaultValue
        self.unique = unique
        self.validators = validators
    }
}

/// The types a schema can require of a field.
public enum FieldType: String, Sendable, Hashable, Codable, CaseIterable {
    /// Any value.
    case any
    /// A Boolean.
    case bool
    /// An integer (or a double with an exact integer value, stored as an int).
    case int
    /// A double (integers are stored as doubles).
    case double
    /// Any number, int or double, stored as given.
    case number
    /// A string.
    case string
    /// An array.
    case array
    /// An object.
    case object

    /// Whether a non-null value already has this type without conversion.
    public func accepts(_ value: Value) -> Bool {
        switch (self, value) {
        case (.any, _): return true
        case (.bool, .bool), (.int, .int), (.double, .double), (.string, .string), (.array, .array),
            (.object, .object):
            return true
        case (.number, .int), (.number, .double): return true
        default: return false
        }
    }
}

/// A check on a field's non-null value.
///
/// The built-in validators (``range(_:)``, ``length(_:)``, ``oneOf(_:)``) persist with the schema. A
/// custom validator persists by name: register it in the ``Registry`` (`register(validator:)`) of every
/// database that loads the table.
public struct Validator: Sendable {
    /// What the validator checks, named in error messages.
    public var name: String
    /// How the validator is stored: `{"range": [lo, hi]}`, `{"length": [lo, hi]}`, `{"oneOf": [...]}` or
    /// `{"custom": name}`.
    public let descriptor: Value
    private let check: @Sendable (Value) -> Bool

    /// Creates a custom validator from a name and a predicate. The predicate must be pure and fast; it runs
    /// outside every lock.
    public init(_ name: String, _ check: @escaping @Sendable (Value) -> Bool) {
        self.init(name: name, descriptor: ["custom": .string(name)], check: check)
    }

    private init(name: String, descriptor: Value, check: @escaping @Sendable (Value) -> Bool) {
        self.name = name
        self.descriptor = descriptor
        self.check = check
    }

    /// Whether `value` passes.
    public func accepts(_ value: Value) -> Bool { check(value) }

    /// A number within `range`.
    public static func range(_ range: ClosedRange<Double>) -> Validator {
        Validator(
            name: "range \(range.lowerBound)...\(range.upperBound)",
            descriptor: ["range": [.double(range.lowerBound), .double(range.upperBound)]]
        ) { value in
            guard let d = value.doubleValue else { return false }
            return range.contains(d)
        }
    }

    /// A string whose character count, or an array whose element count, is within `range`.
    public static func length(_ range: ClosedRange<Int>) -> Validator {
        Validator(
            name: "length \(range.lowerBound)...\(range.upperBound)",
            descriptor: ["length": [.int(Int64(range.lowerBound)), .int(Int64(range.upperBound))]]
        ) { value in
            switch value {
            case .string(let s): return range.contains(s.count)
            case .array(let a): return range.contains(a.count)
            default: return false
            }
        }
    }

    /// One of the listed values.
    public static func oneOf(_ values: [Value]) -> Validator {
        Validator(name: "one of \(Value.array(values))", descriptor: ["oneOf": .array(values)]) { values.contains($0) }
    }
}
