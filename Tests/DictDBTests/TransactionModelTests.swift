import DictDB
import Foundation
import PropertyBased
import Testing

/// Model-based tests of transactions and batch operations (TESTING.md (e)).
///
/// A run creates 2-3 tables (a unique index on `email`, a hash index on `grp`, a sorted index on `rank`;
/// records share `grp` and `rank` values and sometimes emails and keys) and applies 1-200 random operations
/// to DictDB and to ``TransactionModel``: plain inserts with generated and explicit keys (duplicates, keys
/// equal as numbers, keys past the counter), `insertBatch` throwing, all-or-nothing and best-effort,
/// `update(set:where:)` including re-keying, `updateBatch` in both modes, `upsert` under all four policies,
/// deletes by condition and by key, fill-and-delete runs that make the storage compact, transactions whose
/// bodies run 1-10 steps through the handle (operations whose caught errors leave the rest of the body, reads,
/// savepoints that keep, throw or let an error escape, index creation, plain writes and nested transactions
/// that must be refused) and then return, throw, call `tx.rollback()` or let an operation's error escape,
/// and, every ~20 steps, a save in a random codec followed by `Database.load(from:registry:)`.
///
/// After every step the two sides must agree on the outcome (keys, counts, upsert outcomes, batch reports,
/// error codes), on what the body saw after each of its steps and what readers outside saw meanwhile, and on
/// the full contents in order, the key counters, the index definitions and statistics, and indexed queries
/// (equality on `grp`, `email` and `note`, `id IN`, `rank` ranges ordered both ways, `get`).
///
/// A run is determined by its seed and length. A failure message names both, the failing step and the
/// operations before it, and how to replay it: `TransactionModelRun(seed:steps:profile:).execute()`.
/// `DICTDB_MODEL_RUNS=<n>` multiplies the random runs for a soak.
@Suite struct TransactionModelTests {
    /// Multiplies the number of random runs, for a longer soak: `DICTDB_MODEL_RUNS=50 swift test --filter ...`.
    static let scale = max(1, Int(ProcessInfo.processInfo.environment["DICTDB_MODEL_RUNS"] ?? "") ?? 1)

    @Test func mixedOperationSequencesMatchTheModelAfterEveryStep() async {
        let statistics = RunStatistics()
        await propertyCheck(count: 20 * Self.scale, input: Gen<UInt64>.uint64(), Gen.int(in: 1...200)) { seed, steps in
            if let failure = TransactionModelRun(seed: seed, steps: steps).execute(statistics: statistics) {
                Issue.record("\(failure)")
            }
        }
        statistics.expectCoverage(minimumSteps: 800)
    }

    @Test func transactionHeavySequencesMatchTheModelAfterEveryStep() async {
        let statistics = RunStatistics()
        await propertyCheck(count: 12 * Self.scale, input: Gen<UInt64>.uint64(), Gen.int(in: 1...200)) { seed, steps in
            let run = TransactionModelRun(seed: seed, steps: steps, profile: .transactions)
            if let failure = run.execute(statistics: statistics) {
                Issue.record("\(failure)")
            }
        }
        statistics.expectCoverage(minimumSteps: 400)
    }

    /// The same sequences on an on-disk database, reopened (after close, or as after a crash) where the
    /// in-memory runs save and load: every journaled change, and every transaction as a whole, survives.
    @Test(arguments: [("always", "binary"), ("batch", "ndjson"), ("os", "binary")])
    func onDiskSequencesMatchTheModelAcrossReopens(sync: String, journal: String) async {
        let statistics = RunStatistics()
        await propertyCheck(count: 30 * Self.scale, input: Gen<UInt64>.uint64(), Gen.int(in: 1...200)) { seed, steps in
            let profile: OperationMaker.Profile = seed % 2 == 0 ? .mixed : .transactions
            let run = TransactionModelRun(
                seed: seed, steps: steps, profile: profile, storage: .disk(sync: sync, journal: journal))
            if let failure = run.execute(statistics: statistics) {
                Issue.record("\(failure)")
            }
        }
        statistics.expectCoverage(minimumSteps: 1200)
    }

    /// Fixed seeds, so every CI run also covers the same long sequences.
    @Test(arguments: [1, 2] as [UInt64])
    func fixedLongSequencesMatchTheModel(_ seed: UInt64) {
        for profile in [OperationMaker.Profile.mixed, .transactions] {
            let failure = TransactionModelRun(seed: seed, steps: 200, profile: profile).execute()
            #expect(failure == nil, "\(failure ?? "")")
        }
    }
}

// MARK: - The test can fail

