import DictDB

/// A seeded, deterministic stream of database operations for crash testing.
///
/// Operation `i` (0-based) is a pure function of `(seed, i)`: a worker process can start at any index
/// and do exactly what an uninterrupted run would have done there. Ops `0..<setupCount` create the tables
/// and their secondary indexes (hash, sorted, unique); later ops mix inserts with explicit keys, updates
/// by key and by condition, deletes, upserts, batches, multi-table transactions (some with a savepoint
/// that throws, some rolled back, some failing), index changes, `deleteAll`, a table created and dropped,
/// and a `checkpoint()` every ``checkpointInterval`` ops.
///
/// An operation may fail with a ``DictDBError`` (a duplicate key, a unique violation, a missing table);
/// that outcome depends only on the state the earlier ops made, so it is deterministic too. The model of
/// a database that ran ops `0..<k` is therefore an in-memory `Database()` that ran them:
///
/// ```swift
/// let workload = Workload(seed: 1)
/// let model = Database()
/// for i in 0..<200 { _ = try workload.apply(i, to: model) }
/// ```
public struct Workload: Sendable {
    /// The seed every operation derives from.
    public let seed: UInt64

    /// How many operations create the tables and indexes before the mixed ones start.
    public static let setupCount = 9
    /// Every this many operations, one is a `checkpoint()`.
    public static let checkpointInterval = 25

    /// The tables the workload writes to (besides the occasional `scratch` table).
    public static let tableNames = ["accounts", "events", "items"]

    /// Creates the workload of a seed.
    public init(seed: UInt64) {
        self.seed = seed
    }

    /// Operation `index`: the same for every call with the same seed and index.
    public func operation(_ index: Int) -> WorkloadOperation {
        if index < Self.setupCount { return Self.setup[index] }
        if index % Self.checkpointInterval == 0 { return .checkpoint }
        var maker = OperationMaker(
            random: WorkloadRandom(seed: seed, stream: UInt64(truncatingIfNeeded: index)), index: index)
        return maker.make()
    }

    private static let setup: [WorkloadOperation] = [
        .createTable(name: "accounts", primaryKey: "id"),
        .createIndex(table: "accounts", fields: ["email"], kind: "unique"),
        .createIndex(table: "accounts", fields: ["balance"], kind: "sorted"),
        .createIndex(table: "accounts", fields: ["region"], kind: "hash"),
        .createTable(name: "items", primaryKey: "sku"),
        .createIndex(table: "items", fields: ["category"], kind: "hash"),
        .createIndex(table: "items", fields: ["price"], kind: "sorted"),
        .createTable(name: "events", primaryKey: "id"),
        .createIndex(table: "events", fields: ["kind"], kind: "hash"),
    ]
}

/// Draws one mixed operation from a generator.
private struct OperationMaker {
    var random: WorkloadRandom
    let index: Int

    static let regions = ["north", "south", "east", "west", "central"]
    static let categories = ["tools", "books", "food", "toys", "garden", "music"]
    static let kinds = ["login", "logout", "purchase", "refund"]
    static let names = ["Ada", "Grace", "Zoë", "Linus", "名前", "Ünal", "Bob", "Émile"]

