import DictDB
import Testing

/// `Database.copyTable` makes a faithful copy: definition, indexes, records in order, key generator state.
@Suite struct CopyTableTests {
    @Test func copiesRecordsIndexesSchemaAndTheKeyCounter() throws {
        let source = Database()
        let table = try source.createTable(
            "people", schema: Schema(fields: [FieldRule("name", .string, nullable: false)]))
        try table.createIndex(on: "name", kind: "sorted", name: "by_name")
        try table.insertBatch([["name": "c"], ["name": "a"], ["name": "b"]])
        try table.delete(key: 3)  // the counter stays at 3: key 3 must never come back
        let target = Database()
        let copy = try target.copyTable(table, as: "team")
        #expect(try copy.select() == (try table.select()))
        #expect(copy.indexes == table.indexes)
        #expect(copy.schema?.fields.map(\.name) == ["name"])
        #expect(try copy.insert(["name": "d"]) == 4)
        expectCode(.schemaViolation) { try copy.insert(["age": 1]) }
    }

    @Test func aFailedCopyLeavesNoTableBehind() throws {
        let source = Database()
        let table = try source.createTable("t", keyGenerator: "uuid")
        try table.insert(["x": 1])
        var registry = Registry()
        registry.register(keyGenerator: AutoIncrementKeyGenerator())
        let target = Database(registry: registry)
        expectCode(.unknownPlugin) { try target.copyTable(table) }
        #expect(!target.hasTable("t"))
    }

    @Test func aCopyIntoAnOnDiskDatabaseIsJournaledWithItsCounter() throws {
        let directory = try TemporaryDirectory()
        let source = Database()
        let table = try source.createTable("t")
        try table.insertBatch([["x": 1], ["x": 2], ["x": 3]])
        try table.delete(key: 3)
        do {
            let db = try Database.open(at: directory.file("db"))
            try db.copyTable(table)
            // Dropped without close(), so no checkpoint: the reopen rebuilds the copy from the journal.
        }
        let reopened = try Database.open(at: directory.file("db"))
        defer { try? reopened.close() }
        let copy = try reopened.table("t")
        #expect(try copy.select() == (try table.select()))
        #expect(try copy.insert(["x": 4]) == 4)
    }
}