extension TransactionModelTests {
    /// A model that is wrong in one rule must be caught by some run, with a message that replays it.
    @Test(arguments: TransactionModel.Mutant.allCases)
    func aModelWithOneWrongRuleIsCaught(_ mutant: TransactionModel.Mutant) {
        var caught: String?
        for seed in 1...60 as ClosedRange<UInt64> where caught == nil {
            caught = TransactionModelRun(seed: seed, steps: 200, profile: .transactions, mutant: mutant).execute()
        }
        #expect(caught != nil, "no run noticed the mutant \(mutant)")
        #expect(caught?.contains("seed ") == true && caught?.contains(", step ") == true, "\(caught ?? "")")
        #expect(caught?.contains("Replay: TransactionModelRun(seed: ") == true)
    }

    /// After a real run, every kind of deliberate change to the model is reported by the comparison.
    @Test func theComparisonCatchesEveryDeliberateChangeToTheModel() throws {
        let session = try TransactionModelSession(seed: 7, profile: .mixed)
        for _ in 0..<80 {
            let failure = session.step()
            try #require(failure == nil, "\(failure ?? "")")
        }
        var probe = TransactionModel.Random(seed: 1)
        #expect(session.engine.differences(from: session.model, probe: &probe) == nil)

        let name = try #require(
            session.model.names.max { session.model.tables[$0]!.rows.count < session.model.tables[$1]!.rows.count })
        let table = session.model.tables[name]!
        try #require(table.rows.count >= 3)
        let mutations: [(String, (inout TransactionModel.TableState) -> Void)] = [
            ("a record lost", { $0.rows.removeLast() }),
            ("two records swapped", { $0.rows.swapAt(0, 1) }),
            ("a key counter one ahead", { $0.counter += 1 }),
            ("an index missing", { $0.indexes.removeLast() }),
            (
                "an int key stored as a double",
                { t in
                    let record = t.rows[0].record
                    var changed = record
                    changed["id"] = .double(record["id"].doubleValue ?? 0.5)
                    if TransactionModel.identical(changed, record) { changed["id"] = .int(-99) }
                    t.rows[0] = (changed["id"], changed)
                }
            ),
            (
                "fields in another order",
                { t in
                    let i = t.rows.firstIndex { $0.record.count > 1 }!
                    t.rows[i].record = Record(fields: Array(t.rows[i].record).reversed())
                }
            ),
            (
                "an indexed value changed",
                { t in
                    t.rows[t.rows.count - 1].record["grp"] = "zz"
                }
            ),
        ]
        for (label, mutate) in mutations {
            var model = session.model
            mutate(&model.tables[name]!)
            var probe = TransactionModel.Random(seed: 2)
            #expect(session.engine.differences(from: model, probe: &probe) != nil, "not caught: \(label)")
        }

        // Outcomes and views differ by `3` versus `3.0`, and by a missing event.
        typealias Event = TransactionModel.Event
        #expect(
            TransactionModel.difference(expected: [Event(outcome: "key 3")], actual: [Event(outcome: "key 3.0")]) != nil
        )
        let three: Record = ["id": 3]
        let threeDouble: Record = ["id": .double(3)]
        #expect(three == threeDouble)
        #expect(
            TransactionModel.difference(
                expected: [Event(outcome: "x", view: ["t0": [three]])],
                actual: [Event(outcome: "x", view: ["t0": [threeDouble]])]
            ) != nil)
        #expect(TransactionModel.difference(expected: [Event(outcome: "x")], actual: []) != nil)
    }
}

// MARK: - Regressions

extension TransactionModelTests {
    /// The documented contrast case: a best-effort insert batch lists an invalid record and inserts the rest.
    @Test func bestEffortInsertBatchReportsAnInvalidItemAndInsertsTheOthers() throws {
        let table = try Database().createTable("t")
        let report = try table.insertBatch([["n": 1], ["n": .double(.nan)], ["n": 3]], mode: .bestEffort)
        #expect(report.keys == [1, nil, 2])
        #expect(report.failures.map(\.index) == [1])
        #expect(report.failures.map(\.error.code) == [.invalidValue])
        #expect(try table.select().map { $0["n"] } == [1, 3])
    }

