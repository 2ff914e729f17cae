import DictDBAPI
import Engine
import Testing

@Suite struct SchemaTests {
    func people(mode: Schema.Mode = .open, coercion: Bool = false) throws -> Table {
        try makeDatabase().createTable(
            "people",
            schema: Schema(
                fields: [
                    FieldRule("name", .string, nullable: false, validators: [.length(1...10)]),
                    FieldRule("age", .int, validators: [.range(0...150)]),
                    FieldRule("score", .double),
                    FieldRule("active", .bool, default: true),
                    FieldRule("email", .string, unique: true),
                    FieldRule("role", .string, validators: [.oneOf(["admin", "user"])]),
                ], mode: mode, coercion: coercion))
    }

    @Test func defaultsFillMissingFieldsAndFieldsFollowSchemaOrder() throws {
        let table = try people()
        try table.insert(["extra": 1, "age": 36, "name": "Ada"])
        let stored = try #require(try table.get(1))
        #expect(stored == ["id": 1, "name": "Ada", "age": 36, "active": true, "extra": 1])
        #expect(stored.fieldNames == ["id", "name", "age", "active", "extra"])
    }

    @Test func typeMismatchesNameTableFieldValueAndRule() throws {
        let table = try people()
        let error = captureError { try table.insert(["name": "Ada", "age": "36"]) }
        #expect(error?.code == .schemaViolation)
        #expect(error?.context.table == "people")
        #expect(error?.context.field == "age")
        #expect(error?.context.expected == "int")
        #expect(error?.message.contains("\"36\"") == true)
        #expect(table.count == 0)
    }

    @Test func requiredFieldsMustBePresentAndNonNull() throws {
        let table = try people()
        #expect(captureError { try table.insert(["age": 3]) }?.code == .schemaViolation)
        #expect(captureError { try table.insert(["name": nil]) }?.code == .schemaViolation)
        #expect(captureError { try table.insert(["name": "x", "age": nil]) } == nil)
    }

    @Test func validatorsRejectOutOfRangeValues() throws {
        let table = try people()
        #expect(captureError { try table.insert(["name": "x", "age": 200]) }?.context.expected == "range 0.0...150.0")
        #expect(captureError { try table.insert(["name": ""]) }?.code == .schemaViolation)
        #expect(captureError { try table.insert(["name": "x", "role": "root"]) }?.code == .schemaViolation)
        #expect(captureError { try table.insert(["name": "x", "role": "admin"]) } == nil)
    }

    @Test func numbersNormalizeToTheDeclaredNumericType() throws {
        let table = try people()
        try table.insert(["name": "x", "age": 30.0, "score": 7])
        #expect(try table.get(1)?["age"] == .int(30))
        #expect(try table.get(1)?["age"].typeName == "int")
        #expect(try table.get(1)?["score"].typeName == "double")
        #expect(captureError { try table.insert(["name": "y", "age": 30.5]) }?.code == .schemaViolation)
    }

    @Test func coercionIsOptInAndExact() throws {
        let table = try people(coercion: true)
        try table.insert(["name": "x", "age": " 30 ", "score": "2.5", "active": "false"])
        #expect(try table.get(1) == ["id": 1, "name": "x", "age": 30, "score": 2.5, "active": false])
        #expect(captureError { try table.insert(["name": "y", "age": "thirty"]) }?.code == .schemaViolation)
        #expect(captureError { try table.insert(["name": "y", "score": "inf"]) }?.code == .schemaViolation)
    }

    @Test func strictTablesRejectUnknownFieldsButAllowTheKey() throws {
        let table = try people(mode: .strict)
        #expect(captureError { try table.insert(["name": "x", "nickname": "y"]) }?.code == .schemaViolation)
        #expect(try table.insert(["id": 9, "name": "x"]) == 9)
    }

    @Test func uniqueFieldsGetAUniqueIndex() throws {
        let table = try people()
        #expect(table.indexes.map(\.name) == ["unique_email"])
        try table.insert(["name": "a", "email": "a@x"])
        #expect(captureError { try table.insert(["name": "b", "email": "a@x"]) }?.code == .uniqueViolation)
    }

    @Test func updatesAndMergesAreCheckedAgainstTheSchema() throws {
        let table = try people()
        try table.insert(["name": "x", "age": 3])
        #expect(captureError { try table.update(set: ["age": "old"]) }?.code == .schemaViolation)
        #expect(captureError { try table.upsert(["id": 1, "name": nil]) }?.code == .schemaViolation)
        #expect(try table.upsert(["id": 1, "age": 4]) == .updated(1))
        #expect(try table.get(1)?["active"] == true)
    }

    @Test func theTableKeepsItsOwnCopyOfTheSchema() throws {
        var schema = Schema(fields: [FieldRule("n", .int)])
        let table = try makeDatabase().createTable("t", schema: schema)
        schema.fields[0].type = .string
        #expect(table.schema?.fields[0].type == .int)
        #expect(captureError { try table.insert(["n": "text"]) }?.code == .schemaViolation)
    }

    @Test func invalidSchemasAreRejectedAtCreation() {
        let db = makeDatabase()
        let duplicate = Schema(fields: [FieldRule("a"), FieldRule("a")])
        #expect(captureError { try db.createTable("t", schema: duplicate) }?.code == .invalidArgument)
        let badDefault = Schema(fields: [FieldRule("a", .int, default: "x")])
        #expect(captureError { try db.createTable("t", schema: badDefault) }?.code == .invalidArgument)
        #expect(!db.hasTable("t"))
    }
}
