import Backup
import DictDB
import Foundation
import Testing

@Suite struct BackupFailureTests {
    @Test func backoffGrowsExponentiallyWithJitterUpToTheCap() {
        let policy = BackoffPolicy(initial: .seconds(1), multiplier: 2, maximum: .seconds(10), jitter: 0.5)
        #expect(policy.delay(afterFailures: 1, random: 0.5) == .seconds(1))
        #expect(policy.delay(afterFailures: 2, random: 0.5) == .seconds(2))
        #expect(policy.delay(afterFailures: 3, random: 0.5) == .seconds(4))
        #expect(policy.delay(afterFailures: 3, random: 0) == .seconds(2))
        #expect(policy.delay(afterFailures: 3, random: 0.75) == .seconds(5))
        #expect(policy.delay(afterFailures: 5, random: 0.5) == .seconds(10))
        #expect(policy.delay(afterFailures: 5, random: 0.99) == .seconds(10))
        #expect(policy.delay(afterFailures: 5, random: 0) == .seconds(5))
        #expect(policy.delay(afterFailures: 10_000, random: 0.5) == .seconds(10))
        let degenerate = BackoffPolicy(initial: .seconds(1), multiplier: .nan, maximum: .seconds(3), jitter: 7)
        #expect(degenerate.delay(afterFailures: 4, random: .infinity) == .seconds(1))
    }

    @Test func retriesAfterFailuresWithBackoffAndResetsTheCountOnSuccess() async throws {
        let harness = try Harness()
        let source = ControlledSource(harness.database, failures: 3)
        var configuration = harness.configuration(interval: .seconds(60), random: 0.75)
        configuration.backoff = BackoffPolicy(initial: .seconds(1), multiplier: 2, maximum: .seconds(3), jitter: 0.5)
        let failures = LockedBox<[BackupFailure]>([])
        configuration.onError = { failure in failures.mutate { $0.append(failure) } }
        let manager = harness.manager(configuration, source: source)
        manager.start()

        // Delays with jitter factor 1.25: 1.25 s, 2.5 s, then 4 s capped at 3 s before and after jitter.
        let expected: [(attempt: Int, retryIn: Duration, deadline: Duration)] = [
            (1, .milliseconds(1250), .milliseconds(1250)),
            (2, .milliseconds(2500), .milliseconds(3750)),
            (3, .seconds(3), .milliseconds(6750)),
        ]
        for step in expected {
            await idle(manager, harness.clock, attempts: step.attempt)
            #expect(manager.status.consecutiveFailures == step.attempt)
            #expect(manager.status.lastResult?.failure?.retryIn == step.retryIn)
            #expect(harness.clock.nextDeadline == step.deadline)
            harness.clock.advanceToNextDeadline()
        }
        await idle(manager, harness.clock, attempts: 4)
        #expect(manager.status.consecutiveFailures == 0)
        #expect(manager.status.failed == 3)
        #expect(manager.status.lastSuccess?.trigger == .retry)
        #expect(harness.clock.nextDeadline == .milliseconds(66_750))
        await eventually { failures.value.count == 3 }
        #expect(failures.value.map(\.attempt) == [1, 2, 3])
        #expect(failures.value.map(\.trigger) == [.start, .retry, .retry])
        #expect(failures.value.allSatisfy { $0.error.code == .io })
        await manager.stop()
        #expect(try harness.backups().count == 1)
    }

    @Test func notifiedChangesWaitForTheBackoff() async throws {
        let harness = try Harness()
        let source = ControlledSource(harness.database, failures: 1)
        var configuration = harness.configuration(interval: .seconds(600), spacing: .seconds(1))
        configuration.backoff = BackoffPolicy(initial: .seconds(30), multiplier: 2, maximum: .seconds(60), jitter: 0)
        let manager = harness.manager(configuration, source: source)
        manager.start()
        await idle(manager, harness.clock, attempts: 1)
        manager.notifyChange()
        for _ in 0..<100 { await Task.yield() }
        #expect(harness.clock.nextDeadline == .seconds(30))
        harness.clock.advance(by: .seconds(30))
        await idle(manager, harness.clock, attempts: 2)
        #expect(manager.status.lastSuccess?.trigger == .retry)
        await manager.stop()
    }

    @Test func aBackupThatFailsVerificationIsNotCountedAndLeavesNoFile() async throws {
        let harness = try Harness()
        var configuration = harness.configuration()
        // Each backup is read twice: the write's own reads (none) and the verifying read; fail the first read.
        configuration.fileSystem = FaultInjectingFileSystem(faults: [.init(.read, onCall: 1, errno: 5)])
        let manager = harness.manager(configuration)
        let result = await manager.backupNow()
        #expect(result.failure?.error.code == .io)
        #expect(result.failure?.attempt == 1)
        #expect(result.failure?.retryIn == nil)
        #expect(harness.temporary.contents("backups").isEmpty)
        let retry = await manager.backupNow()
        #expect(retry.success != nil)
        #expect(manager.status.consecutiveFailures == 0)
        #expect(try harness.backups().count == 1)
    }

    @Test(arguments: [
        FaultInjectingFileSystem.Operation.createExclusive, .write, .sync, .rename, .syncDirectory,
    ])
    func aFailedWriteStepFailsTheAttemptAndLeavesNoBackup(_ operation: FaultInjectingFileSystem.Operation) async throws
    {
        let harness = try Harness()
        var configuration = harness.configuration()
        configuration.fileSystem = FaultInjectingFileSystem(faults: [.init(operation, onCall: 1, errno: 28)])
        let manager = harness.manager(configuration)
        let result = await manager.backupNow()
        #expect(result.failure?.error.code == .io)
        #expect(try harness.backups().isEmpty)
        #expect(harness.temporary.contents("backups").allSatisfy { !$0.hasPrefix(".") })
        #expect(await manager.backupNow().success != nil)
    }

    @Test func anUnknownCodecIsATypedFailure() async throws {
        let harness = try Harness()
        var configuration = harness.configuration()
        configuration.codec = "msgpack+zstd"
        let result = await harness.manager(configuration).backupNow()
        #expect(result.failure?.error.code == .unknownPlugin)
    }

    @Test func leftoversOfACrashedBackupAreCleanedAndNothingElse() async throws {
        let harness = try Harness()
        let manager = harness.manager(harness.configuration())
        try FileManager.default.createDirectory(atPath: harness.directory, withIntermediateDirectories: true)
        let leftovers = [
            ".dictdb-20201127T043541.123Z-g0-s1.json.partial",
            "..dictdb-20201127T043541.123Z-g0-s1.json.partial.tmp-9f",
        ]
        let strangers = [".partial", ".notes.partial", "..x.partial.tmp-1", ".dictdb-bad.json.partial"]
        for name in leftovers + strangers {
            _ = FileManager.default.createFile(atPath: harness.directory + "/" + name, contents: Data())
        }
        #expect(await manager.backupNow().success != nil)
        let left = harness.temporary.contents("backups")
        #expect(left.filter { $0.hasPrefix(".") }.sorted() == strangers.sorted())
    }
}