    /// `BatchMode.bestEffort`: "Every item that can be applied is; failures are listed in the report." An
    /// invalid item (a null key, a non-finite value) is one such failure, not a reason to drop the batch.
    @Test
    func bestEffortUpdateBatchReportsAnInvalidItemAndAppliesTheOthers() throws {
        let table = try Database().createTable("t")
        try table.insertBatch([["n": 1], ["n": 2], ["n": 3]])
        let report = try table.updateBatch(
            [(key: 1, set: ["n": 10]), (key: 2, set: ["id": .null]), (key: 3, set: ["n": .double(.nan)])],
            mode: .bestEffort)
        #expect(report.keys == [1, nil, nil])
        #expect(report.failures.map(\.index) == [1, 2])
        #expect(report.failures.map(\.error.code) == [.invalidKey, .invalidValue])
        #expect(try table.select().map { $0["n"] } == [10, 2, 3])
    }

    /// `Database.transaction`: "Inside the body, write through the handle: a plain write [...] from the same
    /// thread throws invalidState", also for plain calls that would answer or fail before reaching a write.
    @Test
    func plainUpdatesAndUpsertsInsideATransactionBodyAreRefused() throws {
        let db = Database()
        let table = try db.createTable("t")
        try table.insertBatch([["id": 1, "g": "a"], ["id": 4, "g": "a"]])
        try db.transaction { tx in
            try tx.table("t").insert(["id": 2, "g": "z"])
            try tx.table("t").delete(key: 1)
            // Today: 0, false, .ignored(1), duplicateKey and duplicateKey.
            let calls: [(String, () throws -> Void)] = [
                ("update(set:where:)", { _ = try table.update(set: ["g": "b"], where: Field("g") == "z") }),
                ("update(key:set:)", { _ = try table.update(key: 2, set: ["g": "b"]) }),
                ("upsert .ignore", { _ = try table.upsert(["id": 1, "g": "q"], onConflict: .ignore) }),
                ("upsert .fail", { _ = try table.upsert(["id": 1, "g": "q"], onConflict: .fail) }),
                ("updateBatch", { _ = try table.updateBatch([(key: 3, set: ["g": "b"]), (key: 4, set: ["id": 1])]) }),
            ]
            for (label, call) in calls {
                let error = #expect(throws: DictDBError.self, "\(label)") { try call() }
                #expect(error?.code == .invalidState, "\(label): \(String(describing: error))")
            }
        }
        #expect(try table.select() == [["id": 4, "g": "a"], ["id": 2, "g": "z"]])
    }

    /// The documented contrast case: a kept `Transaction` handle throws `invalidState` after the body.
    @Test func aTransactionHandleKeptAfterItsTransactionThrowsInvalidState() throws {
        let db = Database()
        try db.createTable("t")
        var kept: Transaction?
        try db.transaction { tx in kept = tx }
        let error = #expect(throws: DictDBError.self) { try kept?.table("t") }
        #expect(error?.code == .invalidState)
    }

    /// A table handle kept after its transaction ended throws invalidState (it once read a destroyed object).
    @Test
    func aTableHandleKeptAfterItsTransactionThrowsInvalidState() throws {
        let db = Database()
        try db.createTable("t")
        var kept: TransactionTable?
        try db.transaction { tx in kept = try tx.table("t") }
        let error = #expect(throws: DictDBError.self) { try kept?.count() }
        #expect(error?.code == .invalidState)
    }
}

// MARK: - Running a sequence

/// One reproducible run: a seed, a length, a mix of operations and optionally a deliberately wrong model.
struct TransactionModelRun {
    var seed: UInt64
    var steps: Int
    var profile: OperationMaker.Profile = .mixed
    var mutant: TransactionModel.Mutant?
    var storage: EngineUnderTest.Storage = .memory

    /// Runs the sequence and returns the first difference (with seed, step and history), or `nil`.
    func execute(statistics: RunStatistics? = nil) -> String? {
        let session: TransactionModelSession
        do {
            session = try TransactionModelSession(seed: seed, profile: profile, mutant: mutant, storage: storage)
        } catch {
            return "seed \(seed), step 0: setting up failed: \(error)"
        }
        for _ in 0..<steps {
            if let failure = session.step(statistics: statistics) { return failure }
        }
        return nil
    }
}

/// DictDB and the model side by side, advanced one operation at a time.
final class TransactionModelSession {
    let seed: UInt64
    let profile: OperationMaker.Profile
    let mutant: TransactionModel.Mutant?
    let engine: EngineUnderTest
    private(set) var model: TransactionModel.State
    private var rng: TransactionModel.Random
    private var maker: OperationMaker
    private var history: [String] = []

