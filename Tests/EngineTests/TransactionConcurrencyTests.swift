import DictDBAPI
import Engine
import Foundation
import Testing

/// Jepsen's bank test on two tables: transfers move money between accounts in either table from several
/// threads; readers summing every balance inside a transaction must always see the same total.
@Suite struct TransactionConcurrencyTests {
    static let accounts = 10
    static let opening: Int64 = 100

    func makeBank() throws -> Database {
        let db = makeDatabase()
        for name in ["checking", "savings"] {
            let table = try db.createTable(name)
            try table.createIndex(on: "balance", kind: "sorted")
            try table.insertBatch((0..<Self.accounts).map { _ in ["balance": .int(Self.opening)] })
        }
        return db
    }

    static func total(_ db: Database) throws -> Int64 {
        try db.transaction { tx in
            var sum: Int64 = 0
            for name in ["checking", "savings"] {
                for record in try tx.table(name).select() { sum += record["balance"].intValue ?? 0 }
            }
            return sum
        }
    }

    @Test func concurrentTransfersNeverChangeTheTotalAnyReaderSees() throws {
        let db = try makeBank()
        let expected = Int64(2 * Self.accounts) * Self.opening
        let failures = FailureLog()
        let group = DispatchGroup()
        for writer in 0..<4 {
            DispatchQueue.global().async(group: group) {
                var random = SystemRandomNumberGenerator()
                for _ in 0..<250 {
                    let tables = ["checking", "savings"]
                    let from = (
                        tables[Int.random(in: 0...1, using: &random)],
                        Value.int(Int64.random(in: 1...10, using: &random))
                    )
                    let to = (
                        tables[Int.random(in: 0...1, using: &random)],
                        Value.int(Int64.random(in: 1...10, using: &random))
                    )
                    let amount = Int64.random(in: 1...20, using: &random)
                    do {
                        try db.transaction { tx in
                            let source = try tx.table(from.0)
                            let target = try tx.table(to.0)
                            let available = try source.get(from.1)?["balance"].intValue ?? 0
                            guard available >= amount else { return }
                            try source.update(key: from.1, set: ["balance": .int(available - amount)])
                            let current = try target.get(to.1)?["balance"].intValue ?? 0
                            try target.update(key: to.1, set: ["balance": .int(current + amount)])
                        }
                    } catch {
                        failures.add("writer \(writer): \(error)")
                    }
                }
            }
        }
        for reader in 0..<2 {
            DispatchQueue.global().async(group: group) {
                for _ in 0..<150 {
                    do {
                        let seen = try Self.total(db)
                        if seen != expected { failures.add("reader \(reader) saw total \(seen)") }
                        let negative = try db.table("checking").select(where: Field("balance") < 0)
                        if !negative.isEmpty { failures.add("reader \(reader) saw a negative balance") }
                    } catch {
                        failures.add("reader \(reader): \(error)")
                    }
                }
            }
        }
        group.wait()
        #expect(failures.entries.isEmpty, "\(failures.entries.prefix(5))")
        #expect(try Self.total(db) == expected)
        for name in ["checking", "savings"] {
            let table = try db.table(name)
            let viaIndex = try table.select(Query(Field("balance") >= 0).orderBy("balance")).count
            #expect(viaIndex == Self.accounts)
        }
    }
}

/// Messages collected from several threads.
final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var entries: [String] { lock.withLock { messages } }
}
