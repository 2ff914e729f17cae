import DictDBAPI
import Engine
import Testing

@Suite struct TableCodableTests {
    struct User: Codable, Equatable {
        var id: Int64?
        var name: String
        var age: Int
        var tags: [String]
    }

    @Test func encodableValuesInsertAsRecordsAndDecodeBack() throws {
        let table = try makeDatabase().createTable("users")
        let key = try table.insert(User(id: nil, name: "Ada", age: 36, tags: ["math"]))
        #expect(key == 1)
        #expect(try table.get(1) == ["id": 1, "name": "Ada", "age": 36, "tags": ["math"]])
        let users = try table.select(as: User.self, Query(Field("age") > 30))
        #expect(users == [User(id: 1, name: "Ada", age: 36, tags: ["math"])])
        #expect(try table.get(1, as: User.self)?.name == "Ada")
        #expect(try table.get(2, as: User.self) == nil)
    }

    @Test func batchesOfEncodableValuesAreAllOrNothing() throws {
        let table = try makeDatabase().createTable("users")
        let keys = try table.insertBatch(encoding: [
            User(id: nil, name: "a", age: 1, tags: []), User(id: 10, name: "b", age: 2, tags: []),
        ])
        #expect(keys == [1, 10])
        #expect(
            captureError {
                try table.insertBatch(encoding: [
                    User(id: nil, name: "c", age: 3, tags: []), User(id: 10, name: "d", age: 4, tags: []),
                ])
            }?.code == .duplicateKey)
        #expect(table.count == 2)
    }

    @Test func recordsThatDoNotFitTheTypeAreConversionErrors() throws {
        let table = try makeDatabase().createTable("users")
        try table.insert(["name": "Ada", "age": "old", "tags": []])
        let error = captureError { try table.select(as: User.self) }
        #expect(error?.code == .conversionFailed)
        #expect(error?.context.field == "age")
    }

    @Test func dictionaryLiteralsStillInsertAsRecords() throws {
        let table = try makeDatabase().createTable("t")
        try table.insert(["name": "literal"])
        #expect(try table.get(1)?["name"] == "literal")
    }
}
