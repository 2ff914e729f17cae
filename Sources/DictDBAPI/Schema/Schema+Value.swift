// The stored form of schemas, as snapshots and journal records carry them.

extension Schema {
    /// The schema as a value: `{"mode": "strict", "coercion": false, "fields": [{"name": ..., "type": ...,
    /// "nullable": ..., "default": ..., "unique": ..., "validators": [...]}, ...]}`.
    public var storedValue: Value {
        .object([
            "mode": .string(mode.rawValue),
            "coercion": .bool(coercion),
            "fields": .array(
                fields.map { rule in
                    var field: Record = [
                        "name": .string(rule.name), "type": .string(rule.type.rawValue),
                        "nullable": .bool(rule.nullable),
                    ]
                    if let defaultValue = rule.defaultValue { field["default"] = defaultValue }
                    if rule.unique { field["unique"] = true }
                    if !rule.validators.isEmpty { field["validators"] = .array(rule.validators.map(\.descriptor)) }
                    return .object(field)
                }),
        ])
    }

    /// Rebuilds a schema from ``storedValue``; custom validators are looked up in `registry`.
    /// - Throws: ``DictDBError/Code/corrupt`` for a malformed value, ``DictDBError/Code/unknownPlugin`` for
    ///   a custom validator the registry lacks.
    public init(storedValue value: Value, registry: Registry) throws(DictDBError) {
        guard let record = value.objectValue, let modeName = record["mode"].stringValue,
            let mode = Mode(rawValue: modeName), let coercion = record["coercion"].boolValue,
            let fieldValues = record["fields"].arrayValue
        else { throw Self.malformed("the schema is not an object with mode, coercion and fields") }
        var rules: [FieldRule] = []
        for fieldValue in fieldValues {
            guard let field = fieldValue.objectValue, let name = field["name"].stringValue,
                let typeName = field["type"].stringValue, let type = FieldType(rawValue: typeName),
                let nullable = field["nullable"].boolValue
            else { throw Self.malformed("a schema field lacks a name, a known type or nullability") }
            var validators: [Validator] = []
            for descriptor in field["validators"].arrayValue ?? [] {
                validators.append(try Self.validator(from: descriptor, field: name, registry: registry))
            }
            rules.append(
                FieldRule(
                    name, type, nullable: nullable, default: field[field: "default"],
                    unique: field["unique"].boolValue ?? false,
                    validators: validators))
        }
        self.init(fields: rules, mode: mode, coercion: coercion)
    }

    private static func validator(
        from descriptor: Value, field: String, registry: Registry
    ) throws(DictDBError)
        -> Validator
    {
        guard let record = descriptor.objectValue, record.count == 1,
            let (kind, argument) = record.first(where: { _ in true })
        else { throw malformed("validator \(descriptor) of field '\(field)' is not a one-entry object") }
        switch (kind, argument) {
        case ("range", .array(let bounds)) where bounds.count == 2:
            guard let lower = bounds[0].doubleValue, let upper = bounds[1].doubleValue, lower <= upper else { break }
            return .range(lower...upper)
        case ("length", .array(let bounds)) where bounds.count == 2:
            guard let lower = bounds[0].intValue, let upper = bounds[1].intValue, lower >= 0, lower <= upper,
                let low = Int(exactly: lower), let high = Int(exactly: upper)
            else { break }
            return .length(low...high)
        case ("oneOf", .array(let values)):
            return .oneOf(values)
        case ("custom", .string(let name)):
            return try registry.validator(named: name)
        default:
            break
        }
        throw malformed("validator \(descriptor) of field '\(field)' is not one DictDB knows")
    }

    private static func malformed(_ message: String) -> DictDBError {
        DictDBError(.corrupt, "stored schema is malformed: \(message)")
    }
}
