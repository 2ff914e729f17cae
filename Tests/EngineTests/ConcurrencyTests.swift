import DictDBAPI
import Dispatch
import Engine
import Foundation
import Indexes
import Synchronization
import Testing

/// Concurrency stress (TESTING.md (d)): writers and readers on real threads against one database. Readers
/// check invariants that a torn read, a lost update or an index out of step with its rows would break.
/// `scripts/tsan` runs this suite under ThreadSanitizer.
///
/// Every test joins its threads with a watchdog: a run where the threads do not finish in time fails instead
/// of hanging.
@Suite(.serialized) struct ConcurrencyTests {
    @Test func concurrentAutoKeyInsertsGetExactlyTheKeysOneThroughN() throws {
        let writers = 8
        let perWriter = 2_000
        let total = writers * perWriter
        let table = try Database(registry: makeConcurrencyRegistry()).createTable("events")
        try table.createIndex(on: "writer")
        let keys = Collector<Value>()
        let problems = Collector<String>()
        let writersLeft = Counter(writers)

        runOnThreads(writers + 2) { thread in
            if thread < writers {
                var mine: [Value] = []
                mine.reserveCapacity(perWriter)
                for seq in 0..<perWriter {
                    do {
                        mine.append(try table.insert(["writer": .int(Int64(thread)), "seq": .int(Int64(seq))]))
                    } catch {
                        problems.add("writer \(thread) insert \(seq): \(error)")
                    }
                    // The table lock prefers writers: without a pause now and then, eight writers always have
                    // one waiting and readers would only get in after the last insert.
                    if seq.isMultiple(of: 8) { Thread.sleep(forTimeInterval: 0.000_05) }
                }
                keys.add(contentsOf: mine)
                writersLeft.decrement()
                return
            }
            // A reader: counts never go down, and each writer's rows appear as a prefix of its inserts, in key
            // order, found through the index on `writer`.
            var lastCount = 0
            var lastPerWriter = [Int](repeating: 0, count: writers)
            var round = 0
            while writersLeft.value > 0 || round < 2 {
                round += 1
                do {
                    let count = table.count
                    if count < lastCount || count > total { problems.add("count went \(lastCount) -> \(count)") }
                    lastCount = count
                    let w = round % writers
                    let rows = try table.select(where: Field("writer") == w)
                    if rows.count < lastPerWriter[w] { problems.add("writer \(w) rows shrank to \(rows.count)") }
                    lastPerWriter[w] = rows.count
                    if rows.map({ $0["seq"] }) != (0..<rows.count).map({ Value.int(Int64($0)) }) {
                        problems.add("writer \(w) rows are not seq 0..<\(rows.count) in order")
                    }
                    if rows.contains(where: { $0["writer"] != .int(Int64(w)) }) {
                        problems.add("index on writer returned another writer's row")
                    }
                    if !isStrictlyIncreasing(rows.map { $0["id"] }) { problems.add("rows out of insertion order") }
                    if try table.count(where: Field("writer") == w) < rows.count {
                        problems.add("count(where:) went below an earlier select")
                    }
                    // Rows only grow: the newest seqs now are consecutive, descending, and reach at least the
                    // newest seen by the select above.
                    let newestQuery = Query(Field("writer") == w).orderBy(.descending("seq")).limit(3)
                    let newest = try table.select(newestQuery).compactMap { $0["seq"].intValue }
                    if let top = newest.first {
                        let consecutive = (0..<newest.count).map { top - Int64($0) }
                        if top < Int64(rows.count - 1) || newest != consecutive {
                            problems.add("orderBy seq desc gave \(newest) after \(rows.count) rows")
                        }
                    } else if !rows.isEmpty {
                        problems.add("orderBy seq desc gave nothing after \(rows.count) rows")
                    }
                    if round.isMultiple(of: 25), !isStrictlyIncreasing(try table.allRecords().map { $0["id"] }) {
                        problems.add("allRecords out of key order")
                    }
                } catch {
                    problems.add("reader: \(error)")
                }
            }
        }

        #expect(problems.items.isEmpty, "\(problems.items.prefix(10))")
        let expected = (1...total).map { Value.int(Int64($0)) }
        #expect(keys.items.sorted { Value.compare($0, $1) < 0 } == expected)
        #expect(table.count == total)
        let rows = try table.allRecords()
        #expect(rows.map { $0["id"] } == expected)
        for w in 0..<writers {
            let seqs = try table.select(where: Field("writer") == w).map { $0["seq"] }
            #expect(seqs == (0..<perWriter).map { Value.int(Int64($0)) })
        }
        #expect(try table.insert(["writer": -1]) == .int(Int64(total + 1)))
    }

