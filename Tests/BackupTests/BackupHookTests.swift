import Backup
import DictDB
import Testing

@Suite struct BackupHookTests {
    struct HookError: Error {}

    @Test func successHooksReceivePathBytesDurationAndSequence() async throws {
        let harness = try Harness()
        let successes = LockedBox<[BackupSuccess]>([])
        var configuration = harness.configuration()
        configuration.onSuccess = { success in successes.mutate { $0.append(success) } }
        let manager = harness.manager(configuration)
        let marker = harness.database.backupChangeMarker
        await manager.backupNow()
        let success = try #require(successes.value.first)
        #expect(success.path == harness.directory + "/" + success.name.description)
        #expect(success.bytes > 0)
        #expect(success.bytes == (try BackupDirectory(harness.directory).list().first?.bytes))
        #expect(success.duration > .zero)
        #expect(success.sequence == marker.sequence)
        #expect(success.generation == 0)
        #expect(success.records == 1)
        #expect(success.tables == 1)
        #expect(success.name.codec == "json")
    }

    @Test func errorHooksReceiveTheErrorAndTheAttemptNumber() async throws {
        let harness = try Harness()
        let source = ControlledSource(harness.database, failures: 2)
        let failures = LockedBox<[BackupFailure]>([])
        var configuration = harness.configuration()
        configuration.onError = { failure in failures.mutate { $0.append(failure) } }
        let manager = harness.manager(configuration, source: source)
        await manager.backupNow()
        await manager.backupNow()
        #expect(failures.value.map(\.attempt) == [1, 2])
        #expect(failures.value.map(\.error.message) == ["injected failure", "injected failure"])
        #expect(failures.value.first?.description.hasPrefix("attempt 1: io: injected failure") == true)
        await manager.backupNow()
        #expect(manager.status.consecutiveFailures == 0)
    }

    @Test func throwingHooksNeverBreakTheManager() async throws {
        let harness = try Harness()
        let source = ControlledSource(harness.database, failures: 1)
        var configuration = harness.configuration()
        configuration.onSuccess = { _ in throw HookError() }
        configuration.onError = { _ in throw HookError() }
        configuration.onSkip = { _ in throw HookError() }
        let manager = harness.manager(configuration, source: source)
        manager.start()
        await idle(manager, harness.clock, attempts: 1)  // fails
        harness.clock.advanceToNextDeadline()
        await idle(manager, harness.clock, attempts: 2)  // succeeds
        harness.clock.advanceToNextDeadline()
        await idle(manager, harness.clock, attempts: 3)  // skipped
        await eventually { manager.status.hookErrors == 3 }
        #expect(manager.status.failed == 1)
        #expect(manager.status.succeeded == 1)
        #expect(manager.status.skipped == 1)
        try harness.change()
        harness.clock.advanceToNextDeadline()
        await idle(manager, harness.clock, attempts: 4)
        #expect(manager.status.succeeded == 2)
        await manager.stop()
    }

    @Test func hooksRunOutsideTheLockAndMayCallTheManager() async throws {
        let harness = try Harness()
        let box = LockedBox<BackupManager?>(nil)
        let seen = LockedBox<[Int]>([])
        var configuration = harness.configuration()
        configuration.onSuccess = { _ in
            guard let manager = box.value else { return }
            seen.mutate { $0.append(manager.status.succeeded) }
            manager.notifyChange()
            _ = try? manager.listBackups()
        }
        let manager = harness.manager(configuration)
        box.mutate { $0 = manager }
        await manager.backupNow()
        #expect(seen.value == [1])
        box.mutate { $0 = nil }
    }
}