    init(
        seed: UInt64, profile: OperationMaker.Profile, mutant: TransactionModel.Mutant? = nil,
        storage: EngineUnderTest.Storage = .memory
    ) throws {
        self.seed = seed
        self.profile = profile
        self.mutant = mutant
        rng = TransactionModel.Random(seed: seed)
        let names = (0..<rng.int(2...3)).map { "t\($0)" }
        model = TransactionModel.State(names: names, mutant: mutant)
        engine = try EngineUnderTest(names: names, storage: storage)
        maker = OperationMaker(profile: profile, names: names)
    }

    /// Applies the next operation to both sides and compares them; returns a failure message or `nil`.
    func step(statistics: RunStatistics? = nil) -> String? {
        let step = history.count
        let operation = maker.operation(model, rng: &rng)
        let expected = model.apply(operation)
        let actual = engine.apply(operation)
        history.append("\(step): \(operation)\n    -> \(expected.map(\.outcome))")
        statistics?.record(operation, expected)
        if let difference = TransactionModel.difference(expected: expected, actual: actual) {
            return failure(step, "outcomes differ: \(difference)")
        }
        var probe = TransactionModel.Random(seed: seed ^ (UInt64(step + 1) &* 0xD1B5_4A32_D192_ED03))
        if let difference = engine.differences(from: model, probe: &probe) {
            return failure(step, "state differs: \(difference)")
        }
        return nil
    }

    private func failure(_ step: Int, _ difference: String) -> String {
        let shown = history.suffix(30)
        let mutantArgument = mutant.map { ", mutant: .\($0)" } ?? ""
        return """
            seed \(seed), step \(step) (\(profile)): \(difference)
            Replay: TransactionModelRun(seed: \(seed), steps: \(step + 1), profile: .\(profile)\(mutantArgument), storage: \(engine.storage)).execute()
            Operations (last \(shown.count) of \(history.count)):
            \(shown.joined(separator: "\n"))
            """
    }
}

/// Counts what runs exercised, so a generator that stops producing a case fails the test.
final class RunStatistics {
    private(set) var steps = 0
    private(set) var counts: [String: Int] = [:]

    func record(_ operation: TransactionModel.Operation, _ events: [TransactionModel.Event]) {
        steps += 1
        counts[operation.kind, default: 0] += 1
        for event in events {
            let outcome = event.outcome
            if outcome.hasPrefix("error ") || outcome.hasPrefix("savepoint ") || outcome.hasPrefix("failed ")
                || outcome.hasPrefix("rethrown") || outcome.hasPrefix("returned")
            {
                counts[outcome, default: 0] += 1
            } else if outcome.hasPrefix("report "), !outcome.contains("failures []") {
                counts["report with failures", default: 0] += 1
            } else if outcome.hasPrefix("index ") {
                counts["index created", default: 0] += 1
            } else if outcome.hasPrefix("filled ") {
                counts["filled", default: 0] += 1
            }
        }
    }

    func expectCoverage(minimumSteps: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(steps >= minimumSteps, "only \(steps) steps", sourceLocation: sourceLocation)
        let required = [
            "insert", "insertBatch(throwing)", "insertBatch(allOrNothing)", "insertBatch(bestEffort)", "update",
            "updateKey", "updateBatch(allOrNothing)", "updateBatch(bestEffort)", "upsert(merge)", "upsert(replace)",
            "upsert(ignore)", "upsert(fail)", "delete", "deleteKey", "transaction", "save(json)", "save(msgpack)",
            "save(json+gzip)", "save(msgpack+lz4)", "error duplicateKey", "error uniqueViolation", "error invalidState",
            "error invalidKey", "error invalidValue", "savepoint kept", "savepoint undone", "rethrown body error",
            "returned 7", "report with failures", "index created", "error indexExists", "error tableNotFound",
        ]
        for name in required {
            #expect(
                counts[name, default: 0] > 0, "never exercised: \(name); counts \(counts)",
                sourceLocation: sourceLocation)
        }
        #expect(counts.keys.contains { $0.hasPrefix("savepoint undone by ") }, sourceLocation: sourceLocation)
        #expect(counts.keys.contains { $0.hasPrefix("failed ") }, sourceLocation: sourceLocation)
    }
}

// MARK: - DictDB's side

/// The operations `Table` and `TransactionTable` share, so one routine runs an operation on either.
protocol ModelCheckedTable {
    func insert(_ record: Record) throws(DictDBError) -> Value
    func insertBatch(_ records: [Record]) throws(DictDBError) -> [Value]
    func upsert(_ record: Record, onConflict policy: UpsertConflictPolicy) throws(DictDBError) -> UpsertOutcome
    func update(set changes: Record, where condition: Condition) throws(DictDBError) -> Int
    func update(key: Value, set changes: Record) throws(DictDBError) -> Bool
    func delete(where condition: Condition) throws(DictDBError) -> Int
    func delete(key: Value) throws(DictDBError) -> Bool
    func get(_ key: Value) throws(DictDBError) -> Record?
    func select(_ query: Query) throws(DictDBError) -> [Record]
    func count(where condition: Condition) throws(DictDBError) -> Int
}