    @Test func readersNeverSeeTornRowsOrIndexEntriesThatDisagreeWithTheRow() throws {
        let rowCount = 32
        let table = try Database(registry: makeConcurrencyRegistry()).createTable("digests")
        try table.createIndex(on: "a")
        try table.insertBatch((1...rowCount).map { ["a": .int(Int64($0)), "b": .int(Int64(2 * $0))] })
        let problems = Collector<String>()
        let writers = 4
        let writersLeft = Counter(writers)

        runOnThreads(writers + 3) { thread in
            if thread < writers {
                var rng = SystemRandomNumberGenerator()
                for step in 0..<1_500 {
                    let key = Value.int(Int64.random(in: 1...Int64(rowCount), using: &rng))
                    let a = Int64.random(in: 0..<40, using: &rng)
                    let digest: Record = ["a": .int(a), "b": .int(2 * a)]
                    do {
                        switch step % 4 {
                        case 0:
                            try table.update(key: key, set: digest)
                        case 1:
                            try table.upsert(digest.merging(["id": key]))
                        case 2:
                            let replacement = digest.merging(["id": key, "by": .int(Int64(thread))])
                            try table.upsert(replacement, onConflict: .replace)
                        default:
                            // Several rows in one statement: still one atomic step.
                            try table.update(set: digest, where: Field("a") == Int64.random(in: 0..<40, using: &rng))
                        }
                    } catch {
                        problems.add("writer \(thread) step \(step): \(error)")
                    }
                }
                writersLeft.decrement()
                return
            }
            var rng = SystemRandomNumberGenerator()
            var round = 0
            while writersLeft.value > 0 || round < 2 {
                round += 1
                do {
                    let all = try table.select()
                    if all.count != rowCount { problems.add("select() returned \(all.count) rows") }
                    if all.map({ $0["id"] }) != (1...rowCount).map({ Value.int(Int64($0)) }) {
                        problems.add("keys changed or reordered: \(all.map { $0["id"] })")
                    }
                    for row in all where !isDigestValid(row) { problems.add("torn row \(row)") }
                    let a = Int64.random(in: 0..<40, using: &rng)
                    let viaIndex = try table.select(where: Field("a") == a)
                    for row in viaIndex where row["a"] != .int(a) || !isDigestValid(row) {
                        problems.add("index on a = \(a) returned \(row)")
                    }
                    let matches = try table.select(Query(Field("a").in([.int(a), .int(a + 1)])).orderBy("a", "id"))
                    if matches.contains(where: { $0["a"] != .int(a) && $0["a"] != .int(a + 1) }) {
                        problems.add("index on a IN (\(a), \(a + 1)) returned \(matches)")
                    }
                    let key = Value.int(Int64.random(in: 1...Int64(rowCount), using: &rng))
                    if let row = try table.get(key), !isDigestValid(row) { problems.add("get(\(key)) torn: \(row)") }
                    if table.count != rowCount { problems.add("count is \(table.count)") }
                } catch {
                    problems.add("reader: \(error)")
                }
            }
        }

        #expect(problems.items.isEmpty, "\(problems.items.prefix(10))")
        let rows = try table.allRecords()
        #expect(rows.count == rowCount)
        #expect(rows.allSatisfy(isDigestValid))
        for a in 0..<40 {
            let viaIndex = try table.select(where: Field("a") == a)
            #expect(viaIndex == rows.filter { $0["a"] == .int(Int64(a)) }, "index on a for \(a)")
        }
    }

