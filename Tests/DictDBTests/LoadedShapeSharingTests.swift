import DictDB
import Testing

/// Records loaded from a snapshot share their field-name arrays in groups, as inserted ones do (one array
/// per table would have readers on several cores contend for its reference count), whatever the codec, and
/// read back as saved.
@Suite struct LoadedShapeSharingTests {
    @Test(arguments: ["json", "msgpack"])
    func loadedRecordsOfOneShapeShareFieldNamesInGroups(_ codec: String) throws {
        let directory = try TemporaryDirectory()
        let saved = Database()
        let people = try saved.createTable("people")
        try people.createIndex(on: "age", kind: "sorted")
        let count = 2_000
        try people.insertBatch(
            (0..<count).map { Record(fields: [("name", .string("p\($0)")), ("age", .int(Int64($0 % 70)))]) })
        let path = directory.file("db")
        try saved.save(to: path, codec: codec)
        let loaded = try Database.load(from: path, registry: .standard).table("people")
        let records = try loaded.allRecords()
        #expect(try records == people.allRecords())
        let arrays = Set(records.map { $0.fieldNames.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } })
        // 2,000 records in groups of 256: about eight arrays, neither one nor one per record.
        #expect(arrays.count >= 4 && arrays.count <= 12, "\(arrays.count) field-name arrays")
        #expect(try loaded.select(where: Field("age") == 7).count == count / 70 + 1)
    }
}
