import DictDB
import Foundation
import Synchronization
import Testing

/// The backup manager against real databases: consistent cuts under concurrent writers, restores, and
/// point-in-time restore of on-disk databases.
@Suite struct BackupIntegrationTests {
    static let accountsPerTable = 40
    static let opening: Int64 = 1_000

    /// Two tables of accounts: money moves between them in transactions, so their total never changes.
    static func bank(_ db: Database) throws {
        for name in ["checking", "savings"] {
            let table = try db.createTable(name, ifNotExists: true)
            _ = try table.insertBatch(
                (0..<accountsPerTable).map { ["owner": .string("owner-\($0)"), "balance": .int(opening)] })
        }
    }

    /// Moves `amount` from one account to another in the other table, in one transaction.
    static func transfer(_ db: Database, using random: inout some RandomNumberGenerator) throws {
        let tables = Bool.random(using: &random) ? ("checking", "savings") : ("savings", "checking")
        let from = Value.int(Int64.random(in: 1...Int64(accountsPerTable), using: &random))
        let to = Value.int(Int64.random(in: 1...Int64(accountsPerTable), using: &random))
        let amount = Int64.random(in: 1...50, using: &random)
        try db.transaction { tx in
            let source = try tx.table(tables.0)
            let target = try tx.table(tables.1)
            guard let a = try source.get(from)?["balance"].intValue, let b = try target.get(to)?["balance"].intValue
            else { throw DictDBError(.keyNotFound, "missing account") }
            _ = try source.update(key: from, set: ["balance": .int(a - amount)])
            _ = try target.update(key: to, set: ["balance": .int(b + amount)])
        }
    }

    /// Checks that a database is a consistent cut of the bank: every account there, the total unchanged.
    static func expectConsistent(
        _ db: Database, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    )
        throws
    {
        var total: Int64 = 0
        for name in ["checking", "savings"] {
            let records = try db.table(name).allRecords()
            #expect(records.count == accountsPerTable, "\(what): \(name)", sourceLocation: sourceLocation)
            total += records.reduce(0) { $0 + ($1["balance"].intValue ?? 0) }
        }
        #expect(total == 2 * Int64(accountsPerTable) * opening, "\(what)", sourceLocation: sourceLocation)
    }

    /// Runs `transfer` on `count` threads until `writers.stop` is set.
    static func startWriters(_ count: Int, on db: Database, _ writers: Writers) {
        for seed in 0..<count {
            let thread = Thread { [db] in
                var random = SplitMix(seed: UInt64(seed + 1))
                while !writers.stop.load(ordering: .acquiring) {
                    if (try? transfer(db, using: &random)) != nil { writers.transfers.add(1, ordering: .relaxed) }
                }
                writers.finished.add(1, ordering: .releasing)
            }
            thread.start()
        }
    }

    @Test(arguments: [(false, "msgpack+lz4"), (false, "json+gzip"), (true, "msgpack")])
    func everyBackupTakenDuringConcurrentTransfersIsAConsistentCut(onDisk: Bool, codec: String) async throws {
        let directory = try TemporaryDirectory()
        var options = OpenOptions()
        options.syncPolicy = "os"
        options.checkpointMinimumBytes = 32 << 10  // checkpoints during the run: generations move
        let db = onDisk ? try Database.open(at: directory.file("db"), options: options) : Database()
        defer { try? db.close() }
        try Self.bank(db)

        var configuration = BackupConfiguration()
        configuration.codec = codec
        configuration.interval = .milliseconds(3)
        configuration.minimumSpacing = .zero
        configuration.retention = .keepAll
        let manager = BackupManager(source: db, directory: directory.file("backups"), configuration: configuration)

        let writers = Writers()
        Self.startWriters(3, on: db, writers)
        manager.start()
        var forced = 0
        while forced < 15 || writers.transfers.load(ordering: .relaxed) < 300 {
            #expect(await manager.backupNow(force: true).success != nil)
            manager.notifyChange()
            forced += 1
            if forced > 2_000 { break }
        }
        await manager.stop()
        writers.stop.store(true, ordering: .releasing)
        await eventually("the writers to stop") { writers.finished.load(ordering: .acquiring) == 3 }

        let backups = BackupDirectory(directory.file("backups"))
        let listed = try backups.list()
        #expect(listed.count >= 15)
        #expect(manager.status.failed == 0)
        for backup in listed {
            let loaded = try Database.load(from: backup.path)
            try Self.expectConsistent(loaded, backup.name.description)
            let meta = try backups.verify(backup, registry: .standard).meta
            #expect(meta["sequence"].intValue == (onDisk ? backup.sequence : 0))
            #expect(meta["generation"].intValue == backup.generation)
        }
        try Self.expectConsistent(db, "the live database")
        if onDisk {
            // Sequences name points in the journal: later backups never hold an earlier one.
            let sequences = listed.map(\.sequence)
            #expect(sequences == sequences.sorted())
            #expect(Set(listed.map(\.generation)).count > 1, "no checkpoint ran during the backups")
        }
    }