    @Test func tablesOfDifferentNamesAreCreatedAndDroppedConcurrently() throws {
        let threads = 6
        let rounds = 60
        let db = Database(registry: makeConcurrencyRegistry())
        let kept = try db.createTable("kept")
        let problems = Collector<String>()

        runOnThreads(threads) { thread in
            for round in 0..<rounds {
                let name = "t\(thread)-\(round)"
                do {
                    let table = try db.createTable(name)
                    if round.isMultiple(of: 2) { try table.createIndex(on: "n") }
                    try table.insertBatch([["n": 1], ["n": 2], ["n": .int(Int64(thread))]])
                    if try db.table(name) !== table { problems.add("\(name) looked up another instance") }
                    if table.count != 3 { problems.add("\(name) has \(table.count) rows") }
                    try kept.insert(["thread": .int(Int64(thread)), "round": .int(Int64(round))])
                    let names = db.tableNames
                    if !names.contains(name) || !names.contains("kept") { problems.add("tableNames \(names)") }
                    if names != names.sorted() { problems.add("tableNames not sorted") }
                    try db.dropTable(name)
                    if db.hasTable(name) { problems.add("\(name) still listed after drop") }
                } catch {
                    problems.add("\(name): \(error)")
                }
            }
        }

        #expect(problems.items.isEmpty, "\(problems.items.prefix(10))")
        #expect(db.tableNames == ["kept"])
        #expect(kept.count == threads * rounds)
    }

    @Test func concurrentCreatesOfOneNameLetExactlyOneWin() throws {
        let db = Database(registry: makeConcurrencyRegistry())
        let created = Collector<ObjectIdentifier>()
        let reused = Collector<ObjectIdentifier>()
        let codes = Collector<DictDBError.Code>()

        runOnThreads(8) { thread in
            do {
                created.add(ObjectIdentifier(try db.createTable("shared")))
            } catch let error as DictDBError {
                codes.add(error.code)
            } catch {
                codes.add(DictDBError.Code(rawValue: "not a DictDBError: \(error)"))
            }
            do {
                reused.add(ObjectIdentifier(try db.createTable("shared", ifNotExists: true)))
            } catch {
                codes.add(DictDBError.Code(rawValue: "ifNotExists threw \(error)"))
            }
        }

        #expect(created.items.count == 1)
        #expect(codes.items == Array(repeating: .tableExists, count: 7))
        #expect(Set(reused.items + created.items) == [ObjectIdentifier(try db.table("shared"))])
    }

    @Test func aDroppedTablesHandleThrowsTableNotFoundFromEveryOperation() throws {
        let db = Database(registry: makeConcurrencyRegistry())
        let table = try db.createTable("gone")
        try table.createIndex(on: "a")
        try table.insert(["a": 1])
        try db.dropTable("gone")

        let operations: [(String, () throws -> Void)] = [
            ("insert", { try table.insert(["a": 2]) }),
            ("insertBatch", { try table.insertBatch([["a": 2]]) }),
            ("select", { _ = try table.select() }),
            ("select(where:)", { _ = try table.select(where: Field("a") == 1) }),
            ("first", { _ = try table.first(Query()) }),
            ("count(where:)", { _ = try table.count(where: Field("a") == 1) }),
            ("count(all)", { _ = try table.count(where: .all) }),
            ("get", { _ = try table.get(1) }),
            ("contains", { _ = try table.contains(key: 1) }),
            ("explain", { _ = try table.explain(Query(Field("a") == 1)) }),
            ("allRecords", { _ = try table.allRecords() }),
            ("update(set:where:)", { try table.update(set: ["a": 3], where: .all) }),
            ("update(key:set:)", { try table.update(key: 1, set: ["a": 3]) }),
            ("delete(where:)", { try table.delete(where: .all) }),
            ("delete(key:)", { try table.delete(key: 1) }),
            ("deleteAll", { try table.deleteAll() }),
            ("upsert", { try table.upsert(["id": 1, "a": 4]) }),
            ("upsert(no key)", { try table.upsert(["a": 4]) }),
            ("createIndex", { try table.createIndex(on: "b") }),
            ("dropIndex", { try table.dropIndex(named: "a_hash") }),
            ("indexStatistics", { _ = try table.indexStatistics() }),
            ("db.table", { _ = try db.table("gone") }),
        ]
        for (name, operation) in operations {
            let error = #expect(throws: DictDBError.self, "\(name)") { try operation() }
            #expect(error?.code == .tableNotFound, "\(name)")
        }

        // A new table under the old name is a new table; the old handle stays dead.
        let again = try db.createTable("gone")
        #expect(try again.insert(["a": 1]) == 1)
        #expect((#expect(throws: DictDBError.self) { try table.select() })?.code == .tableNotFound)
        #expect(try db.table("gone") === again)
    }

