import DictDBAPI
import Engine
import Foundation
import Testing

@Suite struct TransactionTests {
    func bank() throws -> Database {
        let db = makeDatabase()
        let checking = try db.createTable("checking")
        let savings = try db.createTable("savings")
        try checking.createIndex(on: "owner", kind: "unique")
        try checking.insertBatch([["owner": "ada", "balance": 100], ["owner": "bob", "balance": 50]])
        try savings.insertBatch([["owner": "ada", "balance": 1000], ["owner": "bob", "balance": 0]])
        return db
    }

    func snapshot(_ db: Database) throws -> [String: [Record]] {
        var result: [String: [Record]] = [:]
        for name in db.tableNames { result[name] = try db.table(name).select() }
        return result
    }

    @Test func commitsAcrossTablesWhenTheBodyReturnsAndReturnsItsValue() throws {
        let db = try bank()
        let moved: Int = try db.transaction { tx in
            let checking = try tx.table("checking")
            let savings = try tx.table("savings")
            try checking.update(key: 1, set: ["balance": 70])
            try savings.update(key: 1, set: ["balance": 1030])
            return 30
        }
        #expect(moved == 30)
        #expect(try db.table("checking").get(1)?["balance"] == 70)
        #expect(try db.table("savings").get(1)?["balance"] == 1030)
    }

    struct Abort: Error {}

    @Test func rollsBackRecordsIndexesAndKeyCountersWhenTheBodyThrows() throws {
        let db = try bank()
        let before = try snapshot(db)
        #expect(throws: Abort.self) {
            try db.transaction { tx in
                let checking = try tx.table("checking")
                try checking.insert(["owner": "cy", "balance": 5])
                try checking.delete(key: 2)
                try checking.createIndex(on: ["balance"], kind: "sorted")
                try tx.table("savings").update(set: ["balance": 0])
                throw Abort()
            }
        }
        #expect(try snapshot(db) == before)
        #expect(try db.table("checking").indexes.map(\.name) == ["owner_unique"])
        #expect(try db.table("checking").insert(["owner": "dee"]) == 3)
    }

    @Test func anExplicitRollbackDiscardsChangesAndEndsTheTransaction() throws {
        let db = try bank()
        let before = try snapshot(db)
        let value: String = try db.transaction { tx in
            try tx.table("checking").update(set: ["balance": 0])
            tx.rollback()
            #expect(captureError { try tx.table("checking").insert(["owner": "x"]) }?.code == .invalidState)
            return "done"
        }
        #expect(value == "done")
        #expect(try snapshot(db) == before)
    }

    @Test func readsInsideSeeOwnWritesWhileOthersSeeTheCommittedState() throws {
        let db = try bank()
        let plain = try db.table("checking")
        try db.transaction { tx in
            let checking = try tx.table("checking")
            try checking.insert(["owner": "cy", "balance": 7])
            try checking.update(set: ["balance": 1], where: Field("owner") == "ada")
            #expect(try checking.count() == 3)
            #expect(try checking.select(where: Field("owner") == "ada").first?["balance"] == 1)
            #expect(try checking.get(3)?["owner"] == "cy")
            #expect(try plain.count(where: .all) == 2)
            #expect(try plain.get(1)?["balance"] == 100)
            let outside = Thread.runAndWait { (try? plain.select(where: Field("owner") == "cy").count) ?? -1 }
            #expect(outside == 0)
        }
        #expect(try plain.count(where: .all) == 3)
    }

    @Test func aFailedOperationInsideCanBeCaughtAndTheRestCommits() throws {
        let db = try bank()
        try db.transaction { tx in
            let checking = try tx.table("checking")
            try checking.insert(["owner": "cy"])
            #expect(captureError { try checking.insert(["owner": "ada"]) }?.code == .uniqueViolation)
            #expect(
                captureError { try checking.insertBatch([["owner": "dee"], ["owner": "dee"]]) }?.code
                    == .uniqueViolation)
            #expect(try checking.count() == 3)
        }
        #expect(try db.table("checking").select().map { $0["owner"] } == ["ada", "bob", "cy"])
    }

    @Test func savepointsUndoOnlyTheirOwnPart() throws {
        let db = try bank()
        try db.transaction { tx in
            try tx.table("checking").insert(["owner": "cy"])
            #expect(throws: Abort.self) {
                try tx.savepoint { tx in
                    try tx.table("checking").insert(["owner": "dee"])
                    try tx.table("savings").delete(where: .all)
                    throw Abort()
                }
            }
            try tx.savepoint { tx in try tx.table("savings").insert(["owner": "cy", "balance": 1]) }
        }
        #expect(try db.table("checking").select().map { $0["owner"] } == ["ada", "bob", "cy"])
        #expect(try db.table("savings").count(where: .all) == 3)
    }

    @Test func nestedTransactionsAndPlainWritesInsideTheBodyAreTypedErrors() throws {
        let db = try bank()
        let plain = try db.table("checking")
        try db.transaction { tx in
            _ = try tx.table("checking")
            #expect(captureError { try db.transaction { _ in } }?.code == .invalidState)
            #expect(captureError { try plain.insert(["owner": "z"]) }?.code == .invalidState)
            #expect(captureError { try db.table("savings").insert(["owner": "z"]) }?.code == .invalidState)
            #expect(captureError { try db.dropTable("savings") }?.code == .invalidState)
        }
        #expect(try plain.count(where: .all) == 2)
    }

    @Test func theHandleIsUselessAfterTheBody() throws {
        let db = try bank()
        var escaped: Transaction?
        try db.transaction { tx in escaped = tx }
        #expect(captureError { try escaped?.table("checking") }?.code == .invalidState)
        #expect(captureError { try db.transaction { tx in try tx.table("nope") } }?.code == .tableNotFound)
    }

    @Test func plainWritersWaitForATransactionOnTheirTable() throws {
        let db = try bank()
        let plain = try db.table("checking")
        let started = DispatchSemaphore(value: 0)
        let finished = LockedFlag()
        try db.transaction { tx in
            try tx.table("checking").update(key: 1, set: ["balance": 1])
            let writer = Thread {
                started.signal()
                _ = try? plain.update(key: 1, set: ["balance": 2])
                finished.set()
            }
            writer.start()
            started.wait()
            Thread.sleep(forTimeInterval: 0.05)
            #expect(!finished.isSet)
        }
        while !finished.isSet { Thread.sleep(forTimeInterval: 0.001) }
        #expect(try plain.get(1)?["balance"] == 2)
    }
}