    // MARK: - Point-in-time restore

    /// An on-disk database with a backup, then more changes; the state after each change by sequence.
    struct History {
        let directory: TemporaryDirectory
        let db: Database
        var states: [UInt64: [Record]] = [:]
        var backupSequence: UInt64 = 0
        var live: String { directory.file("live") }
        var backups: String { directory.file("backups") }

        init(syncPolicy: String = "always", journalFormat: String = "binary") throws {
            directory = try TemporaryDirectory()
            var options = OpenOptions()
            options.syncPolicy = syncPolicy
            options.journalFormat = journalFormat
            db = try Database.open(at: directory.file("live"), options: options)
        }

        var sequence: UInt64 { db.journalStatus?.lastSequence ?? 0 }

        mutating func record() throws {
            states[sequence] = try db.table("events").allRecords()
        }

        mutating func insert(_ count: Int, tag: String) throws {
            for index in 0..<count {
                _ = try db.table("events").insert(["tag": .string(tag), "index": .int(Int64(index))])
                try record()
            }
        }

        mutating func backUp() async throws {
            var configuration = BackupConfiguration()
            configuration.codec = "json+gzip"
            let manager = BackupManager(source: db, directory: backups, configuration: configuration)
            let success = try #require(await manager.backupNow(force: true).success)
            backupSequence = UInt64(success.sequence)
            #expect(backupSequence == sequence)
        }
    }

    @Test(arguments: ["binary", "ndjson"])
    func restoresAnOnDiskDatabaseToAJournalSequence(journalFormat: String) async throws {
        var history = try History(journalFormat: journalFormat)
        _ = try history.db.createTable("events")
        try history.insert(3, tag: "before")
        try await history.backUp()
        try history.insert(5, tag: "after")
        _ = try history.db.table("events").delete(key: 2)
        try history.record()
        try history.insert(2, tag: "late")
        let target = history.backupSequence + 4

        let into = history.directory.file("restored")
        let restored = try Database.restoreBackup(
            from: history.backups, upTo: .sequence(target), replayingJournalOf: history.live, into: into)
        #expect(try restored.database.table("events").allRecords() == history.states[target])
        #expect(restored.report.lastSequence == target)
        #expect(restored.report.replayedRecords == 4)
        #expect(restored.report.stoppedAtTarget?.contains("stopped before sequence \(target + 1)") == true)
        #expect(listing(history.directory.file("restored")).contains { $0.hasSuffix(".after-\(target)") })
        #expect(restored.skipped.isEmpty)

        // The restored database goes on from the target; the entries after it never come back.
        _ = try restored.database.table("events").insert(["tag": "new life"])
        let expected = try restored.database.table("events").allRecords()
        try restored.database.close()
        let reopened = try Database.open(at: into)
        #expect(try reopened.table("events").allRecords() == expected)
        #expect(reopened.journalStatus?.lastSequence == target + 1)
        try reopened.close()

        // The live database is untouched.
        #expect(try history.db.table("events").allRecords() == history.states[history.sequence])
    }

    @Test func restoresToTheBackupItselfAndRefusesATargetPastTheJournal() async throws {
        var history = try History()
        _ = try history.db.createTable("events")
        try history.insert(2, tag: "before")
        try await history.backUp()
        try history.insert(2, tag: "after")

        let atBackup = try Database.restoreBackup(
            from: history.backups, upTo: .sequence(history.backupSequence), replayingJournalOf: history.live,
            into: history.directory.file("at-backup"))
        #expect(try atBackup.database.table("events").allRecords() == history.states[history.backupSequence])
        #expect(atBackup.report.replayedRecords == 0)
        try atBackup.database.close()

        let all = try Database.restoreBackup(
            from: history.backups, upTo: .sequence(history.sequence), replayingJournalOf: history.live,
            into: history.directory.file("all"))
        #expect(try all.database.table("events").allRecords() == history.states[history.sequence])
        #expect(all.report.stoppedAtTarget == nil)
        try all.database.close()

        let past = history.directory.file("past")
        let error = captureError {
            try Database.restoreBackup(
                from: history.backups, upTo: .sequence(history.sequence + 5), replayingJournalOf: history.live,
                into: past)
        }
        #expect(error?.code == .invalidArgument)
        #expect(listing(history.directory.file("past")).isEmpty)
        let early = captureError {
            try Database.restoreBackup(
                from: history.backups, upTo: .sequence(history.backupSequence - 1),
                replayingJournalOf: history.live, into: history.directory.file("early"))
        }
        #expect(early?.code == .invalidArgument)
        let notEmpty = captureError {
            try Database.restoreBackup(
                from: history.backups, upTo: .sequence(history.sequence), replayingJournalOf: history.live,
                into: history.live)
        }
        #expect(notEmpty?.code == .invalidArgument)
    }

