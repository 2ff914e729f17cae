import DictDB
import Foundation
import Testing

@Suite struct DurableDatabaseTests {
    /// Builds a database touching every kind of change: inserts, updates (one re-keying), deletes,
    /// upserts, batches, an index created and one dropped, a transaction, a savepoint rolled back, a
    /// dropped table.
    func populate(_ db: Database) throws {
        let users = try db.createTable("users")
        try users.createIndex(on: "email", kind: "unique")
        try users.createIndex(on: "age", kind: "sorted")
        for i in 0..<50 {
            try users.insert([
                "name": .string("user\(i)"), "email": .string("u\(i)@x"), "age": .int(Int64(20 + i % 30)),
            ])
        }
        try users.update(set: ["active": true], where: Field("age") >= 40)
        try users.update(key: 3, set: ["id": 1000])
        try users.delete(where: Field("age") < 22)
        try users.upsert(["id": 5, "name": "five"])
        try users.upsert(["id": 2000, "name": "new", "email": "new@x"])
        try users.insertBatch([["name": "b1", "email": "b1@x"], ["name": "b2", "email": "b2@x"]])
        try users.updateBatch([(key: 10, set: ["age": 99]), (key: 11, set: ["age": 98])])
        let orders = try db.createTable("orders", keyGenerator: "uuid7")
        try orders.createIndex(on: ["user", "total"], kind: "composite")
        try db.transaction { tx in
            let orders = try tx.table("orders")
            let users = try tx.table("users")
            try orders.insert(["user": 10, "total": 12.5])
            try users.update(key: 10, set: ["orders": 1])
            try? tx.savepoint { tx in
                try tx.table("orders").insert(["user": 11, "total": 1.0])
                throw DictDBError(.invalidArgument, "undo this part")
            }
        }
        try db.transaction { tx in
            try tx.table("users").delete(key: 12)
            tx.rollback()
        }
        try users.dropIndex(named: "age_sorted")
        try users.rebuildIndex(named: "email_unique")
        let scratch = try db.createTable("scratch")
        try scratch.insert(["x": 1])
        try db.dropTable("scratch")
        let logs = try db.createTable("logs")
        for i in 0..<5 { try logs.insert(["i": .int(Int64(i))]) }
        try logs.deleteAll()
        try logs.insert(["i": 99])
    }

    @Test(arguments: ["binary", "ndjson"])
    func reopeningAfterCloseGivesBackEveryChange(journal: String) throws {
        let directory = try TemporaryDirectory()
        let expected: DatabaseDump
        do {
            let db = try Database.open(at: directory.path, options: options(journal: journal))
            #expect(db.openReport?.created == true)
            try populate(db)
            expected = try DatabaseDump(db)
            try db.close()
        }
        let reopened = try Database.open(at: directory.path)
        #expect(try DatabaseDump(reopened) == expected)
        #expect(reopened.openReport?.replayedRecords == 0)
        #expect(reopened.openReport?.created == false)
    }

    @Test(arguments: ["binary", "ndjson"])
    func reopeningWithoutCheckpointReplaysTheJournal(journal: String) throws {
        let directory = try TemporaryDirectory()
        var expected: DatabaseDump?
        do {
            let db = try Database.open(at: directory.path, options: options(sync: "os", journal: journal))
            try populate(db)
            expected = try DatabaseDump(db)
            // Released without close(): no checkpoint, the journal holds everything.
        }
        let reopened = try Database.open(at: directory.path)
        let recovered = try DatabaseDump(reopened)
        #expect(recovered == expected)
        if let expected, recovered != expected {
            for (name, table) in expected.tables where recovered.tables[name] != table {
                let other = recovered.tables[name]
                print(
                    "DIFF \(name): keyState \(table.keyState) vs \(String(describing: other?.keyState)); indexes \(table.indexes.map(\.name)) vs \(String(describing: other?.indexes.map(\.name)))"
                )
                print("  expected \(table.records.map(\.description))")
                print("  recovered \(String(describing: other?.records.map(\.description)))")
            }
        }
        #expect((reopened.openReport?.replayedRecords ?? 0) > 50)
        // Keep going after recovery, then recover again.
        try reopened.table("users").insert(["name": "after", "email": "after@x"])
        let afterwards = try DatabaseDump(reopened)
        try reopened.close()
        #expect(try DatabaseDump(Database.open(at: directory.path)) == afterwards)
    }

