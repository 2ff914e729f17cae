import DictDB
import Foundation
import Testing

@Suite struct ImportExportTests {
    /// A table with a schema: `name` a required string, `age` an int of 0...150, `email` unique.
    private static func people(in db: Database = Database(), coercion: Bool = false) throws -> Table {
        try db.createTable(
            "people",
            schema: Schema(
                fields: [
                    FieldRule("name", .string, nullable: false),
                    FieldRule("age", .int, validators: [.range(0...150)]),
                    FieldRule("email", .string, unique: true),
                ], mode: .open, coercion: coercion))
    }

    private static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private static func read(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    /// The error `body` throws, recorded as an issue when it throws none or another type.
    private static func error(_ body: () throws -> Void) -> DictDBError? {
        do {
            try body()
            Issue.record("expected a DictDBError")
        } catch let error as DictDBError {
            return error
        } catch {
            Issue.record("expected a DictDBError, got \(error)")
        }
        return nil
    }

    /// The same five people in each format; the fourth has age "old" (`bad` true) or 40.
    private static func peopleFile(_ format: RecordFileFormat, bad: Bool) -> String {
        let age = bad ? "\"old\"" : "40"
        switch format {
        case .ndjson:
            return """
                {"name":"Ada","age":36}
                {"name":"Bob","age":41,"email":"bob@x"}

                {"name":"Cy"}
                {"name":"Di","age":\(age)}
                {"name":"Ed","age":50}

                """
        case .csv:
            return """
                name,age,email
                Ada,36,
                Bob,41,bob@x
                Cy
                Di,\(bad ? "old" : "40"),
                Ed,50,

                """
        case .json:
            return """
                [{"name":"Ada","age":36},
                 {"name":"Bob","age":41,"email":"bob@x"},
                 {"name":"Cy"},
                 {"name":"Di","age":\(age)},
                 {"name":"Ed","age":50}]
                """
        }
    }

    // MARK: Import

    @Test(arguments: RecordFileFormat.allCases)
    func importsEveryRecordInOneBatch(_ format: RecordFileFormat) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("people.\(format)")
        try Self.write(Self.peopleFile(format, bad: false), to: path)
        let people = try Self.people()
        let report = try people.importRecords(from: path, format: format)
        #expect(report == ImportReport(path: path, format: format, records: 5, batches: 1))
        #expect(try people.select().map { $0["name"] } == ["Ada", "Bob", "Cy", "Di", "Ed"])
        #expect(try people.get(4) == ["id": 4, "name": "Di", "age": 40])
        #expect(try people.get(3)?.hasField("email") == false)
    }

    @Test(arguments: [
        (RecordFileFormat.ndjson, "line 5"), (.csv, "row 4 (line 5)"), (.json, "record 4 (byte"),
    ])
    func aSchemaViolationInRowNImportsNothingAndNamesRowN(_ format: RecordFileFormat, place: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("people.\(format)")
        try Self.write(Self.peopleFile(format, bad: true), to: path)
        let people = try Self.people()
        try people.insert(["name": "Zed", "age": 99])
        try people.delete(key: 1)
        try people.insert(["name": "Yan", "age": 98])
        let before = try people.select()
        let state = people.keyGeneratorState

        let error = try #require(Self.error { try people.importRecords(from: path, format: format) })
        #expect(error.code == .schemaViolation)
        #expect(error.message.contains(place), "\(error)")
        #expect(error.message.contains(path), "\(error)")
        #expect(error.message.contains("nothing was imported"), "\(error)")
        #expect(error.context.path == path)
        #expect(error.context.field == "age")
        #expect(try people.select() == before)
        #expect(people.keyGeneratorState == state)
        #expect(try people.insert(["name": "Next"]) == 3)
    }

