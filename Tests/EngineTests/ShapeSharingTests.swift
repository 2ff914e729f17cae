@_spi(Storage) import DictDBAPI
import Testing

@testable import Engine

/// Records of one shape share field-name arrays, one array per `TableStorage.recordsPerShapeCopy` records
/// rather than one per table (readers on several cores would contend for a single array's reference count),
/// and records holding different copies behave alike.
@Suite struct ShapeSharingTests {
    /// The address of the storage of `record`'s field-name array.
    static func namesStorage(_ record: Record) -> UnsafeRawPointer? {
        record.fieldNames.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    @Test func recordsOfOneShapeShareOneFieldNameArrayPerGroup() throws {
        let table = try makeDatabase().createTable("people")
        let perCopy = TableStorage.recordsPerShapeCopy
        let count = 3 * perCopy + 10
        for i in 0..<count {
            try table.insert(Record(fields: [("name", .string("p\(i)")), ("age", .int(Int64(i % 90)))]))
        }
        let records = try table.allRecords()
        #expect(records.count == count)
        let arrays = Set(records.compactMap(Self.namesStorage))
        // The first record starts the shape; each later group of `perCopy` sharers gets its own copy.
        #expect(arrays.count >= 3 && arrays.count <= 5, "\(arrays.count) field-name arrays")
        #expect(Set(records.map { (record: Record) in record.fieldNames }) == [["id", "name", "age"]])
        // Records holding different copies read, compare and select alike.
        let first = try #require(try table.get(1))
        let last = try #require(try table.get(.int(Int64(count))))
        #expect(Self.namesStorage(first) != Self.namesStorage(last))
        #expect(first["age"] == 0 && last["name"] == .string("p\(count - 1)"))
        #expect(try table.select(where: Field("age") == 1).count == records.filter { $0["age"] == 1 }.count)
        var changed = last
        changed["id"] = 1
        changed["name"] = "p0"
        changed["age"] = 0
        #expect(changed == first)
    }
}