    @Test func aSecondOpenOfTheSameDirectoryIsLocked() throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path)
        #expect(captureError { try Database.open(at: directory.path) }?.code == .locked)
        try db.close()
        let again = try Database.open(at: directory.path)
        try again.close()
    }

    @Test func writesAfterCloseAreRefusedAndReadsStillWork() throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path)
        let table = try db.createTable("t")
        try table.insert(["a": 1])
        try db.close()
        try db.close()
        #expect(table.count == 1)
        #expect(captureError { try table.insert(["a": 2]) }?.code == .invalidState)
    }

    @Test func theDirectoryRecordsItsConfigurationAndRefusesAContradiction() throws {
        let directory = try TemporaryDirectory()
        try Database.open(at: directory.path, options: options(sync: "batch", codec: "json")).close()
        let text = try String(contentsOfFile: directory.file("dictdb.json"), encoding: .utf8)
        #expect(text.contains("\"codec\":\"json\""))
        #expect(text.contains("\"syncPolicy\":\"batch\""))
        let error = captureError { try Database.open(at: directory.path, options: options(codec: "msgpack")) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("json") == true)
        let reopened = try Database.open(at: directory.path)
        #expect(reopened.journalStatus?.syncPolicy == "batch")
        #expect(reopened.journalStatus?.codec == "json")
        try reopened.close()
    }

    @Test func reopeningWithARegistryThatLacksAPluginNamesIt() throws {
        let directory = try TemporaryDirectory()
        do {
            let db = try Database.open(at: directory.path)
            try db.createTable("t", keyGenerator: "uuid7").insert(["a": 1])
        }
        var registry = Registry()
        for name in ["json", "msgpack"] { registry.register(codec: try Registry.standard.codec(named: name)) }
        registry.register(syncPolicy: AlwaysSyncPolicy())
        let error = captureError { try Database.open(at: directory.path, options: OpenOptions(), registry: registry) }
        #expect(error?.code == .unknownPlugin)
        #expect(error?.message.contains("uuid7") == true)
        var noPolicy = Registry()
        for name in ["json", "msgpack"] { noPolicy.register(codec: try Registry.standard.codec(named: name)) }
        let policyError = captureError {
            try Database.open(at: directory.path, options: OpenOptions(), registry: noPolicy)
        }
        #expect(policyError?.code == .unknownPlugin)
        #expect(policyError?.message.contains("always") == true)
    }

    @Test func theDirectoryNamesThePluginsItsTablesUseAndARegistryLackingOneIsRefused() throws {
        let directory = try TemporaryDirectory()
        do {
            let db = try Database.open(at: directory.path)
            let events = try db.createTable("events", keyGenerator: "uuid7")
            try events.createIndex(on: "at", kind: "sorted")
            try events.insert(["at": 1])
            try db.close()
        }
        let text = try String(contentsOfFile: directory.file("dictdb.json"), encoding: .utf8)
        #expect(text.contains("\"keyGenerators\":[\"uuid7\"]"))
        #expect(text.contains("\"indexKinds\":[\"sorted\"]"))
        var registry = Registry()
        for name in ["json", "msgpack"] { registry.register(codec: try Registry.standard.codec(named: name)) }
        registry.register(syncPolicy: AlwaysSyncPolicy())
        registry.register(keyGenerator: try Registry.standard.keyGenerator(named: "uuid7"))
        let error = captureError { try Database.open(at: directory.path, options: OpenOptions(), registry: registry) }
        #expect(error?.code == .unknownPlugin)
        #expect(error?.message.contains("sorted") == true)
    }

    @Test func anUnknownOptionIsRejectedBeforeAnythingIsWritten() throws {
        let directory = try TemporaryDirectory()
        let target = directory.file("db")
        #expect(
            captureError { try Database.open(at: target, options: options(sync: "sometimes")) }?.code == .unknownPlugin)
        #expect(
            captureError { try Database.open(at: target, options: options(journal: "xml")) }?.code == .unknownPlugin)
        #expect(directory.contents("db").filter { $0 != "dictdb.lock" }.isEmpty)
        var missing = OpenOptions()
        missing.createIfMissing = false
        #expect(
            captureError { try Database.open(at: directory.file("nope"), options: missing) }?.code == .invalidArgument)
    }

    @Test func aCheckpointStartsANewGenerationAndRemovesTheOldFiles() throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path)
        let table = try db.createTable("t")
        for i in 0..<100 { try table.insert(["i": .int(Int64(i))]) }
        let before = try #require(db.journalStatus)
        let info = try db.checkpoint()
        let after = try #require(db.journalStatus)
        #expect(after.generation == before.generation + 1)
        #expect(info.records == 100)
        let files = directory.contents().filter { $0.hasPrefix("snapshot-") || $0.hasPrefix("journal-") }
        #expect(files.count == 2)
        #expect(files.allSatisfy { $0.contains(DatabaseDump.padded(after.generation)) })
        try table.insert(["i": 100])
        let expected = try DatabaseDump(db)
        try db.close()
        let reopened = try Database.open(at: directory.path)
        #expect(try DatabaseDump(reopened) == expected)
    }

    @Test func closingWithoutWritesLeavesTheFilesAsTheyAre() throws {
        let directory = try TemporaryDirectory()
        do {
            let db = try Database.open(at: directory.path)
            try db.createTable("t").insert(["i": 1])
            try db.close()
        }
        let settled = directory.contents()
        // Reads only: nothing new to fold into a snapshot, so the close writes nothing.
        let reader = try Database.open(at: directory.path)
        #expect(try reader.table("t").count == 1)
        let generation = try #require(reader.journalStatus).generation
        try reader.close()
        #expect(directory.contents() == settled)
        // A write makes the close checkpoint again.
        let writer = try Database.open(at: directory.path)
        try writer.table("t").insert(["i": 2])
        try writer.close()
        let reopened = try Database.open(at: directory.path)
        defer { try? reopened.close() }
        #expect(try #require(reopened.journalStatus).generation == generation + 1)
        #expect(reopened.openReport?.replayedRecords == 0)
        #expect(try reopened.table("t").count == 2)
    }

    @Test func closingAfterReplayingTheJournalFoldsItIntoASnapshot() throws {
        let directory = try TemporaryDirectory()
        do {
            let db = try Database.open(at: directory.path)
            try db.createTable("t").insert(["i": 1])
            // Dropped without close(): the next open replays the journal.
        }
        let replaying = try Database.open(at: directory.path)
        #expect((replaying.openReport?.replayedRecords ?? 0) > 0)
        let generation = try #require(replaying.journalStatus).generation
        try replaying.close()
        let reopened = try Database.open(at: directory.path)
        defer { try? reopened.close() }
        #expect(reopened.openReport?.replayedRecords == 0)
        #expect(try #require(reopened.journalStatus).generation == generation + 1)
    }

    @Test func manyUpdatesOfFewKeysKeepTheDirectoryBounded() throws {
        let directory = try TemporaryDirectory()
        var settings = options(sync: "os")
        settings.checkpointMinimumBytes = 256 << 10
        let db = try Database.open(at: directory.path, options: settings)
        let table = try db.createTable("counters")
        for i in 0..<1000 { try table.insert(["id": .int(Int64(i)), "n": 0, "pad": "xxxxxxxxxxxxxxxxxxxxxxxx"]) }
        var largestJournal: Int64 = 0
        var largestDirectory: Int64 = 0
        for step in 0..<100_000 {
            try table.update(key: .int(Int64(step % 1000)), set: ["n": .int(Int64(step))])
            if step % 1000 == 0 {
                largestJournal = max(largestJournal, db.journalStatus?.journalBytes ?? 0)
                largestDirectory = max(largestDirectory, directorySize(directory))
            }
        }
        try db.close()
        let finalSize = directorySize(directory)
        print(
            "compaction: largest journal \(largestJournal) B, largest directory \(largestDirectory) B, final \(finalSize) B"
        )
        #expect(largestJournal < 1 << 20)
        #expect(largestDirectory < 2 << 20)
        #expect(finalSize < 256 << 10)
        let reopened = try Database.open(at: directory.path)
        #expect(try reopened.table("counters").get(999)?["n"] == .int(99_999))
    }

    func directorySize(_ directory: TemporaryDirectory) -> Int64 {
        directory.contents().reduce(0) { total, name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory.file(name))
            return total + ((attributes?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }

    @Test func aCallCanAskForMoreDurabilityThanThePolicy() throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path, options: options(sync: "os"))
        let table = try db.createTable("t")
        try table.insert(["a": 1], durability: .always)
        try db.transaction(durability: .always) { tx in try tx.table("t").insert(["a": 2]) }
        try db.commit()
        #expect(table.count == 2)
        try db.close()
    }

    @Test func inMemoryDatabasesAreNotDurable() throws {
        let db = Database()
        #expect(!db.isDurable)
        #expect(db.openReport == nil)
        try db.commit()
        try db.close()
        #expect(captureError { try db.checkpoint() }?.code == .invalidState)
    }
}

extension DatabaseDump {
    /// A generation as file names spell it.
    static func padded(_ generation: UInt64) -> String {
        let digits = String(generation)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}

@Suite struct ReadmeOnDiskTests {
    /// The README's "On-disk databases" example, as written there (in a temporary directory).
    @Test func theOnDiskExampleRunsAsDocumented() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("data")
        do {
            var options = OpenOptions()
            options.syncPolicy = "batch"
            let db = try Database.open(at: path, options: options)
            defer { try? db.close() }
            let events = try db.createTable("events", ifNotExists: true)
            try events.insert(["kind": "login"])
            try events.insert(["kind": "payment"], durability: .always)
            try db.commit()
            #expect(db.openReport?.replayedRecords == 0)
        }
        let db = try DictDB.open(at: path)
        #expect(try db.table("events").count == 2)
        #expect(db.journalStatus?.syncPolicy == "batch")
        try db.close()
    }
}