extension Table: ModelCheckedTable {
    // Table's mutations take a `durability` argument too; these pass the default.
    @discardableResult func insert(_ record: Record) throws(DictDBError) -> Value {
        try insert(record, durability: .policy)
    }
    @discardableResult func insertBatch(_ records: [Record]) throws(DictDBError) -> [Value] {
        try insertBatch(records, durability: .policy)
    }
    @discardableResult func upsert(
        _ record: Record, onConflict policy: UpsertConflictPolicy
    ) throws(DictDBError) -> UpsertOutcome {
        try upsert(record, onConflict: policy, durability: .policy)
    }
    @discardableResult func update(set changes: Record, where condition: Condition) throws(DictDBError) -> Int {
        try update(set: changes, where: condition, durability: .policy)
    }
    @discardableResult func update(key: Value, set changes: Record) throws(DictDBError) -> Bool {
        try update(key: key, set: changes, durability: .policy)
    }
    @discardableResult func delete(where condition: Condition) throws(DictDBError) -> Int {
        try delete(where: condition, durability: .policy)
    }
    @discardableResult func delete(key: Value) throws(DictDBError) -> Bool { try delete(key: key, durability: .policy) }
}
extension TransactionTable: ModelCheckedTable {}

/// Runs operations on a real database and reports what happened in the model's terms.
final class EngineUnderTest {
    typealias Event = TransactionModel.Event
    typealias Outcome = TransactionModel.Outcome

    /// Where the database under test lives.
    enum Storage: CustomStringConvertible {
        /// In memory; a save step saves a snapshot and loads it back.
        case memory
        /// On disk with a sync policy and journal format; a save step reopens the database, alternately
        /// after `close()` (a checkpoint) and after dropping it without closing (recovery replays the
        /// journal, as after a process crash).
        case disk(sync: String, journal: String)

        var description: String {
            switch self {
            case .memory: return ".memory"
            case .disk(let sync, let journal): return ".disk(sync: \"\(sync)\", journal: \"\(journal)\")"
            }
        }
    }

    private(set) var db: Database
    let names: [String]
    let storage: Storage
    private let directory: TemporaryDirectory
    private var reopenings = 0
    /// The tables the open transaction has taken up (`tx.table`), so that views read the others from
    /// outside and leave them untouched.
    private var touched: Set<String> = []

    init(names: [String], storage: Storage = .memory) throws {
        self.names = names
        self.storage = storage
        directory = try TemporaryDirectory()
        db = try Self.makeDatabase(storage, directory: directory)
        for name in names {
            let table = try db.createTable(name)
            try table.createIndex(on: "email", kind: "unique")
            try table.createIndex(on: "grp")
            try table.createIndex(on: "rank", kind: "sorted")
        }
    }

    private static func makeDatabase(_ storage: Storage, directory: TemporaryDirectory) throws -> Database {
        guard case .disk(let sync, let journal) = storage else { return Database() }
        var options = OpenOptions()
        options.syncPolicy = sync
        options.journalFormat = journal
        options.checkpointMinimumBytes = 64 << 10
        return try Database.open(at: directory.file("db"), options: options)
    }

    /// Reopens an on-disk database: after close() every other time, otherwise as after a crash.
    private func reopen() throws -> [Event] {
        reopenings += 1
        if reopenings % 2 == 0 {
            try db.close()
        } else if reopenings % 3 == 0 {
            try db.checkpoint()
        }
        db = Database()  // releases the old one (no checkpoint when it was not closed)
        db = try Self.makeDatabase(storage, directory: directory)
        let records = try db.tableNames.map { try db.table($0).count }.reduce(0, +)
        return [Event(outcome: "saved \(db.tableNames.count) tables, \(records) records")]
    }

    func apply(_ operation: TransactionModel.Operation) -> [Event] {
        switch operation {
        case .transaction(let plan):
            return runTransaction(plan)
        case .save(let codec):
            if case .disk = storage {
                do {
                    return try reopen()
                } catch {
                    return [Event(outcome: "reopen failed: \(error)")]
                }
            }
            let path = directory.file("db.snapshot")
            do {
                let info = try db.save(to: path, codec: codec)
                db = try Database.load(from: path, registry: .standard)
                return [Event(outcome: "saved \(info.tables) tables, \(info.records) records")]
            } catch {
                return [Event(outcome: "save and load failed: \(error)")]
            }
        default:
            do {
                let table = try db.table(operation.table!)
                return [Event(outcome: text(performPlain(operation, on: table)))]
            } catch {
                return [Event(outcome: "no table: \(error)")]
            }
        }
    }

