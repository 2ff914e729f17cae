import DictDB

/// Strict access to the fields of a request object: every field read must have the expected type, and
/// ``finish()`` rejects the fields nobody read, so a typo (`"limt"`) is an error instead of being ignored.
struct BodyFields {
    private let record: Record
    private let what: String
    private var read: Set<String> = []

    /// Wraps `record`, described in messages as `what` (`"the query"`).
    init(_ record: Record, what: String) {
        self.record = record
        self.what = what
    }

    /// The raw value of `name`, or `nil` when absent or null.
    mutating func value(_ name: String) -> Value? {
        read.insert(name)
        guard let value = record[field: name], !value.isNull else { return nil }
        return value
    }

    /// A string field.
    mutating func string(_ name: String) throws(DictDBError) -> String? {
        guard let value = value(name) else { return nil }
        guard case .string(let text) = value else { throw wrongType(name, "a string", value) }
        return text
    }

    /// A Boolean field.
    mutating func bool(_ name: String) throws(DictDBError) -> Bool? {
        guard let value = value(name) else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(name, "true or false", value) }
        return flag
    }

    /// An integer field within `range`.
    mutating func int(_ name: String, in range: ClosedRange<Int>) throws(DictDBError) -> Int? {
        guard let value = value(name) else { return nil }
        guard case .int(let number) = value else { throw wrongType(name, "an integer", value) }
        guard let small = Int(exactly: number), range.contains(small) else {
            throw DictDBError(
                .invalidArgument, "\(what): \"\(name)\" must be between \(range.lowerBound) and \(range.upperBound)",
                context: .init(field: name, found: value.description))
        }
        return small
    }

    /// An object field.
    mutating func object(_ name: String) throws(DictDBError) -> Record? {
        guard let value = value(name) else { return nil }
        guard case .object(let object) = value else { throw wrongType(name, "an object", value) }
        return object
    }

    /// An array field.
    mutating func array(_ name: String) throws(DictDBError) -> [Value]? {
        guard let value = value(name) else { return nil }
        guard case .array(let elements) = value else { throw wrongType(name, "an array", value) }
        return elements
    }

    /// An array of strings.
    mutating func strings(_ name: String) throws(DictDBError) -> [String]? {
        guard let elements = try array(name) else { return nil }
        var texts: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw wrongType(name, "an array of strings", element) }
            texts.append(text)
        }
        return texts
    }

    /// Throws for the first field of the object that was never read.
    func finish() throws(DictDBError) {
        if let unknown = record.fieldNames.first(where: { !read.contains($0) }) {
            let known = read.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            throw DictDBError(
                .invalidArgument, "\(what): unknown field \"\(unknown)\" (known: \(known))",
                context: .init(field: unknown))
        }
    }

    private func wrongType(_ name: String, _ expected: String, _ found: Value) -> DictDBError {
        DictDBError(
            .invalidArgument, "\(what): \"\(name)\" must be \(expected), not \(found.typeName)",
            context: .init(field: name, expected: expected, found: found.typeName))
    }
}
