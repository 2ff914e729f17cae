import DictDBAPI
import Engine
import Testing

@Suite struct TableUpsertTests {
    func seeded() throws -> Table {
        let table = try makeDatabase().createTable("t")
        try table.insert(["id": 1, "name": "Ada", "age": 36])
        return table
    }

    @Test func insertsWhenTheKeyIsNew() throws {
        let table = try seeded()
        #expect(try table.upsert(["id": 2, "name": "Grace"]) == .inserted(2))
        #expect(try table.upsert(["name": "Keyless"]) == .inserted(3))
        #expect(table.count == 3)
    }

    @Test func mergeSetsGivenFieldsAndKeepsTheRest() throws {
        let table = try seeded()
        #expect(try table.upsert(["id": 1, "age": 37]) == .updated(1))
        #expect(try table.get(1) == ["id": 1, "name": "Ada", "age": 37])
    }

    @Test func replaceSwapsTheWholeRecord() throws {
        let table = try seeded()
        #expect(try table.upsert(["id": 1, "age": 37], onConflict: .replace) == .updated(1))
        #expect(try table.get(1) == ["id": 1, "age": 37])
    }

    @Test func ignoreLeavesTheExistingRecord() throws {
        let table = try seeded()
        #expect(try table.upsert(["id": 1, "age": 99], onConflict: .ignore) == .ignored(1))
        #expect(try table.get(1)?["age"] == 36)
    }

    @Test func failThrowsDuplicateKey() throws {
        let table = try seeded()
        #expect(captureError { try table.upsert(["id": 1], onConflict: .fail) }?.code == .duplicateKey)
    }

    @Test func aFailedUpsertChangesNothing() throws {
        let table = try seeded()
        try table.createIndex(on: "email", kind: "unique")
        try table.insert(["id": 2, "email": "g@x"])
        #expect(captureError { try table.upsert(["id": 1, "email": "g@x"]) }?.code == .uniqueViolation)
        #expect(try table.get(1) == ["id": 1, "name": "Ada", "age": 36])
        #expect(try table.select(where: Field("email") == "g@x").count == 1)
    }

    @Test func theOutcomeNamesItsKey() {
        #expect(UpsertOutcome.inserted(1).key == 1)
        #expect(UpsertOutcome.updated("a").key == "a")
        #expect(UpsertOutcome.ignored(2).key == 2)
    }
}
