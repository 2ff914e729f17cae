/// A database described by the names of its plugins and its tables: a value that reads from and writes
/// to JSON, so a database can be set up from a file.
///
/// ```json
/// {
///   "codec": "msgpack", "compressor": "lz4", "journalFormat": "binary", "syncPolicy": "batch",
///   "tables": [
///     {"name": "users", "primaryKey": "email", "keyGenerator": "uuid7",
///      "indexes": [{"fields": ["age"], "kind": "sorted"}, {"fields": ["name"], "kind": "hash", "unique": true}]}
///   ]
/// }
/// ```
///
/// ```swift
/// let configuration = try Configuration(json: text)
/// let db = try Database.open(at: "./data", configuration: configuration)
/// ```
///
/// Every field is optional: what a configuration leaves out keeps its default (or, for an existing
/// database, what the database recorded). ``validate(against:)`` checks every plugin name before anything
/// is opened; an unknown one is ``DictDBError/Code/unknownPlugin`` listing the registered names.
public struct Configuration: Codable, Sendable, Hashable {
    /// The snapshot codec (`json`, `msgpack`, or any registered codec; it may carry a compressor itself, as
    /// in `msgpack+lz4`).
    public var codec: String?
    /// A compressor to wrap the codec in (`gzip`, `lz4`, or any registered compressor).
    public var compressor: String?
    /// The journal layout of an on-disk database: `binary` or `ndjson`.
    public var journalFormat: String?
    /// The sync policy of an on-disk database: `always`, `batch`, `os`, or any registered policy.
    public var syncPolicy: String?
    /// The journal size (bytes) below which no automatic checkpoint runs.
    public var checkpointMinimumBytes: Int64?
    /// The tables to create when missing (and to check when present), in order.
    public var tables: [TableConfiguration]

    /// A configuration; every argument is optional.
    public init(
        codec: String? = nil, compressor: String? = nil, journalFormat: String? = nil, syncPolicy: String? = nil,
        checkpointMinimumBytes: Int64? = nil, tables: [TableConfiguration] = []
    ) {
        self.codec = codec
        self.compressor = compressor
        self.journalFormat = journalFormat
        self.syncPolicy = syncPolicy
        self.checkpointMinimumBytes = checkpointMinimumBytes
        self.tables = tables
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case codec, compressor, journalFormat, syncPolicy, checkpointMinimumBytes, tables
    }

    /// Decodes a configuration; `tables` may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        codec = try container.decodeIfPresent(String.self, forKey: .codec)
        compressor = try container.decodeIfPresent(String.self, forKey: .compressor)
        journalFormat = try container.decodeIfPresent(String.self, forKey: .journalFormat)
        syncPolicy = try container.decodeIfPresent(String.self, forKey: .syncPolicy)
        checkpointMinimumBytes = try container.decodeIfPresent(Int64.self, forKey: .checkpointMinimumBytes)
        tables = try container.decodeIfPresent([TableConfiguration].self, forKey: .tables) ?? []
    }

    /// The keys a configuration object may hold, for checks of hand-written files.
    public static let keys = CodingKeys.allCases.map(\.rawValue)

    /// The codec name with the compressor applied: `msgpack` and `lz4` make `msgpack+lz4`.
    public var codecName: String? {
        switch (codec, compressor) {
        case (nil, nil): return nil
        case (let codec?, nil): return codec
        case (nil, let compressor?): return "msgpack+\(compressor)"
        case (let codec?, let compressor?): return "\(codec)+\(compressor)"
        }
    }

    /// The journal layouts an on-disk database can use.
    public static let journalFormats = ["binary", "ndjson"]

    /// Checks every name against `registry` and the tables for repeated or empty names, changing nothing.
    /// - Throws: ``DictDBError/Code/unknownPlugin`` naming the first unknown codec, compressor, journal
    ///   format, sync policy, key generator, index kind or validator and listing the registered ones;
    ///   ``DictDBError/Code/invalidArgument`` for repeated tables or an index without fields.
    public func validate(against registry: Registry) throws(DictDBError) {
        if let compressor { _ = try registry.compressor(named: compressor) }
        if let codecName { _ = try registry.codec(named: codecName) }
        if let journalFormat, !Self.journalFormats.contains(journalFormat) {
            throw DictDBError(
                .unknownPlugin,
                "no journal format named '\(journalFormat)' (known: \(Self.journalFormats.joined(separator: ", ")))",
                context: .init(
                    plugin: "journalFormat:\(journalFormat)", expected: Self.journalFormats.joined(separator: ","),
                    found: journalFormat))
        }
        if let syncPolicy { _ = try registry.syncPolicy(named: syncPolicy) }
        if let checkpointMinimumBytes, checkpointMinimumBytes < 0 {
            throw DictDBError(.invalidArgument, "checkpointMinimumBytes cannot be negative")
        }
        var names = Set<String>()
        for table in tables {
            guard names.insert(table.name).inserted else {
                throw DictDBError(
                    .invalidArgument, "the configuration names table '\(table.name)' twice",
                    context: .init(table: table.name))
            }
            try table.validate(against: registry)
        }
    }
}

