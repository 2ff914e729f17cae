import Backup
import DictDB
import Foundation
import Testing

@Suite struct BackupRetentionTests {
    /// Runs `count` scheduled backups, changing the database before each.
    private func runBackups(_ count: Int, _ harness: Harness, _ manager: BackupManager) async throws {
        manager.start()
        await idle(manager, harness.clock, attempts: 1)
        for attempt in 2...max(2, count) where attempt <= count {
            try harness.change()
            harness.clock.advance(by: .seconds(60))
            await idle(manager, harness.clock, attempts: attempt)
        }
        await manager.stop()
    }

    @Test func keepsTheNewestBackupsByCountAndNeverTouchesOtherFiles() async throws {
        let harness = try Harness()
        var configuration = harness.configuration()
        configuration.retention = RetentionPolicy(keepCount: 3, maxAge: nil)
        let manager = harness.manager(configuration)
        try FileManager.default.createDirectory(atPath: harness.directory, withIntermediateDirectories: true)
        let strangers = [
            "notes.txt", "dictdb-not-a-backup.json", ".dictdb-20201127T043541.123Z-g0-s1.json",
            "dictdb-20201127T043541.123Z-g0-s1.json.bak",
        ]
        for name in strangers {
            _ = FileManager.default.createFile(atPath: harness.directory + "/" + name, contents: Data("keep".utf8))
        }
        try await runBackups(5, harness, manager)
        let names = try harness.backups()
        #expect(names.map(\.timestampMillis) == [120_000, 180_000, 240_000].map { harness.clock.wallStart + $0 })
        #expect(manager.status.succeeded == 5)
        #expect(manager.status.lastSuccess?.pruned.count == 1)
        let left = harness.temporary.contents("backups")
        for name in strangers { #expect(left.contains(name)) }
        #expect(left.count == strangers.count + 3)
    }

    @Test func deletesBackupsOlderThanTheMaximumAge() async throws {
        let harness = try Harness()
        var configuration = harness.configuration()
        configuration.retention = RetentionPolicy(keepCount: nil, maxAge: .seconds(90))
        let manager = harness.manager(configuration)
        try await runBackups(4, harness, manager)
        // At 180 s, the backups of 0 s and 60 s are older than 90 s.
        #expect(
            try harness.backups().map(\.timestampMillis) == [120_000, 180_000].map { harness.clock.wallStart + $0 })
    }

    @Test func neverDeletesTheNewestVerifiedBackupHoweverOld() async throws {
        let harness = try Harness()
        var configuration = harness.configuration()
        configuration.retention = RetentionPolicy(keepCount: 1, maxAge: .seconds(1))
        let manager = harness.manager(configuration)
        manager.start()
        await idle(manager, harness.clock, attempts: 1)
        // Nothing changes for an hour: each attempt is skipped, and the only backup stays.
        for attempt in 2...4 {
            harness.clock.advance(by: .seconds(60))
            await idle(manager, harness.clock, attempts: attempt)
        }
        await manager.stop()
        #expect(manager.status.skipped == 3)
        #expect(try harness.backups().map(\.timestampMillis) == [harness.clock.wallStart])
    }

    @Test func retentionKeepsTheProtectedBackupEvenWhenTheClockWentBack() {
        let old = BackupFileName(timestampMillis: 5_000, generation: 0, sequence: 1, codec: "json")
        let newer = BackupFileName(timestampMillis: 9_000, generation: 0, sequence: 2, codec: "json")
        let newest = BackupFileName(timestampMillis: 10_000, generation: 0, sequence: 3, codec: "json")
        // The clock went back: the backup just verified is the oldest by name.
        let justMade = BackupFileName(timestampMillis: 1_000, generation: 0, sequence: 4, codec: "json")
        let policy = RetentionPolicy(keepCount: 2, maxAge: nil)
        let doomed = policy.backupsToDelete([old, newer, newest, justMade], protecting: justMade, nowMillis: 1_000)
        #expect(doomed == [old, newer])
        let byAge = RetentionPolicy(keepCount: nil, maxAge: .seconds(2))
        #expect(byAge.backupsToDelete([old, newer, newest], protecting: newest, nowMillis: 10_500) == [old])
        #expect(RetentionPolicy.keepAll.backupsToDelete([old, newer], protecting: nil, nowMillis: 0).isEmpty)
        #expect(RetentionPolicy(keepCount: 0).backupsToDelete([old, newer], protecting: nil, nowMillis: 0) == [old])
    }
}
