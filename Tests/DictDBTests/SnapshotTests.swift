import DictDB
import Foundation
import Testing

@Suite struct SnapshotTests {
    static let codecs = ["json", "msgpack", "json+gzip", "json+lz4", "msgpack+gzip", "msgpack+lz4"]

    static func registry() -> Registry {
        var registry = Registry.standard
        registry.register(validator: Validator("even") { ($0.intValue ?? 1) % 2 == 0 })
        return registry
    }

    /// A database with two tables, a schema with every validator kind, indexes and deleted keys.
    static func sample() throws -> Database {
        let db = Database(registry: registry())
        let people = try db.createTable(
            "people",
            schema: Schema(
                fields: [
                    FieldRule("name", .string, nullable: false, validators: [.length(1...20)]),
                    FieldRule(
                        "age", .int, validators: [.range(0...150), Validator("even") { ($0.intValue ?? 1) % 2 == 0 }]),
                    FieldRule("email", .string, unique: true),
                    FieldRule("role", .string, default: "user", validators: [.oneOf(["user", "admin"])]),
                ], mode: .open, coercion: true))
        try people.createIndex(on: "role")
        try people.insertBatch([
            ["name": "Ada", "age": 36, "email": "ada@x", "score": 30103.0, "tags": ["a", "b"]],
            ["name": "Grace", "age": 44, "email": "grace@x", "nested": ["deep": [1, 2.5, nil, true]]],
            ["name": "Zoë 👩‍💻", "age": 2, "email": "z@x", "big": .int(.max), "small": .int(.min), "neg0": -0.0],
        ])
        try people.delete(key: 2)
        let events = try db.createTable("events", primaryKey: "uid", keyGenerator: "uuid7")
        try events.insert(["kind": "start"])
        try db.createTable("empty")
        return db
    }

    static func contents(_ db: Database) throws -> [String: [Record]] {
        var result: [String: [Record]] = [:]
        for name in db.tableNames { result[name] = try db.table(name).select() }
        return result
    }

    @Test(arguments: codecs)
    func saveAndLoadRoundTripRecordsSchemasIndexesAndKeyState(_ codec: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.snapshot")
        let db = try Self.sample()
        let info = try db.save(to: path, codec: codec)
        #expect(info.codec == codec)
        #expect(info.tables == 3)
        #expect(info.records == 3)
        #expect(info.bytes > 0)
        #expect(directory.contents == ["db.snapshot"])

        let loaded = try Database.load(from: path, registry: Self.registry())
        #expect(try Self.contents(loaded) == Self.contents(db))
        let people = try loaded.table("people")
        let ada = try #require(try people.get(1))
        #expect(ada["score"].typeName == "double")
        #expect(ada.fieldNames == (try db.table("people").get(1))?.fieldNames)
        #expect(people.indexes.map(\.name) == ["unique_email", "role_hash"])
        #expect(try people.explain(Query(Field("role") == "user")).isFullScan == false)
        #expect(try people.insert(["name": "New", "age": 4]) == 4)
        #expect(throws: DictDBError.self) { try people.insert(["name": "Dup", "email": "ada@x"]) }
        #expect(throws: DictDBError.self) { try people.insert(["name": "Odd", "age": 3]) }
        #expect(try people.insert(["name": "Coerced", "age": "8"]) == 5)
        #expect(try loaded.table("events").keyGenerator.name == "uuid7")
    }