    @Test func aDuplicateKeyAgainstTheTableNamesTheRow() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("people.ndjson")
        let lines = ["{\"id\":10,\"name\":\"A\"}", "{\"name\":\"B\",\"email\":\"b@x\"}", "{\"id\":7,\"name\":\"C\"}"]
        try Self.write(lines.joined(separator: "\n") + "\n", to: path)
        let people = try Self.people()
        try people.insert(["id": 7, "name": "Old"])
        let error = try #require(Self.error { try people.importRecords(from: path, format: .ndjson) })
        #expect(error.code == .duplicateKey)
        #expect(error.message.contains("line 3"), "\(error)")
        #expect(error.context.offset == Int64(lines[0].utf8.count + lines[1].utf8.count + 2))
        #expect(people.count == 1)
    }

    @Test func aUniqueViolationWithinTheFileNamesTheSecondRow() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("people.csv")
        try Self.write("name,email\nA,a@x\nB,b@x\nC,a@x\n", to: path)
        let people = try Self.people()
        let error = try #require(Self.error { try people.importRecords(from: path, format: .csv) })
        #expect(error.code == .uniqueViolation)
        #expect(error.message.contains("row 3 (line 4)"), "\(error)")
        #expect(people.count == 0)
    }

    @Test(arguments: [
        ("name,age\nA,1\nB,2,3\n", RecordFileFormat.csv, "row 2 (line 3)"),
        ("name,age\nA,1\n\"B,2\n", .csv, "row 2 (line 3)"),
        ("{\"name\":\"A\"}\n{\"name\":\"B\"\n", .ndjson, "line 2"),
        ("[{\"name\":\"A\"},{\"name\":\"B\"}", .json, "record 3"),
    ])
    func aMalformedFileImportsNothingAndNamesTheRow(_ text: String, format: RecordFileFormat, place: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("bad")
        try Self.write(text, to: path)
        let people = try Self.people()
        let error = try #require(Self.error { try people.importRecords(from: path, format: format) })
        #expect(error.code == .corrupt)
        #expect(error.message.contains(place), "\(error)")
        #expect(error.context.path == path)
        #expect(people.count == 0)
    }

    @Test func nonAtomicImportsKeepTheBatchesBeforeAFailure() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("many.ndjson")
        var lines = (1...25).map { "{\"name\":\"p\($0)\",\"age\":\($0)}" }
        lines[22] = "{\"name\":\"p23\",\"age\":-1}"
        try Self.write(lines.joined(separator: "\n"), to: path)
        let people = try Self.people()
        let error = try #require(
            Self.error {
                try people.importRecords(
                    from: path, format: .ndjson, options: .init(atomic: false), batchSize: 10)
            })
        #expect(error.code == .schemaViolation)
        #expect(error.message.contains("line 23"), "\(error)")
        #expect(error.message.contains("20 records of earlier batches"), "\(error)")
        #expect(people.count == 20)

        lines[22] = "{\"name\":\"p23\",\"age\":23}"
        try Self.write(lines.joined(separator: "\n"), to: path)
        let fresh = try Self.people()
        let report = try fresh.importRecords(from: path, format: .ndjson, options: .init(atomic: false), batchSize: 10)
        #expect(report.records == 25)
        #expect(report.batches == 3)
    }

    @Test func csvCellsGoThroughTheSchemaSoCoercionCanUndoInference() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("codes.csv")
        try Self.write("code,zip,n\n12,02134,7\n", to: path)
        let db = Database()
        let strict = try db.createTable("strict", schema: Schema(fields: [FieldRule("code", .string)]))
        let error = try #require(Self.error { try strict.importRecords(from: path, format: .csv) })
        #expect(error.code == .schemaViolation)
        #expect(error.message.contains("row 1 (line 2)"), "\(error)")
        let coerced = try db.createTable(
            "coerced", schema: Schema(fields: [FieldRule("code", .string)], coercion: true))
        try coerced.importRecords(from: path, format: .csv)
        #expect(try coerced.get(1) == ["id": 1, "code": "12", "zip": "02134", "n": 7])
        let strings = try db.createTable("strings")
        try strings.importRecords(from: path, format: .csv, options: .init(reader: .init(csvInfersTypes: false)))
        #expect(try strings.get(1) == ["id": 1, "code": "12", "zip": "02134", "n": "7"])
    }

    @Test func importRejectsBadArgumentsAndMissingFiles() throws {
        let directory = try TemporaryDirectory()
        let people = try Self.people()
        let missing = try #require(
            Self.error { try people.importRecords(from: directory.file("nope.csv"), format: .csv) })
        #expect(missing.code == .io)
        let path = directory.file("ok.ndjson")
        try Self.write("{\"name\":\"A\"}\n", to: path)
        let batch = try #require(Self.error { try people.importRecords(from: path, format: .ndjson, batchSize: 0) })
        #expect(batch.code == .invalidArgument)
        #expect(people.count == 0)
    }

    @Test func aReadFailureImportsNothing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("many.ndjson")
        try Self.write((1...3000).map { "{\"name\":\"person number \($0)\"}\n" }.joined(), to: path)
        let people = try Self.people()
        let faulty = FaultInjectingFileSystem(faults: [.init(.read, onCall: 2)])
        let error = try #require(
            Self.error { try people.importRecords(from: path, format: .ndjson, fileSystem: faulty) })
        #expect(error.code == .io)
        #expect(error.context.path == path)
        #expect(people.count == 0)
        #expect(try people.importRecords(from: path, format: .ndjson).records == 3000)
    }

    // MARK: Export

    @Test(arguments: [RecordFileFormat.ndjson, .json])
    func jsonExportsRoundTripEveryValueExactly(_ format: RecordFileFormat) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.\(format)")
        let db = Database()
        let source = try db.createTable("source")
        try source.insertBatch([
            ["name": "Ada", "salary": 30103.0, "tags": ["a", 1, 2.5, nil], "nested": ["k": ["deep": true]]],
            ["big": .int(.max), "small": .int(.min), "neg0": -0.0, "text": "line\n\"q\",\u{1} é😀"],
            [:],
        ])
        #expect(try source.exportRecords(to: path, format: format) == 3)
        #expect(FileManager.default.fileExists(atPath: path))
        let target = try db.createTable("target")
        #expect(try target.importRecords(from: path, format: format).records == 3)
        let original = try source.select()
        let copy = try target.select()
        #expect(copy == original)
        #expect(copy.map(\.fieldNames) == original.map(\.fieldNames))
        #expect(copy.first?["salary"].typeName == "double")
        #expect(target.keyGeneratorState == source.keyGeneratorState)
    }

    @Test func csvExportRoundTripsValuesThatTextCanTell() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.csv")
        let db = Database()
        let source = try db.createTable("source")
        try source.insertBatch([
            ["name": "Ada, \"A\"", "salary": 30103.0, "ok": true, "note": "two\r\nlines"],
            ["name": " Bob ", "age": 41, "ok": false],
            ["name": "Cy", "tags": ["x", 1]],
        ])
        #expect(try source.exportRecords(to: path, format: .csv) == 3)
        #expect(
            try Self.read(path)
                == "id,name,salary,ok,note,age,tags\r\n1,\"Ada, \"\"A\"\"\",30103.0,true,\"two\r\nlines\",,\r\n"
                + "2,\" Bob \",,false,,41,\r\n3,Cy,,,,,\"[\"\"x\"\",1]\"\r\n")
        let target = try db.createTable("target")
        try target.importRecords(
            from: path, format: .csv, options: .init(reader: .init(csvParsesJSONCells: true)))
        #expect(try target.select() == source.select())
    }

    @Test func exportWritesWhatTheQuerySelects() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("adults.csv")
        let people = try Self.people()
        try people.insertBatch([
            ["name": "Ada", "age": 36], ["name": "Kid", "age": 9], ["name": "Bob", "age": 41, "email": "b@x"],
        ])
        let query = Query(Field("age") >= 18).orderBy(.descending("age")).select("name", "age")
        #expect(try people.exportRecords(to: path, format: .csv, query: query) == 2)
        #expect(try Self.read(path) == "name,age\r\nBob,41\r\nAda,36\r\n")
        let columns = RecordWriterOptions(csvColumns: ["age"], csvLineEnding: .lf)
        #expect(try people.exportRecords(to: path, format: .csv, query: Query().limit(1), options: columns) == 1)
        #expect(try Self.read(path) == "age\n36\n")
        let none = try people.exportRecords(to: path, format: .csv, query: Query(Field("age") > 100))
        #expect(none == 0)
        #expect(try Self.read(path).isEmpty)
    }

    @Test(arguments: [
        FaultInjectingFileSystem.Fault(.createExclusive, onCall: 1),
        FaultInjectingFileSystem.Fault(.write, onCall: 1),
        FaultInjectingFileSystem.Fault(.write, onCall: 2, errno: 28, bytesWrittenFirst: 100),
        FaultInjectingFileSystem.Fault(.sync, onCall: 1),
        FaultInjectingFileSystem.Fault(.close, onCall: 1),
        FaultInjectingFileSystem.Fault(.rename, onCall: 1),
    ])
    func aFailedExportLeavesTheOldFileAndNoTemporaryFile(_ fault: FaultInjectingFileSystem.Fault) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.ndjson")
        try Self.write("old contents\n", to: path)
        let table = try Database().createTable("t")
        try table.insertBatch((0..<3000).map { ["n": .int(Int64($0)), "text": "some text to fill the buffer"] })
        let faulty = FaultInjectingFileSystem(faults: [fault])
        let error = try #require(
            Self.error { try table.exportRecords(to: path, format: .ndjson, fileSystem: faulty) })
        #expect(error.code == .io)
        #expect(faulty.triggeredFaults == [fault])
        #expect(try Self.read(path) == "old contents\n")
        #expect(directory.contents == ["out.ndjson"])
    }

    @Test func aFailedDirectorySyncAfterTheRenameLeavesTheNewFileAndNoTemporaryFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.ndjson")
        try Self.write("old contents\n", to: path)
        let table = try Database().createTable("t")
        try table.insert(["n": 1])
        let faulty = FaultInjectingFileSystem(faults: [.init(.syncDirectory, onCall: 1)])
        let error = try #require(
            Self.error { try table.exportRecords(to: path, format: .ndjson, fileSystem: faulty) })
        #expect(error.code == .io)
        #expect(try Self.read(path) == "{\"id\":1,\"n\":1}\n")
        #expect(directory.contents == ["out.ndjson"])
    }

    @Test func exportReplacesAFileAndFailsInAMissingDirectory() throws {
        let directory = try TemporaryDirectory()
        let table = try Database().createTable("t")
        try table.insert(["n": 1])
        let path = directory.file("out.json")
        try Self.write("old", to: path)
        let faulty = FaultInjectingFileSystem(faults: [])
        #expect(try table.exportRecords(to: path, format: .json, fileSystem: faulty) == 1)
        #expect(try Self.read(path) == "[\n{\"id\":1,\"n\":1}\n]\n")
        #expect(faulty.callCounts[.syncDirectory] == 1)
        #expect(faulty.callCounts[.sync] == 1)
        #expect(directory.contents == ["out.json"])
        let error = try #require(
            Self.error { try table.exportRecords(to: directory.file("missing/out.json"), format: .json) })
        #expect(error.code == .io)
    }

    // MARK: Size

    @Test(arguments: RecordFileFormat.allCases)
    func tenThousandRowsExportAndImport(_ format: RecordFileFormat) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("big.\(format)")
        let db = Database()
        let source = try db.createTable("source")
        var records: [Record] = []
        for i in 0..<10_000 {
            var record = Record()
            record["name"] = .string("user \(i)")
            record["age"] = .int(Int64(i % 90))
            record["score"] = .double(Double(i) / 8)
            record["active"] = .bool(i % 3 == 0)
            record["city"] = i % 7 == 0 ? .null : .string("City, \"\(i % 13)\"")
            records.append(record)
        }
        try source.insertBatch(records)
        let clock = ContinuousClock()
        let exportStart = clock.now
        #expect(try source.exportRecords(to: path, format: format) == 10_000)
        let exported = clock.now - exportStart
        let target = try db.createTable("target")
        let importStart = clock.now
        let report = try target.importRecords(from: path, format: format)
        let imported = clock.now - importStart
        #expect(report.records == 10_000)
        #expect(target.count == 10_000)
        #expect(try target.get(7000)?["name"] == "user 6999")
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("\(format): 10,000 rows, \(size) bytes, export \(exported), import \(imported)")
    }
}
