/// The one error type DictDB throws.
///
/// Every error carries a ``code`` to branch on, a ``message`` a person can act on, a ``context`` naming
/// what was involved (table, field, key, index, plugin, path, offset) and, when the failure came from
/// below, an ``underlying`` error.
///
/// Catch a particular code with a pattern:
///
/// ```swift
/// do {
///     try users.insert(["id": 1, "name": "Ada"])
/// } catch DictDBError.duplicateKey {
///     print("already there")
/// } catch let error as DictDBError {
///     print(error.code, error.message)
/// }
/// ```
public struct DictDBError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// A sentence saying what went wrong, naming the values involved.
    public var message: String
    /// The objects the failure concerns.
    public var context: Context
    /// The error that caused this one, if any (for example a system error from a file call).
    public var underlying: (any Error & Sendable)?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, context: Context = Context(), underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.context = context
        self.underlying = underlying
    }

    /// `code: message (context)`, as printed by the CLI and logs.
    public var description: String {
        var text = "\(code): \(message)"
        let details = context.description
        if !details.isEmpty { text += " [\(details)]" }
        if let underlying { text += " (caused by \(underlying))" }
        return text
    }
}

extension DictDBError {
    /// A stable, machine-readable error code.
    ///
    /// Codes are compared with `==` or matched in `catch` clauses (`catch DictDBError.tableNotFound`).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's name, such as `"tableNotFound"`.
        public var rawValue: String
        /// Creates a code from its name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's name.
        public var description: String { rawValue }

        /// An argument is out of range or malformed (an empty name, a bad option).
        public static let invalidArgument = Code(rawValue: "invalidArgument")
        /// A value cannot be stored: a non-finite double, or a value a codec cannot represent.
        public static let invalidValue = Code(rawValue: "invalidValue")
        /// A condition or query is malformed (an unknown field in an aggregate, a bad pattern).
        public static let invalidQuery = Code(rawValue: "invalidQuery")
        /// A table of that name already exists.
        public static let tableExists = Code(rawValue: "tableExists")
        /// No table has that name.
        public static let tableNotFound = Code(rawValue: "tableNotFound")
        /// A record with that primary key already exists.
        public static let duplicateKey = Code(rawValue: "duplicateKey")
        /// No record has that primary key.
        public static let keyNotFound = Code(rawValue: "keyNotFound")
        /// A primary key is missing, null, or of a type the table's key generator cannot use.
        public static let invalidKey = Code(rawValue: "invalidKey")
        /// A unique index or field already holds that key.
        public static let uniqueViolation = Code(rawValue: "uniqueViolation")
        /// A record breaks the table's schema (type, nullability, unknown field, validator).
        public static let schemaViolation = Code(rawValue: "schemaViolation")
        /// An index of that name already exists on the table.
        public static let indexExists = Code(rawValue: "indexExists")
        /// No index has that name.
        public static let indexNotFound = Code(rawValue: "indexNotFound")
        /// No plugin of that kind is registered under that name.
        public static let unknownPlugin = Code(rawValue: "unknownPlugin")
        /// A Codable value could not be converted to or from a record.
        public static let conversionFailed = Code(rawValue: "conversionFailed")
        /// A system call failed (open, write, fsync, rename...).
        public static let io = Code(rawValue: "io")
        /// A file's bytes are not what they claim to be (checksum, structure, truncation).
        public static let corrupt = Code(rawValue: "corrupt")
        /// A file is of an unknown format or version.
        public static let unsupportedFormat = Code(rawValue: "unsupportedFormat")
        /// A size, depth or count limit was exceeded.
        public static let limitExceeded = Code(rawValue: "limitExceeded")
        /// Compression or decompression failed.
        public static let compression = Code(rawValue: "compression")
        /// Another process holds the database.
        public static let locked = Code(rawValue: "locked")
        /// The database refuses writes (after an fsync failure, or opened read-only).
        public static let readOnly = Code(rawValue: "readOnly")
        /// The operation is not valid in the object's current state (a closed database, a finished stream).
        public static let invalidState = Code(rawValue: "invalidState")

