import Backup
import DictDB
import Testing

@Suite struct BackupScheduleTests {
    @Test func takesTheFirstBackupAtStartAndThenOneEveryInterval() async throws {
        let harness = try Harness()
        let manager = harness.manager(harness.configuration(interval: .seconds(60)))
        manager.start()
        await idle(manager, harness.clock, attempts: 1)
        #expect(try harness.backups().count == 1)
        #expect(manager.status.lastSuccess?.trigger == .start)
        #expect(harness.clock.nextDeadline == .seconds(60))

        try harness.change()
        harness.clock.advance(by: .seconds(59))
        await Task.yield()
        #expect(manager.status.succeeded == 1)
        harness.clock.advance(by: .seconds(1))
        await idle(manager, harness.clock, attempts: 2)
        let names = try harness.backups()
        #expect(names.count == 2)
        #expect(names.map(\.timestampMillis) == [harness.clock.wallStart, harness.clock.wallStart + 60_000])
        #expect(manager.status.lastSuccess?.trigger == .schedule)
        await manager.stop()
        #expect(!manager.status.isRunning)
    }

    @Test func skipsAndReportsABackupWhenNothingChanged() async throws {
        let harness = try Harness()
        let skips = LockedBox<[BackupSkip]>([])
        var configuration = harness.configuration()
        configuration.onSkip = { skip in skips.mutate { $0.append(skip) } }
        let manager = harness.manager(configuration)
        manager.start()
        await idle(manager, harness.clock, attempts: 1)
        harness.clock.advance(by: .seconds(60))
        await idle(manager, harness.clock, attempts: 2)
        #expect(manager.status.skipped == 1)
        #expect(manager.status.lastResult?.isSkipped == true)
        #expect(try harness.backups().count == 1)
        await eventually { skips.value.count == 1 }
        #expect(skips.value.first?.lastBackup == manager.status.lastSuccess?.path)

        try harness.change()
        harness.clock.advance(by: .seconds(60))
        await idle(manager, harness.clock, attempts: 3)
        #expect(manager.status.succeeded == 2)
        #expect(try harness.backups().count == 2)
        await manager.stop()
    }

    @Test func aForcedBackupRunsEvenWhenNothingChanged() async throws {
        let harness = try Harness()
        let manager = harness.manager(harness.configuration())
        #expect(await manager.backupNow().success != nil)
        #expect(await manager.backupNow().isSkipped)
        harness.clock.advance(by: .milliseconds(5))
        let forced = await manager.backupNow(force: true)
        #expect(forced.success?.trigger == .manual)
        #expect(try harness.backups().count == 2)
        #expect(!manager.status.isRunning)
    }

    @Test func notifiedChangesBackUpOnceAfterTheMinimumSpacing() async throws {
        let harness = try Harness()
        let manager = harness.manager(harness.configuration(interval: .seconds(3600), spacing: .seconds(10)))
        manager.start()
        await idle(manager, harness.clock, attempts: 1)
        try harness.change()
        for _ in 0..<3 { manager.notifyChange() }
        await eventually { harness.clock.nextDeadline == .seconds(10) }
        harness.clock.advance(by: .seconds(5))
        await Task.yield()
        #expect(manager.status.succeeded == 1)
        harness.clock.advance(by: .seconds(5))
        await idle(manager, harness.clock, attempts: 2)
        #expect(manager.status.lastSuccess?.trigger == .change)
        #expect(try harness.backups().count == 2)
        // The burst made one backup; the schedule goes on from it.
        await eventually { harness.clock.nextDeadline == .seconds(3610) }
        #expect(manager.status.succeeded == 2)
        await manager.stop()
    }

    @Test func startAndStopAreIdempotent() async throws {
        let harness = try Harness()
        let manager = harness.manager(harness.configuration())
        manager.start()
        manager.start()
        await idle(manager, harness.clock, attempts: 1)
        #expect(manager.status.succeeded == 1)
        #expect(harness.clock.sleeperCount == 1)
        await manager.stop()
        await manager.stop()
        #expect(!manager.status.isRunning)
        #expect(harness.clock.sleeperCount == 0)

        try harness.change()
        manager.start()
        await idle(manager, harness.clock, attempts: 2)
        #expect(manager.status.lastSuccess?.trigger == .start)
        await manager.stop()
    }

    @Test func stopWaitsForTheBackupInFlight() async throws {
        let harness = try Harness()
        let source = ControlledSource(harness.database, blocking: true)
        let manager = harness.manager(harness.configuration(), source: source)
        manager.start()
        await eventually("the backup to start writing") { source.writeCount == 1 }
        let stopped = LockedBox(false)
        let stopping = Task {
            await manager.stop()
            stopped.mutate { $0 = true }
        }
        for _ in 0..<200 { await Task.yield() }
        #expect(!stopped.value)
        #expect(try harness.backups().isEmpty)
        source.release.signal()
        await stopping.value
        #expect(stopped.value)
        #expect(manager.status.succeeded == 1)
        #expect(try harness.backups().count == 1)
        #expect(harness.clock.sleeperCount == 0)
    }

    @Test func backupsInFlightAreSerialized() async throws {
        let harness = try Harness()
        let source = ControlledSource(harness.database, blocking: true)
        let manager = harness.manager(harness.configuration(), source: source)
        let first = Task { await manager.backupNow(force: true) }
        await eventually { source.writeCount == 1 }
        let second = Task { await manager.backupNow(force: true) }
        for _ in 0..<200 { await Task.yield() }
        #expect(source.writeCount == 1)
        source.release.signal()
        await eventually { source.writeCount == 2 }
        source.release.signal()
        #expect(await first.value.success != nil)
        #expect(await second.value.success != nil)
    }
}

/// A value shared with hooks and tasks, behind a lock.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `stored` is only touched while `lock` is held.
    private let lock = Lock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func mutate(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}

/// The one test on the real clock: the schedule runs by itself with a short interval.
@Suite struct BackupRealClockSmokeTests {
    @Test func backsUpOnTheContinuousClockWithAShortInterval() async throws {
        let temporary = try TemporaryDirectory()
        let db = Database()
        let table = try db.createTable("events")
        var configuration = BackupConfiguration()
        configuration.interval = .milliseconds(5)
        configuration.retention = RetentionPolicy(keepCount: 2)
        let manager = BackupManager(source: db, directory: temporary.file("backups"), configuration: configuration)
        manager.start()
        for index in 0..<3 {
            _ = try table.insert(["index": .int(Int64(index))])
            let wanted = index + 1
            await eventually("a backup of \(wanted) records") { manager.status.lastSuccess?.records == wanted }
        }
        await manager.stop()
        #expect(manager.status.failed == 0)
        let kept = try BackupDirectory(temporary.file("backups")).list()
        #expect(kept.count == 2)
        #expect(try Database.restoreNewestBackup(in: temporary.file("backups")).database.table("events").count == 3)
    }
}