    mutating func make() -> WorkloadOperation {
        let roll = random.below(100)
        switch roll {
        case 0..<14: return .insert(table: "accounts", record: account())
        case 14..<22: return .insert(table: "items", record: item())
        case 22..<31: return .insert(table: "events", record: event())
        case 31..<39: return keyedUpdate()
        case 39..<44: return conditionalUpdate()
        case 44..<50:
            return random.chance(60)
                ? .delete(table: "accounts", key: accountKey()) : .delete(table: "items", key: itemKey())
        case 50..<53: return conditionalDelete()
        case 53..<60:
            let policy = random.pick(UpsertConflictPolicy.allCases)
            return random.chance(60)
                ? .upsert(table: "accounts", record: account(partial: true), policy: policy)
                : .upsert(table: "items", record: item(partial: true), policy: policy)
        case 60..<66: return insertBatch()
        case 66..<71: return updateBatch()
        case 71..<85: return .transaction(transaction())
        case 85..<87: return .deleteAll(table: random.chance(80) ? "events" : "scratch")
        case 87..<90:
            return random.chance(50)
                ? .createIndex(table: "events", fields: ["at"], kind: "sorted")
                : .createIndex(table: "items", fields: ["category", "price"], kind: "composite")
        case 90..<92:
            return random.chance(50)
                ? .dropIndex(table: "events", name: "at_sorted")
                : .dropIndex(table: "items", name: "category_price_composite")
        case 92..<93:
            return .rebuildIndex(
                table: "accounts", name: random.pick(["email_unique", "balance_sorted", "region_hash"]))
        case 93..<95: return .createTable(name: "scratch", primaryKey: "id")
        case 95..<96: return .dropTable(name: "scratch", ifExists: random.chance(50))
        default: return .insert(table: "scratch", record: ["id": .int(Int64(random.below(30))), "op": int(index)])
        }
    }

    func int(_ value: Int) -> Value { .int(Int64(value)) }

    mutating func accountKey() -> Value { int(random.below(160)) }
    mutating func itemKey() -> Value { .string("sku-\(random.below(120))") }
    mutating func email() -> Value { .string("a\(random.below(140))@example.com") }
    mutating func price() -> Value { .double(Double(random.below(400)) + 0.5) }

    /// An account with an explicit key; `partial` leaves out some fields (an upsert merges into them).
    mutating func account(partial: Bool = false) -> Record {
        var record: Record = ["id": accountKey()]
        if !partial || random.chance(50) { record.setField("email", to: email()) }
        if !partial || random.chance(70) { record.setField("balance", to: int(random.below(1000))) }
        if !partial || random.chance(50) { record.setField("region", to: .string(random.pick(Self.regions))) }
        if !partial || random.chance(30) { record.setField("name", to: .string(random.pick(Self.names))) }
        if random.chance(30) {
            record.setField("tags", to: .array((0..<random.below(4)).map { .string("t\($0 + random.below(5))") }))
        }
        record.setField("op", to: int(index))
        return record
    }

    mutating func item(partial: Bool = false) -> Record {
        var record: Record = ["sku": itemKey()]
        if !partial || random.chance(60) { record.setField("category", to: .string(random.pick(Self.categories))) }
        if !partial || random.chance(60) { record.setField("price", to: price()) }
        if !partial || random.chance(50) { record.setField("stock", to: int(random.below(50))) }
        if random.chance(40) {
            record.setField(
                "dims", to: .object(["w": int(random.below(100)), "h": .double(Double(random.below(100)) / 4)]))
        }
        record.setField("op", to: int(index))
        return record
    }

    /// An event; most take the next autoincrement key, some name one.
    mutating func event() -> Record {
        var record: Record = [:]
        if random.chance(20) { record.setField("id", to: int(10_000 + random.below(60))) }
        record.setField("kind", to: .string(random.pick(Self.kinds)))
        record.setField("account", to: accountKey())
        record.setField("at", to: int(index * 10 + random.below(10)))
        record.setField("payload", to: .string(String(repeating: "x", count: random.below(200))))
        return record
    }

    mutating func keyedUpdate() -> WorkloadOperation {
        if random.chance(55) {
            var set: Record = [:]
            switch random.below(5) {
            case 0: set.setField("email", to: email())
            case 1: set.setField("region", to: .string(random.pick(Self.regions)))
            case 2: set.setField("id", to: accountKey())  // re-keys; may collide
            default: set.setField("balance", to: int(random.below(1000)))
            }
            set.setField("op", to: int(index))
            return .update(table: "accounts", key: accountKey(), set: set)
        }
        var set: Record = random.chance(50) ? ["stock": int(random.below(50))] : ["price": price()]
        if random.chance(10) { set.setField("sku", to: itemKey()) }
        set.setField("op", to: int(index))
        return .update(table: "items", key: itemKey(), set: set)
    }