    private func text(_ result: Result<String, DictDBError>) -> String {
        switch result {
        case .success(let text): return text
        case .failure(let error): return Outcome.error(error.code)
        }
    }

    private func attempt(_ body: () throws(DictDBError) -> String) -> Result<String, DictDBError> {
        do {
            return .success(try body())
        } catch {
            return .failure(error)
        }
    }

    /// The overloads only `Table` has (batch modes, `updateBatch`), then the shared ones.
    private func performPlain(_ operation: TransactionModel.Operation, on table: Table) -> Result<String, DictDBError> {
        switch operation {
        case .insertBatch(_, let records, let mode?):
            return attempt { () throws(DictDBError) in Outcome.report(try table.insertBatch(records, mode: mode)) }
        case .updateBatch(_, let items, let mode):
            let updates = items.map { (key: $0.key, set: $0.set) }
            return attempt { () throws(DictDBError) in Outcome.report(try table.updateBatch(updates, mode: mode)) }
        default:
            return perform(operation, on: table)
        }
    }

    private func perform(
        _ operation: TransactionModel.Operation, on table: some ModelCheckedTable
    ) -> Result<String, DictDBError> {
        switch operation {
        case .insert(_, let record):
            return attempt { () throws(DictDBError) in Outcome.key(try table.insert(record)) }
        case .insertBatch(_, let records, _):
            return attempt { () throws(DictDBError) in Outcome.keys(try table.insertBatch(records)) }
        case .update(_, let changes, let condition):
            return attempt { () throws(DictDBError) in Outcome.count(try table.update(set: changes, where: condition)) }
        case .updateKey(_, let key, let changes):
            return attempt { () throws(DictDBError) in Outcome.flag(try table.update(key: key, set: changes)) }
        case .upsert(_, let record, let policy):
            return attempt { () throws(DictDBError) in Outcome.upsert(try table.upsert(record, onConflict: policy)) }
        case .delete(_, let condition):
            return attempt { () throws(DictDBError) in Outcome.count(try table.delete(where: condition)) }
        case .deleteKey(_, let key):
            return attempt { () throws(DictDBError) in Outcome.flag(try table.delete(key: key)) }
        case .fillAndDelete(_, let n):
            return attempt { () throws(DictDBError) in
                let keys = try table.insertBatch(TransactionModel.State.fillers(n))
                return Outcome.filled(keys) + ", " + Outcome.count(try table.delete(where: Field("filler") == true))
            }
        case .updateBatch, .transaction, .save:
            preconditionFailure("not available through a transaction handle: \(operation)")
        }
    }

    private func perform(_ operation: TransactionModel.Operation, in tx: Transaction) -> Result<String, DictDBError> {
        do {
            return perform(operation, on: try table(operation.table!, in: tx))
        } catch {
            return .failure(error)
        }
    }

    // MARK: Transactions

    private func table(_ name: String, in tx: Transaction) throws(DictDBError) -> TransactionTable {
        touched.insert(name)
        return try tx.table(name)
    }

    private func runTransaction(_ plan: TransactionModel.TransactionPlan) -> [Event] {
        var events: [Event] = []
        // Handles kept past the end of the body, to check they refuse work afterwards.
        var keptTransaction: Transaction?
        var keptTable: TransactionTable?
        touched = []
        do {
            let value = try db.transaction { tx -> Int in
                keptTransaction = tx
                for step in plan.steps { try run(step, in: tx, events: &events, propagate: false) }
                events.append(outside())
                keptTable = try? table(names[0], in: tx)
                switch plan.ending {
                case .commit:
                    return 7
                case .throwError:
                    throw TransactionModel.BodyAbort()
                case .rollback:
                    let handle = try? table(names[0], in: tx)
                    tx.rollback()
                    events.append(
                        Event(outcome: text(attempt { () throws(DictDBError) in "\(try handle?.count() ?? -1)" })))
                    events.append(
                        Event(outcome: text(attempt { () throws(DictDBError) in try tx.table(names[0]).name })))
                    do {
                        let ran = try tx.savepoint { _ in "savepoint ran" }
                        events.append(Event(outcome: ran))
                    } catch {
                        events.append(Event(outcome: outcome(of: error)))
                    }
                    return 7
                case .failing(let operation):
                    switch perform(operation, in: tx) {
                    case .success(let text):
                        events.append(Event(outcome: text, view: view(tx)))
                        return 7
                    case .failure(let error):
                        events.append(Event(outcome: Outcome.error(error.code)))
                        throw error
                    }
                }
            }
            events.append(Event(outcome: "returned \(value)"))
        } catch is TransactionModel.BodyAbort {
            events.append(Event(outcome: "rethrown body error"))
        } catch let error as DictDBError {
            events.append(Event(outcome: "failed \(error.code)"))
        } catch {
            events.append(Event(outcome: "unexpected error \(error)"))
        }
        let transactionAfter = attempt { () throws(DictDBError) in try keptTransaction?.table(names[0]).name ?? "none" }
        events.append(Event(outcome: "after: " + text(transactionAfter)))
        events.append(
            Event(outcome: "after: " + text(attempt { () throws(DictDBError) in "\(try keptTable?.count() ?? -1)" })))
        return events
    }

