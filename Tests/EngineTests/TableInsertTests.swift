import DictDBAPI
import Engine
import Testing

@Suite struct TableInsertTests {
    @Test func insertReturnsIncreasingAutoKeysStartingAtOne() throws {
        let table = try makeDatabase().createTable("t")
        #expect(try table.insert(["a": 1]) == 1)
        #expect(try table.insert(["a": 2]) == 2)
        #expect(try table.get(2) == ["id": 2, "a": 2])
        #expect(try table.get(2)?.fieldNames == ["id", "a"])
    }

    @Test func explicitKeysAreKeptAndMoveTheCounterPastThem() throws {
        let table = try makeDatabase().createTable("t")
        #expect(try table.insert(["id": 10, "a": 1]) == 10)
        #expect(try table.insert(["a": 2]) == 11)
        #expect(try table.insert(["id": "custom", "a": 3]) == "custom")
        #expect(try table.insert(["id": 5, "a": 4]) == 5)
        #expect(try table.insert(["a": 5]) == 12)
    }

    @Test func keysAreNeverReusedAfterDeletes() throws {
        let table = try makeDatabase().createTable("t")
        try table.insert(["a": 1])
        try table.insert(["a": 2])
        try table.delete(key: 2)
        #expect(try table.insert(["a": 3]) == 3)
    }

    @Test func aDuplicateKeyIsATypedErrorThatChangesNothing() throws {
        let table = try makeDatabase().createTable("t")
        try table.insert(["id": 1, "a": "first"])
        let error = captureError { try table.insert(["id": 1.0, "a": "second"]) }
        #expect(error?.code == .duplicateKey)
        #expect(error?.context.key == 1)
        #expect(try table.get(1)?["a"] == "first")
        #expect(table.count == 1)
    }

    @Test func aFailedInsertConsumesNoKey() throws {
        let db = makeDatabase()
        let table = try db.createTable("t")
        try table.createIndex(on: "email", kind: "unique")
        try table.insert(["email": "a@x"])
        #expect(captureError { try table.insert(["email": "a@x"]) }?.code == .uniqueViolation)
        #expect(captureError { try table.insert(["bad": .double(.nan)]) }?.code == .invalidValue)
        #expect(table.keyGeneratorState == 1)
        #expect(try table.insert(["email": "b@x"]) == 2)
    }

    @Test func batchInsertReturnsKeysInOrder() throws {
        let table = try makeDatabase().createTable("t")
        let keys = try table.insertBatch([["a": 1], ["id": 7, "a": 2], ["a": 3]])
        #expect(keys == [1, 7, 8])
        #expect(try table.select().map { $0["a"] } == [1, 2, 3])
    }

    @Test func batchInsertIsAllOrNothing() throws {
        let table = try makeDatabase().createTable("t")
        try table.createIndex(on: "u", kind: "unique")
        try table.insert(["u": "taken"])
        let before = try table.select()
        // A duplicate within the batch, a clash with the table, a clash on a unique index, a bad value.
        let failing: [[Record]] = [
            [["id": 50, "u": 1], ["id": 50, "u": 2]],
            [["u": "fresh"], ["id": 1, "u": "other"]],
            [["u": "new"], ["u": "taken"]],
            [["u": "x"], ["u": "y"], ["u": "x"]],
            [["u": "ok"], ["v": .double(.infinity)]],
        ]
        for batch in failing {
            #expect(captureError { try table.insertBatch(batch) } != nil, "\(batch)")
            #expect(try table.select() == before)
            #expect(table.keyGeneratorState == 1)
        }
        #expect(try table.insertBatch([]).isEmpty)
    }

    @Test func nullUniqueKeysDoNotConflict() throws {
        let table = try makeDatabase().createTable("t")
        try table.createIndex(on: "u", kind: "unique")
        try table.insert(["u": nil])
        try table.insert(["x": 1])
        try table.insertBatch([["u": nil], ["u": nil]])
        #expect(table.count == 4)
    }

    @Test func storedRecordsAreCopiesTheCallerCannotChange() throws {
        let table = try makeDatabase().createTable("t")
        var record: Record = ["name": "Ada"]
        try table.insert(record)
        record["name"] = "Changed"
        var read = try table.get(1)
        read?["name"] = "Also changed"
        #expect(try table.get(1)?["name"] == "Ada")
    }

    @Test func nullOrEmptyFieldNamesAreRejected() throws {
        let table = try makeDatabase().createTable("t")
        #expect(captureError { try table.insert(["": 1]) }?.code == .invalidArgument)
        #expect(table.count == 0)
    }

    @Test func customPrimaryKeyFieldsWork() throws {
        let table = try makeDatabase().createTable("t", primaryKey: "code", keyGenerator: "uuid")
        let key = try table.insert(["name": "x"])
        guard case .string(let text) = key else {
            Issue.record("uuid keys are strings")
            return
        }
        #expect(text.count == 36)
        #expect(try table.get(key)?["code"] == key)
        #expect(try table.get(key)?["id"] == .null)
    }
}
