import DictDB
import Foundation
import Testing

/// Tables large enough that loading builds their indexes on a second thread while it still reads records:
/// the loaded indexes answer every query as the saved table's do (and are used), a unique index that the
/// file breaks late in the table is a corrupt file naming the index, and a file cut anywhere is a typed
/// error (the second thread stops with it).
@Suite struct LargeSnapshotLoadTests {
    static let recordCount = 20_000

    /// A table of ``recordCount`` records of three shapes (fields missing in some) with a hash, a sorted, a
    /// unique and a composite index.
    static func sample() throws -> Database {
        let db = Database()
        let people = try db.createTable("people")
        try people.createIndex(on: "dept")
        try people.createIndex(on: "salary", kind: "sorted")
        try people.createIndex(on: "email", unique: true)
        try people.createIndex(on: ["dept", "age"], kind: "composite")
        let depts: [Value] = ["eng", "ops", "sales", "support", 7]
        var records: [Record] = []
        for i in 0..<recordCount {
            let dept = depts[i % depts.count]
            let salary: Value = i % 3 == 0 ? .double(Double(i % 997) / 4) : .int(Int64((i * 7_919) % 100_003) - 50_000)
            let email: Value = i % 11 == 0 ? .null : .string("person\(i)@example.com")
            let age = Value.int(Int64(18 + i % 50))
            switch i % 7 {
            case 0: records.append(["dept": dept, "email": email])
            case 1: records.append(["age": age, "salary": salary, "dept": dept, "email": email])
            default: records.append(["dept": dept, "salary": salary, "email": email, "age": age])
            }
        }
        try people.insertBatch(records)
        return db
    }

    static let conditions: [Condition] = [
        Field("dept") == "ops", Field("dept") == 7, Field("dept").in(["eng", "support"]),
        Field("salary") >= -1_000 && Field("salary") < 2_500, Field("salary") == 10.25, Field("salary") > 49_000,
        Field("email") == "person12345@example.com", Field("email") == "person11@example.com",
        Field("dept") == "sales" && Field("age") == 30, Field("age").isNull, Field("salary").isNull,
    ]

    @Test(arguments: ["json", "msgpack", "msgpack+lz4"])
    func theLoadedIndexesAnswerAsTheSavedTablesAndAreUsed(_ codec: String) throws {
        let directory = try TemporaryDirectory()
        let saved = try Self.sample()
        let path = directory.file("db")
        try saved.save(to: path, codec: codec)
        let loaded = try Database.load(from: path, registry: .standard)
        let original = try saved.table("people")
        let table = try loaded.table("people")
        #expect(table.indexes == original.indexes)
        #expect(try table.select() == original.select())
        for condition in Self.conditions {
            #expect(try table.select(where: condition) == original.select(where: condition), "\(condition)")
            #expect(try table.count(where: condition) == original.count(where: condition), "\(condition)")
        }
        for condition in Self.conditions.prefix(9) {
            #expect(try !table.explain(Query(condition)).isFullScan, "\(condition)")
        }
        // The loaded indexes keep working under writes.
        try table.update(key: 3, set: ["salary": 10.25, "dept": 7])
        try original.update(key: 3, set: ["salary": 10.25, "dept": 7])
        for condition in Self.conditions {
            #expect(
                try table.select(where: condition) == original.select(where: condition), "after update \(condition)")
        }
    }

    @Test(arguments: ["json", "msgpack"])
    func aUniqueKeyRepeatedLateInTheFileIsCorruptNamingTheIndex(_ codecName: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db")
        try Self.sample().save(to: path, codec: codecName)
        try rewriteSnapshot(at: path, codec: codecName) { events in
            let late = recordPositions(events)[Self.recordCount - 100]
            guard case .record(var record) = events[late] else { return }
            record["email"] = "person1@example.com"
            events[late] = .record(record)
        }

        let error = #expect(throws: DictDBError.self) { try Database.load(from: path, registry: .standard) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("index 'email_hash' cannot be rebuilt") == true, "\(String(describing: error))")
        #expect(error?.message.contains("person1@example.com") == true, "\(String(describing: error))")
    }

    @Test func aLargeFileCutAnywhereIsATypedError() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db")
        try Self.sample().save(to: path, codec: "msgpack")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = directory.file("cut")
        for length in stride(from: bytes.count / 3, to: bytes.count, by: bytes.count / 12) {
            try bytes.prefix(length).write(to: URL(fileURLWithPath: cut))
            #expect(throws: DictDBError.self, "\(length) of \(bytes.count) bytes") {
                try Database.load(from: cut, registry: .standard)
            }
        }
    }
}
