import DictDBAPI

/// Applies a ``Schema`` to a record: defaults, coercion, types, nullability, validators, strict mode.
///
/// Pure: runs outside every lock (validators are caller code). The result lists the primary key first
/// (unless the schema places it), then the schema's fields in schema order, then any other fields in their
/// given order.
enum SchemaEnforcer {
    /// Returns `record` as the schema requires it, or throws naming table, field, value and rule.
    /// - Parameter primaryKey: always allowed in strict mode, and may be missing (a generator fills it in).
    /// - Throws: ``DictDBError/Code/schemaViolation``.
    static func enforce(
        _ record: Record, schema: Schema, table: String, primaryKey: String
    ) throws(DictDBError)
        -> Record
    {
        var output = Record()
        if schema.rule(for: primaryKey) == nil, let key = record[field: primaryKey] {
            output[primaryKey] = key
        }
        for rule in schema.fields {
            var value = record[field: rule.name]
            if value == nil, let defaultValue = rule.defaultValue { value = defaultValue }
            guard let present = value, !present.isNull else {
                if !rule.nullable && !(rule.name == primaryKey && value == nil) {
                    throw violation(
                        table, rule.name, value == nil ? "is required" : "cannot be null", value: value ?? .null,
                        expected: rule.type.rawValue)
                }
                if let value { output[rule.name] = value }
                continue
            }
            let typed = try conform(present, to: rule, schema: schema, table: table)
            for validator in rule.validators where !validator.accepts(typed) {
                throw violation(
                    table, rule.name, "fails validator \(validator.name)", value: typed, expected: validator.name)
            }
            output[rule.name] = typed
        }
        for (name, value) in record where schema.rule(for: name) == nil && name != primaryKey {
            if schema.mode == .strict {
                throw violation(
                    table, name, "is not in the schema of strict table '\(table)'", value: value,
                    expected: "no such field")
            }
            output[name] = value
        }
        return output
    }

    /// The value in the rule's type: as is, normalized (int <-> double), or coerced when the schema allows.
    private static func conform(
        _ value: Value, to rule: FieldRule, schema: Schema, table: String
    ) throws(DictDBError)
        -> Value
    {
        switch (rule.type, value) {
        case (.int, .double(let d)):
            if let i = Int64(exactly: d) { return .int(i) }
        case (.double, .int(let i)):
            return .double(Double(i))
        default:
            if rule.type.accepts(value) { return value }
        }
        if schema.coercion, let coerced = coerce(value, to: rule.type) { return coerced }
        throw violation(
            table, rule.name, "has type \(value.typeName), expected \(rule.type.rawValue)", value: value,
            expected: rule.type.rawValue)
    }

    /// Converts a value to a type when the conversion loses nothing; `nil` otherwise.
    static func coerce(_ value: Value, to type: FieldType) -> Value? {
        switch (type, value) {
        case (.int, .string(let s)):
            return Int64(s.trimmingSpaces()).map(Value.int)
        case (.int, .bool(let b)):
            return .int(b ? 1 : 0)
        case (.double, .string(let s)), (.number, .string(let s)):
            let text = s.trimmingSpaces()
            if type == .number, let i = Int64(text) { return .int(i) }
            guard let d = Double(text), d.isFinite else { return nil }
            return .double(d)
        case (.string, .int), (.string, .double), (.string, .bool):
            if case .string = value { return value }
            switch value {
            case .int(let i): return .string(String(i))
            case .double(let d): return .string(JSONText.format(d))
            case .bool(let b): return .string(b ? "true" : "false")
            default: return nil
            }
        case (.bool, .string(let s)):
            switch s.trimmingSpaces().lowercased() {
            case "true", "1", "yes": return .bool(true)
            case "false", "0", "no": return .bool(false)
            default: return nil
            }
        case (.bool, .int(let i)):
            return i == 0 || i == 1 ? .bool(i == 1) : nil
        default:
            return nil
        }
    }

    private static func violation(
        _ table: String, _ field: String, _ problem: String, value: Value, expected: String
    )
        -> DictDBError
    {
        DictDBError(
            .schemaViolation, "field '\(field)' of table '\(table)' \(problem) (value: \(value))",
            context: .init(table: table, field: field, expected: expected, found: value.description))
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
