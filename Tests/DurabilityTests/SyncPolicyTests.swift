import DictDB
import Foundation
import Synchronization
import Testing

/// A file system whose fdatasync takes `delay` (a slow disk) and counts how often it runs.
final class SlowSyncFileSystem: WrappingFileSystem, @unchecked Sendable {
    // @unchecked: `delay` is immutable; `syncs` is atomic.
    let delay: Duration
    let syncs = Atomic<Int>(0)

    init(delay: Duration) { self.delay = delay }

    override func wrap(_ file: any WritableFile) -> any WritableFile { SlowSyncFile(file, owner: self) }
}

final class SlowSyncFile: ForwardingFile {
    unowned let owner: SlowSyncFileSystem

    init(_ base: any WritableFile, owner: SlowSyncFileSystem) {
        self.owner = owner
        super.init(base)
    }

    override func sync() throws(DictDBError) {
        Thread.sleep(
            forTimeInterval: Double(owner.delay.components.attoseconds) / 1e18 + Double(owner.delay.components.seconds))
        owner.syncs.add(1, ordering: .relaxed)
        try base.sync()
    }
}

@Suite struct SyncPolicyTests {
    /// Runs `writers` threads, each inserting `each` records one call at a time.
    func insertConcurrently(_ table: Table, writers: Int, each: Int) {
        onThreads(writers) { writer in
            for i in 0..<each {
                _ = try? table.insert(["writer": .int(Int64(writer)), "i": .int(Int64(i))])
            }
        }
    }

    @Test func concurrentCommittersUnderAlwaysShareFsyncs() throws {
        let directory = try TemporaryDirectory()
        let disk = SlowSyncFileSystem(delay: .milliseconds(2))
        let db = try Database.open(at: directory.path, options: options(sync: "always", fileSystem: disk))
        let table = try db.createTable("t")
        let before = disk.syncs.load(ordering: .relaxed)
        insertConcurrently(table, writers: 8, each: 50)
        let syncs = disk.syncs.load(ordering: .relaxed) - before
        #expect(table.count == 400)
        #expect(db.journalStatus?.unsyncedRecords == 0)
        // Group commit: far fewer fsyncs than commits, and every commit was covered by one.
        #expect(syncs < 200, "\(syncs) fsyncs for 400 commits")
        #expect(syncs > 0)
        try db.close()
        #expect(try Database.open(at: directory.path).table("t").count == 400)
    }

    @Test func alwaysSyncsEveryAcknowledgedWriteBeforeReturning() throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path, options: options(sync: "always"))
        let table = try db.createTable("t")
        for i in 0..<20 {
            try table.insert(["i": .int(Int64(i))])
            #expect(db.journalStatus?.unsyncedRecords == 0)
        }
        try db.close()
    }

    @Test func batchKeepsTheUnsyncedWindowBoundedOnASlowDisk() throws {
        let directory = try TemporaryDirectory()
        let disk = SlowSyncFileSystem(delay: .milliseconds(20))
        let db = try Database.open(at: directory.path, options: options(sync: "batch", fileSystem: disk))
        let table = try db.createTable("t")
        let largest = Atomic<Int>(0)
        onThreads(4) { writer in
            for i in 0..<1500 {
                _ = try? table.insert(["w": .int(Int64(writer)), "i": .int(Int64(i))])
                let unsynced = db.journalStatus?.unsyncedRecords ?? 0
                largest.raise(to: unsynced)
            }
        }
        // The default batch policy syncs at 1,000 pending records: writers wait rather than let the
        // window grow (a few writers may each add one record while a sync runs).
        #expect(largest.load(ordering: .relaxed) <= 1000 + 4)
        #expect(table.count == 6000)
        try db.close()
    }

    @Test func batchSyncsInTheBackgroundWithinItsInterval() throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path, options: options(sync: "batch"))
        let table = try db.createTable("t")
        try table.insert(["a": 1])
        try table.insert(["a": 2])
        let deadline = ContinuousClock.now + .seconds(2)
        while (db.journalStatus?.unsyncedRecords ?? 0) > 0 && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.002)
        }
        #expect(db.journalStatus?.unsyncedRecords == 0)
        try db.close()
    }

    @Test func osLeavesRecordsUnsyncedUntilCommit() throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path, options: options(sync: "os"))
        let table = try db.createTable("t")
        for i in 0..<10 { try table.insert(["i": .int(Int64(i))]) }
        #expect(db.journalStatus?.unsyncedRecords == 10)
        try db.commit()
        #expect(db.journalStatus?.unsyncedRecords == 0)
        try table.insert(["i": 10], durability: .always)
        #expect(db.journalStatus?.unsyncedRecords == 0)
        try db.close()
    }
}

extension Atomic where Value == Int {
    /// Raises the value to `candidate` if it is larger.
    func raise(to candidate: Int) {
        var current = load(ordering: .relaxed)
        while candidate > current {
            let (exchanged, original) = compareExchange(
                expected: current, desired: candidate, successOrdering: .relaxed, failureOrdering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}

/// Runs `body` on `count` dedicated threads at once (not a pool sized to the cores) and waits for all.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread.detachNewThread {
            body(index)
            group.leave()
        }
    }
    group.wait()
}