    @Test func restoresAnOnDiskDatabaseToAPointInTime() async throws {
        var history = try History()
        _ = try history.db.createTable("events")
        try history.insert(2, tag: "first")
        try await history.backUp()
        try history.insert(3, tag: "second")
        let secondEnds = history.sequence
        let moment = Self.nextMillisecond()
        Self.waitForMillisecondAfter(moment)
        try history.insert(3, tag: "third")

        let restored = try Database.restoreBackup(
            from: history.backups, upTo: .time(millis: moment), replayingJournalOf: history.live,
            into: history.directory.file("restored"))
        #expect(try restored.database.table("events").allRecords() == history.states[secondEnds])
        #expect(restored.report.lastSequence == secondEnds)
        try restored.database.close()

        let beforeBackup = captureError {
            try Database.restoreBackup(
                from: history.backups, upTo: .time(millis: 0), replayingJournalOf: history.live,
                into: history.directory.file("too-early"))
        }
        #expect(beforeBackup?.code == .invalidArgument)
    }

    @Test func aCheckpointEndsWhatAnOlderBackupCanReplayButANewerOneWorks() async throws {
        var history = try History()
        _ = try history.db.createTable("events")
        try history.insert(2, tag: "before")
        try await history.backUp()
        try history.insert(2, tag: "between")
        try history.db.checkpoint()  // deletes the journal the first backup needs
        let error = captureError {
            try Database.restoreBackup(
                from: history.backups, upTo: .sequence(history.sequence), replayingJournalOf: history.live,
                into: history.directory.file("old"))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("journal is still in") == true)

        try await history.backUp()
        try history.insert(3, tag: "after")
        let target = history.sequence - 1
        let restored = try Database.restoreBackup(
            from: history.backups, upTo: .sequence(target), replayingJournalOf: history.live,
            into: history.directory.file("new"))
        #expect(try restored.database.table("events").allRecords() == history.states[target])
        #expect(restored.backup.generation == Int64(history.db.journalStatus?.generation ?? 0))
        try restored.database.close()
    }

