import DictDB
import Testing

@testable import Engine

/// The `batch` policy's flusher thread: when the system refuses to start it, a write that should be synced
/// later is synced before its commit returns instead, so nothing waits on a thread that does not exist.
@Suite struct FlusherRefusalTests {
    /// A log over a new binary journal in `directory` under a `batch` policy whose interval is far away,
    /// starting its flusher with `startThread`.
    static func makeLog(
        in directory: TemporaryDirectory,
        startThread: @escaping (@escaping @Sendable () -> Void) -> BackgroundThread?
    ) throws -> DurableLog {
        let format = BinaryJournalFormat(codec: try Registry.standard.codec(named: "msgpack"))
        let header = JournalFormat.Header(generation: 1, baseSequence: 0)
        let writer = try JournalWriter.create(
            at: directory.file("journal.log"), header: header, headerBytes: format.encodeHeader(header),
            fileSystem: PosixFileSystem())
        return DurableLog(
            writer: writer, format: format, policy: BatchSyncPolicy(interval: .seconds(60), maxRecords: 1_000),
            startThread: startThread)
    }

    static let body: Value = ["note": "a change"]

    @Test func aRefusedFlusherMakesTheWriteSyncBeforeItReturns() throws {
        let directory = try TemporaryDirectory()
        let log = try Self.makeLog(in: directory) { _ in nil }
        let ticket = try log.append(.commit, body: Self.body, undo: .none, durability: .policy)
        #expect(ticket.mustSync)
        try log.waitUntilDurable(ticket.sequence)
        #expect(log.journalInfo.unsynced == 0)
        #expect(log.journalInfo.syncs == 1)
        // The next write finds no flusher either, and syncs too.
        let next = try log.append(.commit, body: Self.body, undo: .none, durability: .policy)
        #expect(next.mustSync)
        try log.close()
    }

    @Test func aStartedFlusherLetsTheWriteReturnBeforeItsSync() throws {
        let directory = try TemporaryDirectory()
        let log = try Self.makeLog(in: directory) { BackgroundThread($0) }
        let ticket = try log.append(.commit, body: Self.body, undo: .none, durability: .policy)
        #expect(!ticket.mustSync)
        #expect(log.journalInfo.unsynced == 1)
        try log.close()
        #expect(log.journalInfo.unsynced == 0)
    }
}