    mutating func conditionalUpdate() -> WorkloadOperation {
        switch random.below(4) {
        case 0:
            return .updateWhere(
                table: "accounts", condition: Field("region") == random.pick(Self.regions),
                set: ["balance": int(random.below(1000)), "op": int(index)])
        case 1:
            let low = random.below(1000)
            return .updateWhere(
                table: "accounts", condition: Field("balance").between(low, low + random.below(150)),
                set: ["region": .string(random.pick(Self.regions)), "op": int(index)])
        case 2:
            // Every match gets the same email: fails on the unique index unless at most one matches.
            return .updateWhere(
                table: "accounts", condition: Field("balance") > 900 + random.below(100),
                set: ["email": email(), "op": int(index)])
        default:
            let low = Double(random.below(400))
            return .updateWhere(
                table: "items", condition: Field("price").between(low, low + 40),
                set: ["stock": int(random.below(50)), "op": int(index)])
        }
    }

    mutating func conditionalDelete() -> WorkloadOperation {
        switch random.below(3) {
        case 0:
            let low = random.below(1000)
            return .deleteWhere(table: "accounts", condition: Field("balance").between(low, low + 60))
        case 1:
            return .deleteWhere(table: "events", condition: Field("kind") == random.pick(Self.kinds))
        default:
            return .deleteWhere(table: "items", condition: Field("category") == random.pick(Self.categories))
        }
    }

    mutating func insertBatch() -> WorkloadOperation {
        let mode: BatchMode = random.chance(50) ? .allOrNothing : .bestEffort
        let count = random.int(in: 2...6)
        switch random.below(3) {
        case 0: return .insertBatch(table: "accounts", records: (0..<count).map { _ in account() }, mode: mode)
        case 1: return .insertBatch(table: "items", records: (0..<count).map { _ in item() }, mode: mode)
        default: return .insertBatch(table: "events", records: (0..<count).map { _ in event() }, mode: mode)
        }
    }

    mutating func updateBatch() -> WorkloadOperation {
        let mode: BatchMode = random.chance(50) ? .allOrNothing : .bestEffort
        let count = random.int(in: 2...5)
        if random.chance(60) {
            let updates = (0..<count).map { _ in
                WorkloadOperation.KeyedUpdate(
                    key: accountKey(),
                    set: random.chance(25)
                        ? ["email": email(), "op": int(index)] : ["balance": int(random.below(1000)), "op": int(index)])
            }
            return .updateBatch(table: "accounts", updates: updates, mode: mode)
        }
        let updates = (0..<count).map { _ in
            WorkloadOperation.KeyedUpdate(key: itemKey(), set: ["stock": int(random.below(50)), "op": int(index)])
        }
        return .updateBatch(table: "items", updates: updates, mode: mode)
    }

    mutating func transactionStep() -> WorkloadTransaction.Step {
        switch random.below(7) {
        case 0: return .insert(table: "accounts", record: account())
        case 1: return .insert(table: "events", record: event())
        case 2: return .update(table: "accounts", key: accountKey(), set: ["balance": int(random.below(1000))])
        case 3: return .update(table: "items", key: itemKey(), set: ["stock": int(random.below(50))])
        case 4:
            return .updateWhere(
                table: "accounts", condition: Field("region") == random.pick(Self.regions),
                set: ["op": int(index)])
        case 5:
            return random.chance(50)
                ? .delete(table: "accounts", key: accountKey())
                : .delete(
                    table: "items", key: itemKey())
        default: return .upsert(table: "items", record: item(partial: true), policy: .merge)
        }
    }

    mutating func transaction() -> WorkloadTransaction {
        var steps = (0..<random.int(in: 2...5)).map { _ in transactionStep() }
        if random.chance(25) {
            let inner = (0..<random.int(in: 1...3)).map { _ in transactionStep() }
            steps.insert(.failingSavepoint(inner), at: random.below(steps.count + 1))
        }
        let roll = random.below(100)
        let ending: WorkloadTransaction.Ending = roll < 75 ? .commit : roll < 88 ? .rollback : .fail
        return WorkloadTransaction(steps: steps, tolerant: random.chance(40), ending: ending)
    }
}