    @Test func handlesInUseWhenTheTableIsDroppedEitherSucceedOrThrowTableNotFound() throws {
        let db = Database(registry: makeConcurrencyRegistry())
        let table = try db.createTable("doomed")
        try table.createIndex(on: "w")
        let problems = Collector<String>()
        let successes = Counter(0)
        let users = 4

        runOnThreads(users + 1) { thread in
            if thread == users {
                let deadline = ContinuousClock.now + .seconds(10)
                while successes.value < 200 && ContinuousClock.now < deadline {
                    Thread.sleep(forTimeInterval: 0.000_1)
                }
                do { try db.dropTable("doomed") } catch { problems.add("drop: \(error)") }
                return
            }
            var sawDrop = false
            for step in 0..<2_000 {
                do {
                    switch step % 3 {
                    case 0: try table.insert(["w": .int(Int64(thread))])
                    case 1: _ = try table.select(where: Field("w") == thread)
                    default: try table.update(set: ["seen": true], where: Field("w") == thread)
                    }
                    if sawDrop { problems.add("thread \(thread) succeeded after seeing the drop") }
                    successes.increment()
                } catch DictDBError.tableNotFound {
                    sawDrop = true
                } catch {
                    problems.add("thread \(thread): \(error)")
                }
                if sawDrop && step.isMultiple(of: 50) { break }
            }
        }

        #expect(problems.items.isEmpty, "\(problems.items.prefix(10))")
        #expect(!db.hasTable("doomed"))
        #expect((#expect(throws: DictDBError.self) { try table.insert(["w": 0]) })?.code == .tableNotFound)
    }
}

// MARK: - Helpers

/// The index kinds and the auto-increment generator, as `Registry.standard` has them.
private func makeConcurrencyRegistry() -> Registry {
    var registry = Registry()
    registry.register(indexKind: HashIndexKind())
    registry.register(indexKind: UniqueIndexKind())
    registry.register(keyGenerator: AutoIncrementKeyGenerator())
    return registry
}

/// Runs `body(i)` for each `i` in `0..<count` on its own thread (not a pool, so readers that wait for writers
/// cannot starve them), all released at once when every thread is up, and waits for all of them; records an
/// issue if they take longer than `timeout`.
private func runOnThreads(
    _ count: Int, timeout: Duration = .seconds(60), sourceLocation: SourceLocation = #_sourceLocation,
    _ body: @escaping @Sendable (Int) -> Void
) {
    let group = DispatchGroup()
    let arrived = Counter(0)
    for i in 0..<count {
        group.enter()
        let thread = Thread {
            arrived.increment()
            while arrived.value < count { Thread.sleep(forTimeInterval: 0.000_05) }
            body(i)
            group.leave()
        }
        thread.start()
    }
    let seconds = Double(timeout.components.seconds)
    if group.wait(timeout: .now() + seconds) == .timedOut {
        Issue.record(
            "threads did not finish within \(timeout): a deadlock or a livelock", sourceLocation: sourceLocation)
    }
}

/// Items appended from many threads.
private final class Collector<Item: Sendable>: @unchecked Sendable {
    // @unchecked: `storage` is only touched while `lock` is held.
    private let lock = NSLock()
    private var storage: [Item] = []

    func add(_ item: Item) { lock.withLock { storage.append(item) } }
    func add(contentsOf items: [Item]) { lock.withLock { storage += items } }
    var items: [Item] { lock.withLock { storage } }
}

/// A shared integer.
private final class Counter: Sendable {
    private let atomic: Atomic<Int>

    init(_ value: Int) { atomic = Atomic(value) }

    var value: Int { atomic.load(ordering: .acquiring) }
    func increment() { atomic.add(1, ordering: .releasing) }
    func decrement() { atomic.subtract(1, ordering: .releasing) }
}

/// `b == 2 * a`: the digest every writer keeps.
private func isDigestValid(_ row: Record) -> Bool {
    guard let a = row["a"].intValue, let b = row["b"].intValue else { return false }
    return b == 2 * a
}

private func isStrictlyIncreasing(_ values: some Sequence<Value>) -> Bool {
    var previous: Value?
    for value in values {
        if let previous, Value.compare(previous, value) >= 0 { return false }
        previous = value
    }
    return true
}