    /// Runs one body step; in `propagate` mode an operation's error escapes (to the enclosing savepoint).
    private func run(
        _ step: TransactionModel.TransactionStep, in tx: Transaction, events: inout [Event], propagate: Bool
    ) throws {
        switch step {
        case .operation(let operation):
            let result = perform(operation, in: tx)
            events.append(Event(outcome: text(result), view: view(tx)))
            if propagate, case .failure(let error) = result { throw error }
        case .read(let name, let key, let group, let low, let high):
            let result = attempt { () throws(DictDBError) in
                let table = try table(name, in: tx)
                return Outcome.read(
                    get: try table.get(key), count: try table.count(),
                    group: try table.select(where: Field("grp") == group),
                    ranked: try table.select(Query(Field("rank").between(low, high)).orderBy("rank")))
            }
            events.append(Event(outcome: text(result), view: view(tx)))
        case .savepoint(let steps, let ending):
            do {
                try tx.savepoint { tx in
                    for step in steps {
                        try run(step, in: tx, events: &events, propagate: ending == .propagateFailures)
                    }
                    if ending == .throwAfter { throw TransactionModel.BodyAbort() }
                }
                events.append(Event(outcome: "savepoint kept", view: view(tx)))
            } catch is TransactionModel.BodyAbort {
                events.append(Event(outcome: "savepoint undone", view: view(tx)))
            } catch let error as DictDBError {
                events.append(Event(outcome: "savepoint undone by \(error.code)", view: view(tx)))
            }
        case .createIndex(let name, let spec):
            let result = attempt { () throws(DictDBError) in
                Outcome.index(
                    try table(name, in: tx).createIndex(on: [spec.field], kind: spec.kind, name: spec.name).name)
            }
            events.append(Event(outcome: text(result), view: view(tx)))
            if propagate, case .failure(let error) = result { throw error }
        case .plainWrite(let operation):
            let result: Result<String, DictDBError>
            do {
                result = performPlain(operation, on: try db.table(operation.table!))
            } catch {
                result = .failure(error)
            }
            events.append(Event(outcome: text(result), view: view(tx)))
        case .nestedTransaction:
            do {
                let value = try db.transaction { _ in 1 }
                events.append(Event(outcome: "nested transaction returned \(value)", view: view(tx)))
            } catch {
                events.append(Event(outcome: outcome(of: error), view: view(tx)))
            }
        case .missingTable:
            let result = attempt { () throws(DictDBError) in try tx.table("missing").name }
            events.append(Event(outcome: text(result), view: view(tx)))
        }
    }

    private func outcome(of error: any Error) -> String {
        (error as? DictDBError).map { Outcome.error($0.code) } ?? "unexpected error \(error)"
    }

    /// Every table as the transaction sees it: through the handle once taken up, from outside before.
    private func view(_ tx: Transaction) -> [String: [Record]] {
        var view: [String: [Record]] = [:]
        for name in names {
            do {
                view[name] = touched.contains(name) ? try tx.table(name).select() : try db.table(name).select()
            } catch {
                view[name] = [["unreadable": .string("\(error)")]]
            }
        }
        return view
    }

    /// Every table and key counter as a plain reader sees them while a transaction is open.
    private func outside() -> Event {
        var view: [String: [Record]] = [:]
        var counters: [String: String] = [:]
        for name in names {
            do {
                let table = try db.table(name)
                view[name] = try table.select()
                counters[name] = table.keyGeneratorState.description
            } catch {
                view[name] = [["unreadable": .string("\(error)")]]
            }
        }
        return Event(outcome: "outside", view: view, counters: counters)
    }

