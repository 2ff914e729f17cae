import DictDBAPI

extension Database {
    /// Opens (or creates) the on-disk database in `directory` as `configuration` describes it: its codec,
    /// journal format and sync policy, and the tables and indexes it must have.
    ///
    /// ```swift
    /// let configuration = Configuration(
    ///     codec: "msgpack", compressor: "lz4", syncPolicy: "batch",
    ///     tables: [TableConfiguration(name: "users", indexes: [IndexConfiguration(fields: ["age"], kind: "sorted")])])
    /// let db = try Database.open(at: "./data", configuration: configuration, registry: .standard)
    /// ```
    ///
    /// Every plugin name is checked against `registry` before anything on disk is touched. Then the database
    /// opens with the configuration's settings (options set in `options` win), and ``apply(_:)`` creates the
    /// tables and indexes that are missing and checks the ones that exist.
    /// - Throws: `DictDBError.Code.unknownPlugin` listing the registered names; what
    ///   ``open(at:options:registry:)`` and ``apply(_:)`` throw. A database that opened but did not match
    ///   the configuration is closed again.
    public static func open(
        at directory: String, configuration: Configuration, registry: Registry, options: OpenOptions = OpenOptions()
    ) throws(DictDBError) -> Database {
        try configuration.validate(against: registry)
        var options = options
        if options.codec == nil { options.codec = configuration.codecName }
        if options.journalFormat == nil { options.journalFormat = configuration.journalFormat }
        if options.syncPolicy == nil { options.syncPolicy = configuration.syncPolicy }
        if let minimum = configuration.checkpointMinimumBytes { options.checkpointMinimumBytes = minimum }
        let database = try open(at: directory, options: options, registry: registry)
        do {
            try database.apply(configuration)
        } catch {
            try? database.close(checkpointing: false)
            throw error
        }
        return database
    }

    /// Makes the database match `configuration`'s tables: creates each missing table with its primary key,
    /// key generator and schema, and each missing index; checks that tables and indexes already there agree
    /// with it. Settings that only apply when opening (codec, sync policy) are ignored here.
    ///
    /// ```swift
    /// let db = Database(registry: .standard)
    /// try db.apply(Configuration(tables: [TableConfiguration(name: "events", keyGenerator: "uuid7")]))
    /// ```
    /// - Throws: `DictDBError.Code.unknownPlugin` for names `registry` lacks, `DictDBError.Code.invalidArgument`
    ///   when an existing table has another primary key, key generator or schema, or an existing index
    ///   another definition; the errors of creating an index (`DictDBError.Code.uniqueViolation`...).
    ///   Tables and indexes made before the failure stay.
    public func apply(_ configuration: Configuration) throws(DictDBError) {
        try configuration.validate(against: registry)
        for tableConfiguration in configuration.tables {
            let table = try table(matching: tableConfiguration)
            for index in tableConfiguration.indexes {
                try ensure(index, on: table)
            }
        }
    }

    /// The configured table: created when missing, checked when present.
    private func table(matching configuration: TableConfiguration) throws(DictDBError) -> Table {
        let schema = try configuration.makeSchema(registry: registry)
        let primaryKey = configuration.primaryKey ?? "id"
        let generator = configuration.keyGenerator ?? "autoincrement"
        guard hasTable(configuration.name) else {
            return try createTable(
                configuration.name, primaryKey: primaryKey, keyGenerator: generator, schema: schema, ifNotExists: true)
        }
        let table = try table(configuration.name)
        func mismatch(_ what: String, _ existing: String, _ configured: String) -> DictDBError {
            DictDBError(
                .invalidArgument,
                "table '\(table.name)' has \(what) \(existing), the configuration says \(configured)",
                context: .init(table: table.name, expected: configured, found: existing))
        }
        if table.primaryKey != primaryKey {
            throw mismatch("primary key", "'\(table.primaryKey)'", "'\(primaryKey)'")
        }
        if table.keyGenerator.name != generator {
            throw mismatch("key generator", "'\(table.keyGenerator.name)'", "'\(generator)'")
        }
        if let schema, table.schema?.storedValue != schema.storedValue {
            throw mismatch(
                "schema", table.schema.map { "\($0.storedValue)" } ?? "none", "\(schema.storedValue)")
        }
        return table
    }

    /// The configured index: created when missing, checked when present.
    private func ensure(_ configuration: IndexConfiguration, on table: Table) throws(DictDBError) {
        let kind = configuration.resolvedKind
        let name = configuration.name ?? IndexDefinition.defaultName(fields: configuration.fields, kind: kind)
        let unique = configuration.unique ?? false
        let options = configuration.options ?? [:]
        guard let existing = table.indexes.first(where: { $0.name == name }) else {
            try table.createIndex(on: configuration.fields, kind: kind, name: name, unique: unique, options: options)
            return
        }
        let wanted = IndexDefinition(
            name: name, fields: configuration.fields, kind: kind, unique: unique || kind == "unique", options: options)
        if existing != wanted {
            throw DictDBError(
                .invalidArgument,
                "table '\(table.name)' has index \(existing), the configuration says \(wanted)",
                context: .init(table: table.name, index: name, expected: "\(wanted)", found: "\(existing)"))
        }
    }
}
