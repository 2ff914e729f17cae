import DictDB
import Foundation
import Synchronization
import Testing

/// Writers, readers, checkpoints and barriers at once on an on-disk database; run under ThreadSanitizer by
/// `scripts/tsan` (its default filter matches this suite).
@Suite struct DurableConcurrencyTests {
    static let accounts = 20
    static let initialBalance: Int64 = 1000

    func openBank(_ directory: TemporaryDirectory, sync: String) throws -> Database {
        var settings = options(sync: sync)
        settings.checkpointMinimumBytes = 32 << 10  // checkpoints start on their own, too
        let db = try Database.open(at: directory.path, options: settings)
        for name in ["checking", "savings"] {
            let table = try db.createTable(name)
            try table.createIndex(on: "owner", kind: "hash")
            for owner in 0..<Self.accounts {
                try table.insert([
                    "id": .int(Int64(owner)), "owner": .int(Int64(owner)), "balance": .int(Self.initialBalance),
                ])
            }
        }
        return db
    }

    /// The sum of every balance, read inside a transaction (so it is one consistent view).
    func total(_ db: Database) throws -> Int64 {
        try db.transaction { tx in
            var sum: Int64 = 0
            for name in ["checking", "savings"] {
                for record in try tx.table(name).select() { sum += record["balance"].intValue ?? 0 }
            }
            return sum
        }
    }

    @Test(arguments: ["always", "batch"])
    func transfersCheckpointsAndReadersNeverSeeMoneyAppearOrVanish(sync: String) throws {
        let directory = try TemporaryDirectory()
        let db = try openBank(directory, sync: sync)
        let expected = Int64(2 * Self.accounts) * Self.initialBalance
        let wrongTotals = Atomic<Int>(0)
        let transfers = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        onThreads(8) { thread in
            switch thread {
            case 0..<5:
                var random = SystemRandomNumberGenerator()
                for _ in 0..<60 {
                    let from = Int64.random(in: 0..<Int64(Self.accounts), using: &random)
                    let to = Int64.random(in: 0..<Int64(Self.accounts), using: &random)
                    let amount = Int64.random(in: 1...50, using: &random)
                    let done = try? db.transaction { tx in
                        let checking = try tx.table("checking")
                        let savings = try tx.table("savings")
                        let balance = try checking.get(.int(from))?["balance"].intValue ?? 0
                        guard balance >= amount else { return false }
                        try checking.update(key: .int(from), set: ["balance": .int(balance - amount)])
                        let target = try savings.get(.int(to))?["balance"].intValue ?? 0
                        try savings.update(key: .int(to), set: ["balance": .int(target + amount)])
                        return true
                    }
                    if done == true { transfers.add(1, ordering: .relaxed) }
                }
            case 5, 6:
                while !stop.load(ordering: .relaxed) {
                    if let sum = try? total(db), sum != expected { wrongTotals.add(1, ordering: .relaxed) }
                }
            default:
                for _ in 0..<4 {
                    _ = try? db.checkpoint()
                    _ = try? db.commit()
                }
                // Keep the readers going until the writers are surely done.
                while transfers.load(ordering: .relaxed) < 5 * 20 { Thread.sleep(forTimeInterval: 0.005) }
                Thread.sleep(forTimeInterval: 0.05)
                stop.store(true, ordering: .relaxed)
            }
        }
        #expect(wrongTotals.load(ordering: .relaxed) == 0)
        #expect(transfers.load(ordering: .relaxed) > 0)
        #expect(try total(db) == expected)
        let before = try DatabaseDump(db)
        try db.close()
        let reopened = try Database.open(at: directory.path)
        #expect(try DatabaseDump(reopened) == before)
        #expect(try total(reopened) == expected)
        try reopened.close()
    }

    @Test func plainWritersOnSeveralTablesWithBarriersRecoverEverything() throws {
        let directory = try TemporaryDirectory()
        var settings = options(sync: "os")
        settings.checkpointMinimumBytes = 16 << 10
        let before: DatabaseDump
        do {
            let db = try Database.open(at: directory.path, options: settings)
            for t in 0..<3 { try db.createTable("t\(t)") }
            onThreads(6) { thread in
                if thread == 5 {
                    for _ in 0..<20 {
                        _ = try? db.commit()
                        Thread.sleep(forTimeInterval: 0.001)
                    }
                    return
                }
                guard let table = try? db.table("t\(thread % 3)") else { return }
                for i in 0..<200 {
                    _ = try? table.insert(["thread": .int(Int64(thread)), "i": .int(Int64(i))])
                    if i % 10 == 0 { _ = try? table.delete(where: Field("i") == Value.int(Int64(i - 5))) }
                }
            }
            before = try DatabaseDump(db)
            // Released without close(): the next open replays the journal since the last checkpoint.
        }
        let reopened = try reopenAfterRelease(at: directory.path)
        #expect(try DatabaseDump(reopened) == before)
        try reopened.close()
    }
}
