import DictDB
import Testing

/// `Configuration`: a database described in JSON by the names of its plugins, tables and indexes.
@Suite struct ConfigurationTests {
    static let text = """
        {"codec": "msgpack", "compressor": "lz4", "journalFormat": "ndjson", "syncPolicy": "batch",
         "checkpointMinimumBytes": 65536,
         "tables": [
           {"name": "users", "primaryKey": "email", "keyGenerator": "uuid7",
            "schema": {"mode": "strict", "coercion": false, "fields": [
              {"name": "email", "type": "string", "nullable": false},
              {"name": "age", "type": "int", "nullable": true}]},
            "indexes": [{"fields": ["age"], "kind": "sorted"}, {"name": "by_email", "fields": ["email"], "unique": true}]},
           {"name": "events"}
         ]}
        """

    @Test func readsEveryFieldFromJSONAndWritesItBack() throws {
        let configuration = try Configuration(json: Self.text)
        #expect(configuration.codecName == "msgpack+lz4")
        #expect(configuration.journalFormat == "ndjson")
        #expect(configuration.checkpointMinimumBytes == 65536)
        #expect(configuration.tables.map(\.name) == ["users", "events"])
        #expect(
            configuration.tables[0].indexes[1] == IndexConfiguration(name: "by_email", fields: ["email"], unique: true))
        #expect(configuration.tables[1] == TableConfiguration(name: "events"))
        #expect(try Configuration(json: configuration.jsonText) == configuration)
        #expect(try Configuration(json: "{}") == Configuration())
    }

    @Test func refusesUnknownKeysAndWrongTypes() {
        expectCode(.invalidArgument) { try Configuration(json: #"{"syncPolcy": "os"}"#) }
        expectCode(.invalidArgument) { try Configuration(json: #"{"tables": [{"name": "t", "primary": "k"}]}"#) }
        expectCode(.invalidArgument) {
            try Configuration(json: #"{"tables": [{"name": "t", "indexes": [{"fields": ["a"], "knd": "hash"}]}]}"#)
        }
        expectCode(.invalidArgument) { try Configuration(json: #"{"codec": 3}"#) }
        expectCode(.invalidArgument) { try Configuration(json: #"[1]"#) }
        expectCode(.corrupt) { try Configuration(json: "{") }
    }

    @Test func anUnknownPluginNameIsATypedErrorListingTheRegisteredOnes() {
        let cases: [(Configuration, String)] = [
            (Configuration(codec: "yaml"), "json"),
            (Configuration(compressor: "zstd"), "gzip"),
            (Configuration(journalFormat: "csv"), "ndjson"),
            (Configuration(syncPolicy: "sometimes"), "always"),
            (Configuration(tables: [TableConfiguration(name: "t", keyGenerator: "snowflake")]), "uuid7"),
            (
                Configuration(tables: [
                    TableConfiguration(name: "t", indexes: [IndexConfiguration(fields: ["a"], kind: "trigram")])
                ]),
                "sorted"
            ),
        ]
        for (configuration, registered) in cases {
            do {
                try configuration.validate(against: .standard)
                Issue.record("\(configuration) validated")
            } catch {
                #expect(error.code == .unknownPlugin)
                #expect(error.message.contains(registered), "\(error.message)")
            }
        }
    }

    @Test func opensADatabaseAsDescribedAndReopensItUnchanged() throws {
        let directory = try TemporaryDirectory()
        let configuration = try Configuration(json: Self.text)
        do {
            let db = try Database.open(at: directory.file("db"), configuration: configuration)
            let users = try db.table("users")
            #expect(users.primaryKey == "email")
            #expect(users.keyGenerator.name == "uuid7")
            #expect(users.indexes.map(\.name) == ["age_sorted", "by_email"])
            #expect(db.journalStatus?.codec == "msgpack+lz4")
            #expect(db.journalStatus?.journalFormat == "ndjson")
            #expect(db.journalStatus?.syncPolicy == "batch")
            try users.insert(["email": "ada@example.com", "age": 36])
            expectCode(.schemaViolation) { try users.insert(["email": "x@example.com", "nick": "x"]) }
            try db.close()
        }
        let db = try Database.open(at: directory.file("db"), configuration: configuration)
        defer { try? db.close() }
        #expect(try db.table("users").count == 1)
        #expect(db.tableNames == ["events", "users"])
    }

    @Test func refusesADatabaseThatContradictsTheConfiguration() throws {
        let db = Database()
        try db.createTable("users", primaryKey: "id")
        try db.table("users").createIndex(on: "age", kind: "hash", name: "age_sorted")
        expectCode(.invalidArgument) {
            try db.apply(Configuration(tables: [TableConfiguration(name: "users", primaryKey: "email")]))
        }
        expectCode(.invalidArgument) {
            try db.apply(Configuration(tables: [TableConfiguration(name: "users", keyGenerator: "uuid")]))
        }
        expectCode(.invalidArgument) {
            try db.apply(
                Configuration(tables: [
                    TableConfiguration(name: "users", indexes: [IndexConfiguration(fields: ["age"], kind: "sorted")])
                ]))
        }
        // What agrees is accepted, and what is missing is added.
        try db.apply(
            Configuration(tables: [
                TableConfiguration(name: "users", indexes: [IndexConfiguration(name: "age_sorted", fields: ["age"])]),
                TableConfiguration(name: "logs"),
            ]))
        #expect(db.tableNames == ["logs", "users"])
    }

    @Test func anInMemoryDatabaseTakesTheTablesOfAConfiguration() throws {
        let db = try Database(
            configuration: Configuration(tables: [TableConfiguration(name: "cache", keyGenerator: "uuid")]))
        #expect(try db.table("cache").keyGenerator.name == "uuid")
    }
}