    // MARK: Comparing the state

    /// The first difference between the database and the model: table names, contents in order, counts,
    /// key counters, index definitions and statistics, then indexed queries with random operands.
    func differences(from model: TransactionModel.State, probe rng: inout TransactionModel.Random) -> String? {
        if db.tableNames != model.names.sorted() { return "tables \(db.tableNames), expected \(model.names)" }
        do {
            for name in model.names {
                if let difference = try differences(in: try db.table(name), from: model.tables[name]!, probe: &rng) {
                    return "table \(name): \(difference)"
                }
            }
        } catch {
            return "reading failed: \(error)"
        }
        return nil
    }

    private func differences(
        in table: Table, from model: TransactionModel.TableState, probe rng: inout TransactionModel.Random
    ) throws -> String? {
        let records = try table.select()
        if !TransactionModel.identical(records, model.records) {
            return "contents \(records), expected \(model.records)"
        }
        if table.count != model.rows.count { return "count \(table.count), expected \(model.rows.count)" }
        if !TransactionModel.identical(table.keyGeneratorState, .int(model.counter)) {
            return "key generator state \(table.keyGeneratorState), expected \(model.counter)"
        }
        let definitions = table.indexes.map {
            TransactionModel.IndexSpec(name: $0.name, field: $0.fields.joined(separator: ","), kind: $0.kind)
        }
        if definitions != model.indexes || table.indexes.contains(where: { $0.unique != ($0.kind == "unique") }) {
            return "indexes \(table.indexes), expected \(model.indexes)"
        }
        let statistics = try table.indexStatistics()
        for spec in model.indexes {
            let keys = model.records.map { $0[spec.field] }
            guard let entry = statistics[spec.name], entry.entries == keys.count,
                entry.distinctKeys == Set(keys).count
            else {
                return
                    "index \(spec.name) statistics \(statistics[spec.name].map { "\($0)" } ?? "missing"), model keys \(keys)"
            }
        }
        for condition in probes(model, rng: &rng) {
            let expected = model.select(where: condition)
            let got = try table.select(where: condition)
            if !TransactionModel.identical(got, expected) {
                return "select where \(condition): \(got), expected \(expected)"
            }
            let n = try table.count(where: condition)
            if n != expected.count { return "count where \(condition): \(n), expected \(expected.count)" }
        }
        let numbers = model.records.map { $0["rank"] }.filter { $0.kind == .number }
        let low = numbers.isEmpty || rng.chance(0.2) ? Value.int(Int64(rng.int(-2...7))) : rng.pick(numbers)
        let high = Value.double((low.doubleValue ?? 0) + Double(rng.int(0...4)))
        let limit = rng.int(1...6)
        let ordered: [(Query, [Record])] = [
            (Query(Field("rank").between(low, high)).orderBy("rank"), model.ranked(low, high)),
            (
                Query(Field("rank").between(low, high)).orderBy(.descending("rank")).limit(limit),
                Array(model.ranked(low, high, descending: true).prefix(limit))
            ),
            (
                Query().orderBy("rank").limit(limit),
                Array(TransactionModel.sorted(model.records, by: "rank", descending: false).prefix(limit))
            ),
        ]
        for (query, expected) in ordered {
            let got = try table.select(query)
            if !TransactionModel.identical(got, expected) { return "select \(query): \(got), expected \(expected)" }
        }
        if let row = model.rows.isEmpty ? nil : rng.pick(model.rows) {
            let got = try table.get(row.key)
            if got.map({ TransactionModel.identical($0, row.record) }) != true {
                return "get(\(row.key)): \(String(describing: got))"
            }
        }
        if let got = try table.get("missing") { return "get(\"missing\"): \(got)" }
        return nil
    }

    /// Equality on each indexed field with a stored value or a pool value, and a key list.
    private func probes(_ model: TransactionModel.TableState, rng: inout TransactionModel.Random) -> [Condition] {
        func stored(_ field: String, _ pool: [Value]) -> Value {
            let values = model.records.map { $0[field] }
            return values.isEmpty || rng.chance(0.25) ? rng.pick(pool) : rng.pick(values)
        }
        let keys = model.rows.map(\.key)
        return [
            Field("grp") == stored("grp", OperationMaker.groups),
            Field("grp") == stored("grp", OperationMaker.groups),
            Field("email") == stored("email", ["e1", "nobody", .null]),
            Field("note") == stored("note", OperationMaker.notes),
            Field("id").in([keys.isEmpty ? 1 : rng.pick(keys), "missing", .double(2)]),
        ]
    }
}