/// One table of a ``Configuration``.
public struct TableConfiguration: Codable, Sendable, Hashable {
    /// The table's name.
    public var name: String
    /// The primary key field (`id` when left out).
    public var primaryKey: String?
    /// The key generator (`autoincrement` when left out; `uuid`, `uuid7` or any registered generator).
    public var keyGenerator: String?
    /// The schema, in the form ``Schema/storedValue`` writes (`{"mode", "coercion", "fields": [...]}`).
    public var schema: Value?
    /// Secondary indexes to create when missing.
    public var indexes: [IndexConfiguration]

    /// A table configuration.
    public init(
        name: String, primaryKey: String? = nil, keyGenerator: String? = nil, schema: Value? = nil,
        indexes: [IndexConfiguration] = []
    ) {
        self.name = name
        self.primaryKey = primaryKey
        self.keyGenerator = keyGenerator
        self.schema = schema
        self.indexes = indexes
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, primaryKey, keyGenerator, schema, indexes
    }

    /// Decodes a table configuration; everything but `name` may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        primaryKey = try container.decodeIfPresent(String.self, forKey: .primaryKey)
        keyGenerator = try container.decodeIfPresent(String.self, forKey: .keyGenerator)
        schema = try container.decodeIfPresent(Value.self, forKey: .schema)
        indexes = try container.decodeIfPresent([IndexConfiguration].self, forKey: .indexes) ?? []
    }

    /// The keys a table configuration object may hold.
    public static let keys = CodingKeys.allCases.map(\.rawValue)

    /// The schema built with `registry`'s validators, or `nil`.
    /// - Throws: ``DictDBError/Code/corrupt`` for a malformed schema value, ``DictDBError/Code/unknownPlugin``.
    public func makeSchema(registry: Registry) throws(DictDBError) -> Schema? {
        guard let schema else { return nil }
        do {
            return try Schema(storedValue: schema, registry: registry)
        } catch {
            var error = error
            if error.code == .corrupt { error.code = .invalidArgument }
            error.message = "the schema of table '\(name)': \(error.message)"
            error.context.table = name
            throw error
        }
    }

    func validate(against registry: Registry) throws(DictDBError) {
        if let keyGenerator { _ = try registry.keyGenerator(named: keyGenerator) }
        try makeSchema(registry: registry)?.validate()
        for index in indexes {
            if index.fields.isEmpty {
                throw DictDBError(
                    .invalidArgument, "an index of table '\(name)' names no fields", context: .init(table: name))
            }
            _ = try registry.indexKind(named: index.kind ?? (index.fields.count == 1 ? "hash" : "composite"))
        }
    }
}

/// One secondary index of a ``TableConfiguration``.
public struct IndexConfiguration: Codable, Sendable, Hashable {
    /// The index name (the engine names it after its fields and kind when left out).
    public var name: String?
    /// The indexed fields, most significant first.
    public var fields: [String]
    /// The index kind (`hash` for one field, `composite` for several, when left out; `sorted`, `unique`, or
    /// any registered kind).
    public var kind: String?
    /// Whether keys must be unique.
    public var unique: Bool?
    /// Kind-specific options.
    public var options: [String: String]?

    /// An index configuration.
    public init(
        name: String? = nil, fields: [String], kind: String? = nil, unique: Bool? = nil,
        options: [String: String]? = nil
    ) {
        self.name = name
        self.fields = fields
        self.kind = kind
        self.unique = unique
        self.options = options
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, fields, kind, unique, options
    }

    /// The keys an index configuration object may hold.
    public static let keys = CodingKeys.allCases.map(\.rawValue)

    /// The kind used: ``kind``, else `hash` for one field and `composite` for several.
    public var resolvedKind: String { kind ?? (fields.count == 1 ? "hash" : "composite") }
}