        /// Matches an error against a code in `catch` clauses and `switch` cases.
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? DictDBError)?.code == code
        }
    }

    /// The objects an error concerns; every property is optional.
    public struct Context: Sendable, Hashable, CustomStringConvertible {
        /// The table involved.
        public var table: String?
        /// The field involved.
        public var field: String?
        /// The primary key or index key involved.
        public var key: Value?
        /// The index involved.
        public var index: String?
        /// The plugin involved, as `kind:name`.
        public var plugin: String?
        /// The file involved.
        public var path: String?
        /// The byte offset in ``path`` where the problem was found.
        public var offset: Int64?
        /// What was expected, when that helps (a type, a magic number, a checksum).
        public var expected: String?
        /// What was found instead.
        public var found: String?

        /// Creates a context.
        public init(
            table: String? = nil, field: String? = nil, key: Value? = nil, index: String? = nil,
            plugin: String? = nil, path: String? = nil, offset: Int64? = nil, expected: String? = nil,
            found: String? = nil
        ) {
            self.table = table
            self.field = field
            self.key = key
            self.index = index
            self.plugin = plugin
            self.path = path
            self.offset = offset
            self.expected = expected
            self.found = found
        }

        /// `table=users field=age ...`, listing only what is set.
        public var description: String {
            var parts: [String] = []
            if let table { parts.append("table=\(table)") }
            if let field { parts.append("field=\(field)") }
            if let key { parts.append("key=\(key)") }
            if let index { parts.append("index=\(index)") }
            if let plugin { parts.append("plugin=\(plugin)") }
            if let path { parts.append("path=\(path)") }
            if let offset { parts.append("offset=\(offset)") }
            if let expected { parts.append("expected=\(expected)") }
            if let found { parts.append("found=\(found)") }
            return parts.joined(separator: " ")
        }
    }
}

extension DictDBError {
    /// Matches an error against a code in `catch` clauses: `catch DictDBError.tableNotFound`.
    public static let invalidArgument = Code.invalidArgument
    /// See ``Code/invalidValue``.
    public static let invalidValue = Code.invalidValue
    /// See ``Code/invalidQuery``.
    public static let invalidQuery = Code.invalidQuery
    /// See ``Code/tableExists``.
    public static let tableExists = Code.tableExists
    /// See ``Code/tableNotFound``.
    public static let tableNotFound = Code.tableNotFound
    /// See ``Code/duplicateKey``.
    public static let duplicateKey = Code.duplicateKey
    /// See ``Code/keyNotFound``.
    public static let keyNotFound = Code.keyNotFound
    /// See ``Code/invalidKey``.
    public static let invalidKey = Code.invalidKey
    /// See ``Code/uniqueViolation``.
    public static let uniqueViolation = Code.uniqueViolation
    /// See ``Code/schemaViolation``.
    public static let schemaViolation = Code.schemaViolation
    /// See ``Code/indexExists``.
    public static let indexExists = Code.indexExists
    /// See ``Code/indexNotFound``.
    public static let indexNotFound = Code.indexNotFound
    /// See ``Code/unknownPlugin``.
    public static let unknownPlugin = Code.unknownPlugin
    /// See ``Code/conversionFailed``.
    public static let conversionFailed = Code.conversionFailed
    /// See ``Code/io``.
    public static let io = Code.io
    /// See ``Code/corrupt``.
    public static let corrupt = Code.corrupt
    /// See ``Code/unsupportedFormat``.
    public static let unsupportedFormat = Code.unsupportedFormat
    /// See ``Code/limitExceeded``.
    public static let limitExceeded = Code.limitExceeded
    /// See ``Code/compression``.
    public static let compression = Code.compression
    /// See ``Code/locked``.
    public static let locked = Code.locked
    /// See ``Code/readOnly``.
    public static let readOnly = Code.readOnly
    /// See ``Code/invalidState``.
    public static let invalidState = Code.invalidState
}

extension DictDBError.Code: CaseIterable {
    /// Every code DictDB throws, in declaration order. Code that maps codes to something else (an HTTP
    /// status, an exit status) can check it handles each one; DictDB adds a code only with a new release.
    public static let allCases: [DictDBError.Code] = [
        .invalidArgument, .invalidValue, .invalidQuery, .tableExists, .tableNotFound, .duplicateKey,
        .keyNotFound, .invalidKey, .uniqueViolation, .schemaViolation, .indexExists, .indexNotFound,
        .unknownPlugin, .conversionFailed, .io, .corrupt, .unsupportedFormat, .limitExceeded, .compression,
        .locked, .readOnly, .invalidState,
    ]
}
