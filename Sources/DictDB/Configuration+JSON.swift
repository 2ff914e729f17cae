import Codecs
import DictDBAPI
import Engine

extension Configuration {
    /// Reads a configuration from JSON text, refusing keys it does not know (a misspelt `syncPolcy` is an
    /// error, not a silent default).
    ///
    /// ```swift
    /// let configuration = try Configuration(json: #"{"codec": "json", "syncPolicy": "batch"}"#)
    /// ```
    /// - Throws: `DictDBError.Code.invalidArgument` naming the unknown key or the value of the wrong
    ///   type, `DictDBError.Code.corrupt` for text that is not JSON.
    public init(json text: String) throws(DictDBError) {
        let value = try Registry.standard.codec(named: "json").decode(Array(text.utf8), limits: .default)
        try Self.checkKeys(of: value)
        do {
            self = try ValueDecoder().decode(Configuration.self, from: value)
        } catch {
            throw DictDBError(.invalidArgument, "the configuration is not valid: \(error.message)", underlying: error)
        }
    }

    /// Reads a configuration from a JSON file. See ``init(json:)``.
    /// - Throws: `DictDBError.Code.io` when the file cannot be read, and what ``init(json:)`` throws, with
    ///   the path in the context.
    public static func load(
        from path: String, fileSystem: any FileSystem = PosixFileSystem()
    ) throws(DictDBError)
        -> Configuration
    {
        let file = try fileSystem.openForReading(path)
        defer { try? file.close() }
        let bytes = try file.readAll(maxBytes: 16 << 20)
        do {
            return try Configuration(json: String(decoding: bytes, as: UTF8.self))
        } catch {
            var error = error
            error.message = "\(path): \(error.message)"
            error.context.path = path
            throw error
        }
    }

    /// The configuration as compact JSON text, unset fields left out.
    public var jsonText: String {
        guard let value = try? ValueEncoder().encode(self) else { return "{}" }
        return value.description
    }

    private static func checkKeys(of value: Value) throws(DictDBError) {
        guard let object = value.objectValue else {
            throw DictDBError(.invalidArgument, "a configuration is a JSON object, not \(value)")
        }
        try check(object, allowed: Configuration.keys, what: "the configuration")
        for table in object["tables"].arrayValue ?? [] {
            guard let tableObject = table.objectValue else { continue }
            let name = tableObject["name"].stringValue ?? "?"
            try check(tableObject, allowed: TableConfiguration.keys, what: "table '\(name)'")
            for index in tableObject["indexes"].arrayValue ?? [] {
                guard let indexObject = index.objectValue else { continue }
                try check(indexObject, allowed: IndexConfiguration.keys, what: "an index of table '\(name)'")
            }
        }
    }

    private static func check(_ object: Record, allowed: [String], what: String) throws(DictDBError) {
        for key in object.fieldNames where !allowed.contains(key) {
            throw DictDBError(
                .invalidArgument,
                "unknown key '\(key)' in \(what) (known: \(allowed.joined(separator: ", ")))",
                context: .init(expected: allowed.joined(separator: ","), found: key))
        }
    }
}

extension Database {
    /// Opens (or creates) the on-disk database in `directory` as `configuration` describes it, with the
    /// built-in plugins. See `Database.open(at:configuration:registry:options:)`.
    ///
    /// ```swift
    /// let db = try Database.open(at: "./data", configuration: try .load(from: "dictdb-config.json"))
    /// ```
    public static func open(at directory: String, configuration: Configuration) throws(DictDBError) -> Database {
        try open(at: directory, configuration: configuration, registry: .standard)
    }

    /// An in-memory database with the built-in plugins and `configuration`'s tables and indexes.
    ///
    /// ```swift
    /// let db = try Database(configuration: Configuration(tables: [TableConfiguration(name: "cache")]))
    /// ```
    /// - Throws: what `Database.apply(_:)` throws.
    public convenience init(configuration: Configuration) throws(DictDBError) {
        self.init(registry: .standard)
        try apply(configuration)
    }
}

/// Opens (or creates) the on-disk database in `directory` as `configuration` describes it, with the
/// built-in plugins: `DictDB.open(at:configuration:)`.
public func open(at directory: String, configuration: Configuration) throws(DictDBError) -> Database {
    try Database.open(at: directory, configuration: configuration, registry: .standard)
}