    @Test func aDamagedNewestBackupIsSkippedForAPointInTimeRestoreToo() async throws {
        var history = try History()
        _ = try history.db.createTable("events")
        try history.insert(1, tag: "a")
        try await history.backUp()
        try history.insert(1, tag: "b")
        let firstBackups = try BackupDirectory(history.backups).list()
        try await history.backUp()
        try history.insert(1, tag: "c")
        guard let newest = try BackupDirectory(history.backups).list().last else {
            Issue.record("no backup")
            return
        }
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: newest.path)))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: newest.path))
        let restored = try Database.restoreBackup(
            from: history.backups, upTo: .sequence(history.sequence), replayingJournalOf: history.live,
            into: history.directory.file("restored"))
        #expect(restored.backup.name == firstBackups.first?.name)
        #expect(restored.skipped.map(\.backup.name) == [newest.name])
        #expect(try restored.database.table("events").allRecords() == history.states[history.sequence])
        try restored.database.close()
    }

    // MARK: - Recovery targets on the engine side

    @Test func recoveryUpToATargetStopsThereAndMovesTheLaterEntriesAside() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db")
        let saved = directory.file("saved")
        try FileManager.default.createDirectory(atPath: saved, withIntermediateDirectories: true)
        let snapshot1 = "snapshot-00000000000000000001.dictdb"
        let journal1 = "journal-00000000000000000001.log"
        do {
            // Sequence 1 creates the table, 2...5 insert; journal 1 is saved before a checkpoint deletes it;
            // journal 2 gets 6 and 7. The database is dropped without closing (no final checkpoint).
            let db = try Database.open(at: path)
            let table = try db.createTable("t")
            for index in 0..<4 { _ = try table.insert(["i": .int(Int64(index))]) }
            for name in [snapshot1, journal1] {
                try FileManager.default.copyItem(atPath: path + "/" + name, toPath: saved + "/" + name)
            }
            try db.checkpoint()
            for index in 4..<6 { _ = try table.insert(["i": .int(Int64(index))]) }
        }
        var target = OpenOptions()
        target.recoverUpTo = .sequence(3)
        // The only snapshot is past the target and the journal before it is gone: a typed error.
        #expect(captureError { try Database.open(at: path, options: target) }?.code == .corrupt)

        // With generation 1 back, recovery starts from its snapshot and stops inside journal 1.
        for name in [snapshot1, journal1] {
            try FileManager.default.copyItem(atPath: saved + "/" + name, toPath: path + "/" + name)
        }
        let cut = try Database.open(at: path, options: target)
        #expect(try cut.table("t").count == 2)
        #expect(cut.openReport?.lastSequence == 3)
        #expect(cut.openReport?.stoppedAtTarget?.contains("stopped before sequence 4") == true)
        #expect(cut.openReport?.skippedSnapshots.count == 1)
        _ = try cut.table("t").insert(["i": 100])
        try cut.close()
        let names = listing(path)
        #expect(names.contains(journal1 + ".after-3"))
        #expect(names.contains("journal-00000000000000000002.log.after-3"))

        let after = try Database.open(at: path)
        #expect(try after.table("t").allRecords().map { $0["i"] } == [0, 1, 100])
        #expect(after.journalStatus?.lastSequence == 4)
        try after.close()
    }

    @Test func recoveryUpToATimeNeedsTimedEntriesAndASnapshotFromBeforeIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db")
        let moment: Int64
        do {
            let db = try Database.open(at: path)
            _ = try db.createTable("t").insert(["i": 1])
            moment = Self.nextMillisecond()
            Self.waitForMillisecondAfter(moment)
            _ = try db.table("t").insert(["i": 2])
        }
        var options = OpenOptions()
        options.recoverUpTo = .time(millis: moment)
        let db = try Database.open(at: path, options: options)
        #expect(try db.table("t").count == 1)
        #expect(db.openReport?.stoppedAtTarget != nil)
        try db.close()
    }

    // MARK: - README

    /// The README's "Backups" example, as written there (in a temporary directory).
    @Test func theBackupsExampleRunsAsDocumented() async throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.file("data"))
        defer { try? db.close() }
        _ = try db.createTable("events", ifNotExists: true)

        var configuration = BackupConfiguration()
        configuration.codec = "msgpack+lz4"  // any registered codec: compression is part of the name
        configuration.interval = .seconds(3600)  // a backup at start, then every hour
        configuration.retention = RetentionPolicy(keepCount: 48, maxAge: .seconds(7 * 86_400))
        configuration.onError = { failure in print("backup failed:", failure) }

        let backups = BackupManager(source: db, directory: directory.file("backups"), configuration: configuration)
        backups.start()
        try db.table("events").insert(["kind": "signup"])
        backups.notifyChange()  // a backup soon (at most one a minute)
        let result = await backups.backupNow()  // or one right now
        await backups.stop()  // waits for a backup in flight

        let restored = try Database.restoreNewestBackup(in: directory.file("backups"))  // skips damaged ones
        print(restored.backup.name, restored.skipped)

        #expect(result.success != nil)
        #expect(try restored.database.table("events").count == 1)
        let sequence = try #require(db.journalStatus?.lastSequence)
        let pit = try Database.restoreBackup(
            from: directory.file("backups"), upTo: .sequence(sequence), replayingJournalOf: directory.file("data"),
            into: directory.file("data-restored"))
        #expect(try pit.database.table("events").count == 1)
        try pit.database.close()
    }

    // MARK: - Helpers

    static func nextMillisecond() -> Int64 {
        let now = SystemWallClock.nowMillis()
        waitForMillisecondAfter(now)
        return now + 1
    }

    /// Spins (a millisecond at most) until the wall clock passes `millis`.
    static func waitForMillisecondAfter(_ millis: Int64) {
        while SystemWallClock.nowMillis() <= millis {}
    }
}

/// What the writer threads share with the test.
final class Writers: Sendable {
    let stop = Atomic(false)
    let finished = Atomic(0)
    let transfers = Atomic(0)
}

/// The names in a directory (none when it does not exist).
private func listing(_ path: String) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
}

/// A small seeded generator, one per writer thread.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The error `body` throws, if any.
private func captureError<T>(_ body: () throws -> T) -> DictDBError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? DictDBError
    }
}

/// Waits, yielding, until `condition` holds; records an issue after 30 s (a hang guard, not a timing).
private func eventually(_ what: String, _ condition: () -> Bool) async {
    let deadline = ContinuousClock.now + .seconds(30)
    while !condition() {
        if ContinuousClock.now > deadline {
            Issue.record("timed out waiting for \(what)")
            return
        }
        await Task.yield()
    }
}
