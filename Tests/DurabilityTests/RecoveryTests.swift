import DictDB
import Foundation
import Testing

@Suite struct RecoveryTests {
    /// A database with `count` single-insert journal entries and no checkpoint since creation; returns
    /// the journal's path.
    func makeJournal(_ directory: TemporaryDirectory, journal: String, count: Int) throws -> String {
        let db = try Database.open(at: directory.path, options: options(sync: "os", journal: journal))
        let table = try db.createTable("t")
        for i in 0..<count { try table.insert(["i": .int(Int64(i)), "text": .string("row \(i)")]) }
        let path = try #require(db.journalStatus?.journal)
        try db.commit()
        return path
    }

    @Test(arguments: ["binary", "ndjson"])
    func aTornTailIsCopiedAsideCutAndReported(journal: String) throws {
        let directory = try TemporaryDirectory()
        let path = try makeJournal(directory, journal: journal, count: 10)
        let intact = try directory.bytes(path)
        // Cut the last record in half, as a crash during its write() would.
        let last = try lastRecordStart(intact, journal: journal)
        let torn = Array(intact[..<(last + (intact.count - last) / 2)])
        try directory.write(torn, to: path)
        let db = try Database.open(at: directory.path)
        let report = try #require(db.openReport?.tornTail)
        #expect(report.offset == last)
        #expect(report.bytes == torn.count - last)
        #expect(try directory.bytes(report.savedAs) == Array(torn[last...]))
        #expect(try db.table("t").count == 9)
        // The journal continues after the cut.
        try db.table("t").insert(["i": 10])
        try db.close()
        #expect(try Database.open(at: directory.path).table("t").count == 10)
    }

    @Test(arguments: ["binary", "ndjson"])
    func damageFollowedByValidRecordsRefusesToOpenUnlessAskedForPointInTime(journal: String) throws {
        let directory = try TemporaryDirectory()
        let path = try makeJournal(directory, journal: journal, count: 20)
        var bytes = try directory.bytes(path)
        let fifth = try recordStarts(bytes, journal: journal)[5]
        bytes[fifth + 12] ^= 0x55
        try directory.write(bytes, to: path)
        let error = captureError { try Database.open(at: directory.path) }
        #expect(error?.code == .corrupt)
        #expect(error?.context.path == path)
        #expect(error?.context.offset == Int64(fifth))
        var settings = OpenOptions()
        settings.pointInTimeRecovery = true
        let db = try Database.open(at: directory.path, options: settings)
        // createTable is record 1; inserts 0...3 are records 2...5; record 6 (insert 4) was damaged.
        #expect(try db.table("t").count == 4)
        #expect(db.openReport?.stoppedAtDamage?.contains(String(fifth)) == true)
        try db.close()
        #expect(try Database.open(at: directory.path).table("t").count == 4)
    }

    @Test func aCorruptNewestSnapshotWithoutItsJournalPredecessorIsATypedError() throws {
        let directory = try TemporaryDirectory()
        do {
            let db = try Database.open(at: directory.path)
            try db.createTable("t").insert(["a": 1])
            try db.close()
        }
        let snapshot = try #require(directory.contents().first { $0.hasPrefix("snapshot-") })
        var bytes = try directory.bytes(directory.file(snapshot))
        bytes[bytes.count / 2] ^= 0xFF
        try directory.write(bytes, to: directory.file(snapshot))
        let error = captureError { try Database.open(at: directory.path) }
        #expect(error?.code == .corrupt)
    }

    @Test func leftoversOfAnInterruptedCheckpointAreRecoveredAndCleanedUp() throws {
        let directory = try TemporaryDirectory()
        let expected: DatabaseDump
        do {
            let db = try Database.open(at: directory.path, options: options(sync: "os"))
            let table = try db.createTable("t")
            for i in 0..<30 { try table.insert(["i": .int(Int64(i))]) }
            try db.checkpoint()
            for i in 30..<60 { try table.insert(["i": .int(Int64(i))]) }
            expected = try DatabaseDump(db)
            try db.commit()
        }
        // Pretend a checkpoint died after creating the next journal: an empty journal of a new generation.
        let journals = directory.contents().filter { $0.hasPrefix("journal-") }
        let generation = try #require(UInt64(journals.last?.dropFirst(8).prefix(20) ?? ""))
        let header = try directory.bytes(directory.file(journals.last ?? ""))
        _ = header
        let db = try Database.open(at: directory.path)
        #expect(try DatabaseDump(db) == expected)
        #expect((db.journalStatus?.generation ?? 0) >= generation)
        try db.close()
        let files = directory.contents().filter { $0.hasPrefix("snapshot-") || $0.hasPrefix("journal-") }
        #expect(files.count == 2)
    }

    @Test func leftoverTemporaryFilesAreRemovedOnOpen() throws {
        let directory = try TemporaryDirectory()
        try Database.open(at: directory.path).close()
        try directory.write([1, 2, 3], to: directory.file(".snapshot-00000000000000000009.dictdb.tmp-abc"))
        try Database.open(at: directory.path).close()
        #expect(!directory.contents().contains { $0.contains(".tmp-") })
    }

    @Test func recoveryOfAHundredThousandRecordJournalIsTimed() throws {
        let directory = try TemporaryDirectory()
        do {
            var settings = options(sync: "os")
            settings.checkpointMinimumBytes = 1 << 40
            let db = try Database.open(at: directory.path, options: settings)
            let table = try db.createTable("t")
            try table.createIndex(on: "k", kind: "hash")
            for i in 0..<100_000 {
                try table.insert(["k": .int(Int64(i % 977)), "name": .string("name \(i)")])
            }
            try db.commit()
        }
        let db = try Database.open(at: directory.path)
        let report = try #require(db.openReport)
        #expect(report.replayedRecords == 100_002)
        #expect(try db.table("t").count == 100_000)
        print("recovery of 100,002 journal records: \(report.duration)")
    }

    // MARK: - Locating records in journal bytes

    func recordStarts(_ bytes: [UInt8], journal: String) throws -> [Int] {
        var starts: [Int] = []
        if journal == "ndjson" {
            var offset = try #require(bytes.firstIndex(of: 10)) + 1
            while offset < bytes.count {
                starts.append(offset)
                guard let newline = bytes[offset...].firstIndex(of: 10) else { break }
                offset = newline + 1
            }
        } else {
            var offset = 32
            while offset + 8 <= bytes.count {
                starts.append(offset)
                let length =
                    Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16
                    | Int(bytes[offset + 3]) << 24
                offset += 8 + length
            }
        }
        return starts
    }

    func lastRecordStart(_ bytes: [UInt8], journal: String) throws -> Int {
        try #require(try recordStarts(bytes, journal: journal).last)
    }
}