    @Test func theCodecIsDetectedFromTheFileAndAnExplicitOneIsHonoured() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.sample()
        for codec in Self.codecs {
            let path = directory.file(codec)
            try db.save(to: path, codec: codec)
            #expect(
                try Self.contents(Database.load(from: path, registry: Self.registry(), codec: codec))
                    == Self.contents(db))
        }
        let wrong = #expect(throws: DictDBError.self) {
            try Database.load(from: directory.file("json"), registry: Self.registry(), codec: "msgpack")
        }
        #expect(wrong?.context.path == directory.file("json"))
    }

    @Test func aRegistryWithoutAPluginTheFileNamesIsATypedErrorNamingIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db")
        try Self.sample().save(to: path)
        let error = #expect(throws: DictDBError.self) { try Database.load(from: path, registry: .standard) }
        #expect(error?.code == .unknownPlugin)
        #expect(error?.message.contains("even") == true)
    }

    @Test func unknownCodecsAreRejectedBeforeAnyFileIsCreated() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: DictDBError.self) { try Database().save(to: directory.file("x"), codec: "yaml") }
        #expect(error?.code == .unknownPlugin)
        #expect(directory.contents.isEmpty)
    }

    @Test func filesThatAreNotSnapshotsGiveTypedErrors() throws {
        let directory = try TemporaryDirectory()
        let cases: [(String, [UInt8])] = [
            ("empty", []), ("text", Array("hello world".utf8)), ("json", Array(#"{"a": 1}"#.utf8)),
            (
                "wrongformat",
                Array(#"{"_meta":{"format":"other","version":1},"tables":[],"checksum":"crc32:00000000"}"#.utf8)
            ),
        ]
        for (name, bytes) in cases {
            let path = directory.file(name)
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let error = #expect(throws: DictDBError.self) { try Database.load(from: path, registry: .standard) }
            #expect(
                [DictDBError.Code.corrupt, .unsupportedFormat].contains(error?.code),
                "\(name): \(String(describing: error))")
        }
        let missing = #expect(throws: DictDBError.self) {
            try Database.load(from: directory.file("nope"), registry: .standard)
        }
        #expect(missing?.code == .io)
    }

    /// A file whose checksum is right but whose table repeats a primary key is corrupt, and says which key.
    @Test(arguments: ["json", "msgpack"])
    func aSnapshotThatRepeatsAPrimaryKeyIsCorruptNamingTheKey(_ codecName: String) throws {
        let directory = try TemporaryDirectory()
        let db = Database()
        try db.createTable("t").insertBatch([["a": 1], ["a": 2], ["a": 3]])
        let path = directory.file("t.snapshot")
        try db.save(to: path, codec: codecName)
        try rewriteSnapshot(at: path, codec: codecName) { events in
            let second = try #require(recordPositions(events).dropFirst().first)
            guard case .record(var record) = events[second] else { return }
            record["id"] = 1
            events[second] = .record(record)
        }

        let error = #expect(throws: DictDBError.self) { try Database.load(from: path, registry: .standard) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("holds primary key 1 twice") == true, "\(String(describing: error))")
    }

    @Test(arguments: ["json", "msgpack+lz4"])
    func everyTruncationOfASnapshotIsATypedError(_ codec: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db")
        try Self.sample().save(to: path, codec: codec)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = directory.file("cut")
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 300)) {
            try bytes.prefix(length).write(to: URL(fileURLWithPath: cut))
            #expect(throws: DictDBError.self) { try Database.load(from: cut, registry: Self.registry()) }
        }
    }

    @Test func aFailureAtAnyStepOfASaveLeavesThePreviousFileIntactAndNoTemporaryFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db")
        let old = try Self.sample()
        try old.save(to: path)
        let oldContents = try Self.contents(old)
        let new = try Self.sample()
        try new.table("people").insert(["name": "Only in the new one"])
        let newContents = try Self.contents(new)

        let steps: [FaultInjectingFileSystem.Operation] = [
            .createExclusive, .write, .sync, .close, .rename, .syncDirectory,
        ]
        var faultsHit = 0
        for operation in steps {
            for call in 1... {
                for (errno, bytes) in [(Int32(5), 0), (28, 7)] {
                    let faulty = FaultInjectingFileSystem(faults: [
                        .init(operation, onCall: call, errno: errno, bytesWrittenFirst: bytes)
                    ])
                    do {
                        try new.save(to: path, fileSystem: faulty)
                    } catch {
                        faultsHit += 1
                        #expect(error.code == .io)
                        let after = try Self.contents(Database.load(from: path, registry: Self.registry()))
                        // Before the rename the old file must be untouched; after it, the new one is in place.
                        #expect(
                            after == (operation == .syncDirectory ? newContents : oldContents), "\(operation) #\(call)")
                        #expect(directory.contents == ["db"], "\(operation) #\(call) left \(directory.contents)")
                        try old.save(to: path)
                    }
                }
                let reached = FaultInjectingFileSystem(faults: [])
                try new.save(to: directory.file("probe"), fileSystem: reached)
                try FileManager.default.removeItem(atPath: directory.file("probe"))
                if call >= (reached.callCounts[operation] ?? 0) { break }
            }
        }
        #expect(faultsHit >= steps.count)
        #expect(try Self.contents(Database.load(from: path, registry: Self.registry())) == oldContents)
    }

    @Test func savingToADirectoryThatDoesNotExistIsAnIOError() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: DictDBError.self) { try Self.sample().save(to: directory.file("no/such/dir/db")) }
        #expect(error?.code == .io)
    }

    @Test func theSnapshotIsOneConsistentCutWhileWritersContinue() async throws {
        let directory = try TemporaryDirectory()
        let db = Database(registry: Self.registry())
        let a = try db.createTable("a")
        let b = try db.createTable("b")
        // Writers keep the two tables the same size; every saved file must show equal counts.
        let writer = Task.detached {
            for i in 0..<2000 {
                try a.insert(["i": .int(Int64(i))])
                try b.insert(["i": .int(Int64(i))])
            }
        }
        var checked = 0
        while !writer.isCancelled && checked < 20 {
            let path = directory.file("cut\(checked)")
            try db.save(to: path, codec: "msgpack")
            let loaded = try Database.load(from: path, registry: Self.registry())
            let countA = try loaded.table("a").count(where: .all)
            let countB = try loaded.table("b").count(where: .all)
            #expect(countA == countB || countA == countB + 1)
            checked += 1
        }
        try await writer.value
    }
}