/// A flag threads can set and read.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

extension Thread {
    /// Runs `body` on a new thread and waits for its result.
    static func runAndWait<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.start()
        done.wait()
        guard let value = box.value else { preconditionFailure("the thread produced no value") }
        return value
    }
}

/// A value handed from one thread to another through a semaphore.
final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

@Suite struct BatchModeTests {
    @Test func bestEffortInsertsWhatItCanAndReportsTheRest() throws {
        let table = try makeDatabase().createTable("t")
        try table.createIndex(on: "u", kind: "unique")
        try table.insert(["u": "taken"])
        let report = try table.insertBatch(
            [["u": "a"], ["u": "taken"], ["u": .double(.nan)], ["u": "b"], ["u": "a"]], mode: .bestEffort)
        #expect(report.keys == [2, nil, nil, 3, nil])
        #expect(report.failures.map(\.index) == [1, 2, 4])
        #expect(report.failures.map(\.error.code) == [.uniqueViolation, .invalidValue, .uniqueViolation])
        #expect(report.succeeded == 2)
        #expect(table.count == 3)
    }

    @Test func allOrNothingBatchesChangeNothingOnFailure() throws {
        let table = try makeDatabase().createTable("t")
        try table.createIndex(on: "u", kind: "unique")
        try table.insertBatch([["u": 1], ["u": 2], ["u": 3]])
        let before = try table.select()
        #expect(
            captureError { try table.insertBatch([["u": 9], ["u": 1]], mode: .allOrNothing) }?.code == .uniqueViolation)
        #expect(
            captureError { try table.updateBatch([(key: 1, set: ["u": 10]), (key: 2, set: ["u": 3])]) }?.code
                == .uniqueViolation)
        #expect(try table.select() == before)
    }

    @Test func updateBatchesApplyInOrderAndReportMissingKeys() throws {
        let table = try makeDatabase().createTable("t")
        try table.createIndex(on: "u", kind: "unique")
        try table.insertBatch([["u": 1, "n": 0], ["u": 2, "n": 0]])
        let report = try table.updateBatch([
            (key: 1, set: ["n": 1]), (key: 99, set: ["n": 1]), (key: 1, set: ["u": 5]), (key: 2, set: ["u": 1]),
        ])
        #expect(report.keys == [1, nil, 1, 2])
        #expect(try table.select() == [["id": 1, "u": 5, "n": 1], ["id": 2, "u": 1, "n": 0]])
        let partial = try table.updateBatch([(key: 1, set: ["u": 1]), (key: 2, set: ["n": 7])], mode: .bestEffort)
        #expect(partial.failures.map(\.index) == [0])
        #expect(try table.get(2)?["n"] == 7)
    }
}
