import DictDB
import Foundation

/// The plain model that `TransactionModelTests` checks DictDB against: per table, the records in insertion
/// order with their keys (`[(key: Value, record: Record)]`), the auto-increment counter and the index
/// definitions, with every documented rule written out by hand (key assignment, primary-key and unique
/// checks over a whole change set, all-or-nothing and best-effort batches, upsert policies, transactions
/// and savepoints). It shares no code with the engine: conditions, sorting and constraints are evaluated
/// here from the documented semantics. Where the documentation leaves an order open (which error a change
/// set with several problems reports), the model follows the engine's order and says so.
///
/// Operations are values (``Operation``), so one sequence runs against the model and against DictDB, and
/// both sides describe what happened as ``Event``s: an outcome text (keys, counts, upsert outcomes, batch
/// reports, error codes) and, inside transactions, the contents the body sees after each step.
/// ``OperationMaker`` draws the operations from the model's state.
enum TransactionModel {}

// MARK: - Random source

extension TransactionModel {
    /// A small deterministic generator (SplitMix64), so a whole run is determined by its seed.
    struct Random: RandomNumberGenerator {
        private var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
        mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
    }
}

// MARK: - Operations

extension TransactionModel {
    /// A secondary index as the model knows it.
    struct IndexSpec: Hashable, CustomStringConvertible {
        var name: String
        var field: String
        var kind: String
        var unique: Bool { kind == "unique" }

        var description: String { "\(name)(\(field) \(kind))" }
    }

    /// One step of a run. Table operations name their table; inside a transaction they go through the
    /// handle (only the kinds a ``TransactionTable`` offers: no batch modes, no `updateBatch`).
    indirect enum Operation: CustomStringConvertible {
        case insert(String, Record)
        /// `mode == nil` is the throwing `insertBatch(_:) -> [Value]`; a mode uses the reporting overload.
        case insertBatch(String, [Record], BatchMode?)
        case update(String, Record, Condition)
        case updateKey(String, Value, Record)
        case updateBatch(String, [BatchUpdate], BatchMode)
        case upsert(String, Record, UpsertConflictPolicy)
        case delete(String, Condition)
        case deleteKey(String, Value)
        /// Inserts this many filler records and deletes them again, which makes the storage compact.
        case fillAndDelete(String, Int)
        case transaction(TransactionPlan)
        /// Saves with this codec and continues with what `Database.load(from:registry:)` returns.
        case save(String)

        var table: String? {
            switch self {
            case .insert(let t, _), .insertBatch(let t, _, _), .update(let t, _, _), .updateKey(let t, _, _),
                .updateBatch(let t, _, _), .upsert(let t, _, _), .delete(let t, _), .deleteKey(let t, _),
                .fillAndDelete(let t, _):
                return t
            case .transaction, .save:
                return nil
            }
        }

        /// A short name for statistics.
        var kind: String {
            switch self {
            case .insert: return "insert"
            case .insertBatch(_, _, let mode): return "insertBatch(\(mode.map { "\($0)" } ?? "throwing"))"
            case .update: return "update"
            case .updateKey: return "updateKey"
            case .updateBatch(_, _, let mode): return "updateBatch(\(mode))"
            case .upsert(_, _, let policy): return "upsert(\(policy))"
            case .delete: return "delete"
            case .deleteKey: return "deleteKey"
            case .fillAndDelete: return "fillAndDelete"
            case .transaction: return "transaction"
            case .save(let codec): return "save(\(codec))"
            }
        }

        var description: String {
            switch self {
            case .insert(let t, let r): return "\(t).insert(\(r))"
            case .insertBatch(let t, let rs, let mode):
                return "\(t).insertBatch(\(rs)\(mode.map { ", mode: .\($0)" } ?? ""))"
            case .update(let t, let set, let c): return "\(t).update(set: \(set), where: \(c))"
            case .updateKey(let t, let key, let set): return "\(t).update(key: \(key), set: \(set))"
            case .updateBatch(let t, let items, let mode):
                let list = items.map { "(key: \($0.key), set: \($0.set))" }.joined(separator: ", ")
                return "\(t).updateBatch([\(list)], mode: .\(mode))"
            case .upsert(let t, let r, let policy): return "\(t).upsert(\(r), onConflict: .\(policy))"
            case .delete(let t, let c): return "\(t).delete(where: \(c))"
            case .deleteKey(let t, let key): return "\(t).delete(key: \(key))"
            case .fillAndDelete(let t, let n): return "\(t).insertBatch(\(n) fillers) + delete(where: filler == true)"
            case .transaction(let plan): return "transaction \(plan)"
            case .save(let codec): return "save(codec: \(codec)) + load"
            }
        }
    }

    /// One item of an `updateBatch`.
    struct BatchUpdate {
        var key: Value
        var set: Record
    }

    /// A transaction: the body's steps, then how the body ends.
    struct TransactionPlan: CustomStringConvertible {
        var steps: [TransactionStep]
        var ending: TransactionEnding

        var description: String {
            "{ " + steps.map(\.description).joined(separator: "; ") + "; \(ending) }"
        }
    }

    /// What a transaction body does after its steps.
    enum TransactionEnding: CustomStringConvertible {
        /// Returns a value: commit.
        case commit
        /// Throws an error of its own: roll back, and `transaction` rethrows it.
        case throwError
        /// Calls `tx.rollback()`, checks that the handle refuses more work, and returns a value.
        case rollback
        /// Runs an operation without catching its error: a failure rolls back and propagates.
        case failing(Operation)

        var description: String {
            switch self {
            case .commit: return "return"
            case .throwError: return "throw"
            case .rollback: return "tx.rollback(); return"
            case .failing(let op): return "try \(op) (uncaught); return"
            }
        }
    }

    /// How a savepoint body ends.
    enum SavepointEnding: CustomStringConvertible {
        /// Returns: its changes stay.
        case keep
        /// Throws after its steps: its changes are undone.
        case throwAfter
        /// Lets the first failing operation's error escape: the savepoint stops there and is undone.
        case propagateFailures

        var description: String {
            switch self {
            case .keep: return "return"
            case .throwAfter: return "throw"
            case .propagateFailures: return "errors escape"
            }
        }
    }

    /// One step of a transaction body.
    indirect enum TransactionStep: CustomStringConvertible {
        /// A table operation through the handle; the body catches its error and goes on.
        case operation(Operation)
        /// Reads through the handle: `get(key)`, `count()`, `grp == value`, `rank` between `low` and `high`.
        case read(String, key: Value, group: Value, low: Value, high: Value)
        case savepoint([TransactionStep], SavepointEnding)
        case createIndex(String, IndexSpec)
        /// A plain `Table` write (valid arguments) from inside the body: `invalidState`, nothing changes.
        case plainWrite(Operation)
        /// A nested `db.transaction` from inside the body: `invalidState`.
        case nestedTransaction
        /// `tx.table` of a table that does not exist: `tableNotFound`.
        case missingTable

        var description: String {
            switch self {
            case .operation(let op): return "try? \(op)"
            case .read(let t, let key, let group, let low, let high):
                return "read \(t) (get \(key), count, grp == \(group), rank \(low)...\(high))"
            case .savepoint(let steps, let ending):
                return "savepoint { " + steps.map(\.description).joined(separator: "; ") + "; \(ending) }"
            case .createIndex(let t, let spec): return "\(t).createIndex(\(spec))"
            case .plainWrite(let op): return "plain \(op)"
            case .nestedTransaction: return "nested db.transaction"
            case .missingTable: return "tx.table(\"missing\")"
            }
        }
    }

    /// What one side saw: an outcome and, for steps inside a transaction, the tables as the body sees them
    /// (or, for the read from outside, the committed tables and key counters).
    struct Event {
        var outcome: String
        var view: [String: [Record]]? = nil
        var counters: [String: String]? = nil
    }

    /// The body's own error, which `transaction` must rethrow unchanged.
    struct BodyAbort: Error {}

    /// A deliberately wrong model, to show that the comparison fails when the two sides disagree.
    enum Mutant: String, CaseIterable, Sendable {
        case savepointsKeepAbortedWork
        case bestEffortBatchesAreAllOrNothing
        case explicitKeysDoNotMoveTheCounter
        case rolledBackTransactionsCommit
    }
}

// MARK: - Outcome texts (both sides format through these)

extension TransactionModel {
    enum Outcome {
        static func key(_ key: Value) -> String { "key \(key)" }
        static func keys(_ keys: [Value]) -> String { "keys \(Value.array(keys))" }
        static func count(_ n: Int) -> String { "count \(n)" }
        static func flag(_ b: Bool) -> String { "\(b)" }
        static func error(_ code: DictDBError.Code) -> String { "error \(code)" }
        static func index(_ name: String) -> String { "index \(name)" }
        static func filled(_ keys: [Value]) -> String { "filled \(keys.count) up to \(keys.last ?? .null)" }

        static func upsert(_ outcome: UpsertOutcome) -> String {
            switch outcome {
            case .inserted(let key): return "inserted \(key)"
            case .updated(let key): return "updated \(key)"
            case .ignored(let key): return "ignored \(key)"
            }
        }

        static func report(keys: [Value?], failures: [(index: Int, code: DictDBError.Code)]) -> String {
            report(keys: keys, failures: failures, succeeded: keys.count { $0 != nil })
        }

        static func report(_ report: BatchReport) -> String {
            Self.report(
                keys: report.keys, failures: report.failures.map { ($0.index, $0.error.code) },
                succeeded: report.succeeded)
        }

        private static func report(
            keys: [Value?], failures: [(index: Int, code: DictDBError.Code)], succeeded: Int
        ) -> String {
            let keyText = keys.map { $0?.description ?? "nil" }.joined(separator: ", ")
            let failureText = failures.map { "\($0.index): \($0.code)" }.joined(separator: ", ")
            return "report keys [\(keyText)] failures [\(failureText)] succeeded \(succeeded)"
        }

        static func read(get: Record?, count: Int, group: [Record], ranked: [Record]) -> String {
            let groupKeys = Value.array(group.map { $0["id"] })
            let rankedKeys = Value.array(ranked.map { $0["id"] })
            return "get \(get.map(\.description) ?? "nil"); count \(count); grp \(groupKeys); rank \(rankedKeys)"
        }
    }
}

// MARK: - Exact comparison

extension TransactionModel {
    /// Same fields in the same order with identical values (`3` and `3.0` differ, unlike `==`).
    static func identical(_ a: Record, _ b: Record) -> Bool {
        a.fieldNames == b.fieldNames && zip(a.values, b.values).allSatisfy { identical($0, $1) }
    }

    static func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x.bitPattern == y.bitPattern
        case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { identical($0, $1) }
        case (.object(let x), .object(let y)): return identical(x, y)
        default: return false
        }
    }

    static func identical(_ a: [Record], _ b: [Record]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { identical($0, $1) }
    }

    /// The first difference between the model's events and DictDB's, or `nil`.
    static func difference(expected: [Event], actual: [Event]) -> String? {
        for (i, (e, a)) in zip(expected, actual).enumerated() {
            if e.outcome != a.outcome {
                return "event \(i): expected \(e.outcome), got \(a.outcome)"
            }
            if let view = e.view {
                guard let other = a.view, view.keys.sorted() == other.keys.sorted() else {
                    return
                        "event \(i) (\(e.outcome)): expected a view of \(view.keys.sorted()), got \(a.view.map { $0.keys.sorted() } ?? [])"
                }
                for name in view.keys.sorted() where !identical(view[name]!, other[name]!) {
                    return "event \(i) (\(e.outcome)): table \(name) seen as \(other[name]!), expected \(view[name]!)"
                }
            }
            if let counters = e.counters, counters != a.counters {
                return "event \(i) (\(e.outcome)): key counters \(a.counters ?? [:]), expected \(counters)"
            }
        }
        if expected.count != actual.count {
            return "expected events \(expected.map(\.outcome)), got \(actual.map(\.outcome))"
        }
        return nil
    }
}

// MARK: - Conditions and ordering, from the documented semantics

extension TransactionModel {
    /// Evaluates the condition shapes the tests generate: equality across number kinds, ranges only within
    /// a kind and never on null, membership by equality.
    static func matches(_ condition: Condition, _ record: Record) -> Bool {
        switch condition {
        case .all:
            return true
        case .comparison(let field, .equal, let value):
            return record[field] == value
        case .isIn(let field, let values):
            return values.contains(record[field])
        case .between(let field, let lower, let upper):
            let value = record[field]
            guard !value.isNull, value.kind == lower.kind, value.kind == upper.kind else { return false }
            return Value.compare(value, lower) >= 0 && Value.compare(value, upper) <= 0
        default:
            preconditionFailure("the model does not evaluate \(condition)")
        }
    }

    /// A stable sort on one field: missing fields and null first ascending, last descending; ties keep
    /// insertion order in both directions.
    static func sorted(_ records: [Record], by field: String, descending: Bool) -> [Record] {
        records.enumerated().sorted { a, b in
            let c = Value.compare(a.element[field], b.element[field])
            if c != 0 { return descending ? c > 0 : c < 0 }
            return a.offset < b.offset
        }.map(\.element)
    }

    static func hasNonFiniteValue(_ record: Record) -> Bool {
        record.values.contains { value in
            if case .double(let d) = value { return !d.isFinite }
            return false
        }
    }
}

// MARK: - One table

extension TransactionModel {
    struct ModelError: Error {
        var code: DictDBError.Code
    }

    /// A table: records in insertion order, the auto-increment counter, the secondary indexes.
    struct TableState {
        var rows: [(key: Value, record: Record)] = []
        var counter: Int64 = 0
        var indexes: [IndexSpec]
        var mutant: Mutant?

        var records: [Record] { rows.map(\.record) }

        func position(ofKey key: Value) -> Int? { rows.firstIndex { $0.key == key } }

        /// The auto-increment rule: an explicit integral key past the counter moves it there.
        func observed(_ key: Value, _ counter: Int64) -> Int64 {
            if mutant == .explicitKeysDoNotMoveTheCounter { return counter }
            guard let k = key.intValue, k > counter else { return counter }
            return k
        }

        /// The constraint a change set breaks: primary keys (within the set, and against rows the set does not
        /// change), then each unique index, where null is exempt. Keys are checked for the whole set before
        /// unique values (the engine's order), so a set with both problems reports `duplicateKey`.
        func violation(_ changes: [(position: Int?, new: Record)]) -> DictDBError.Code? {
            let changed = Set(changes.compactMap(\.position))
            var heldKeys = Set<Value>()
            for (i, row) in rows.enumerated() where !changed.contains(i) { heldKeys.insert(row.key) }
            var newKeys = Set<Value>()
            for change in changes {
                let key = change.new["id"]
                if !newKeys.insert(key).inserted || heldKeys.contains(key) { return .duplicateKey }
            }
            for index in indexes where index.unique {
                var held = Set<Value>()
                for (i, row) in rows.enumerated() where !changed.contains(i) { held.insert(row.record[index.field]) }
                var seen = Set<Value>()
                for change in changes {
                    let value = change.new[index.field]
                    if value.isNull { continue }
                    if !seen.insert(value).inserted || held.contains(value) { return .uniqueViolation }
                }
            }
            return nil
        }

        private mutating func replace(at position: Int, with record: Record) {
            rows[position] = (record["id"], record)
        }

        /// All-or-nothing insert: keys assigned in order from one counter, which moves only on success.
        /// Values are checked for every record before keys and constraints (the engine's order).
        mutating func insert(_ batch: [Record]) -> Result<[Value], ModelError> {
            if batch.contains(where: TransactionModel.hasNonFiniteValue) {
                return .failure(ModelError(code: .invalidValue))
            }
            var counter = self.counter
            var assigned: [Record] = []
            for record in batch {
                let explicit = record["id"]
                if !explicit.isNull {
                    counter = observed(explicit, counter)
                    assigned.append(record)
                } else {
                    counter += 1
                    assigned.append(Record(fields: [("id", Value.int(counter))] + record.filter { $0.0 != "id" }))
                }
            }
            if let code = violation(assigned.map { (nil, $0) }) { return .failure(ModelError(code: code)) }
            rows += assigned.map { ($0["id"], $0) }
            self.counter = counter
            return .success(assigned.map { $0["id"] })
        }

        /// Each item on its own, against the table as the earlier items left it.
        mutating func insertBestEffort(_ batch: [Record]) -> String {
            if mutant == .bestEffortBatchesAreAllOrNothing {
                switch insert(batch) {
                case .success(let keys): return Outcome.report(keys: keys, failures: [])
                case .failure: return Outcome.report(keys: batch.map { _ in nil }, failures: [])
                }
            }
            var keys: [Value?] = []
            var failures: [(index: Int, code: DictDBError.Code)] = []
            for (i, record) in batch.enumerated() {
                switch insert([record]) {
                case .success(let assigned): keys.append(assigned[0])
                case .failure(let error):
                    keys.append(nil)
                    failures.append((i, error.code))
                }
            }
            return Outcome.report(keys: keys, failures: failures)
        }

        /// Checks an update's `set` record as `checkUpdate` documents: values first, then a null key.
        static func checkChanges(_ changes: Record) -> DictDBError.Code? {
            if TransactionModel.hasNonFiniteValue(changes) { return .invalidValue }
            if let key = changes[field: "id"], key.isNull { return .invalidKey }
            return nil
        }

        mutating func update(set changes: Record, where condition: Condition) -> Result<Int, ModelError> {
            if let code = Self.checkChanges(changes) { return .failure(ModelError(code: code)) }
            let matches = rows.indices.filter { TransactionModel.matches(condition, rows[$0].record) }
            if matches.isEmpty { return .success(0) }
            let planned = matches.map { (position: Optional($0), new: rows[$0].record.merging(changes)) }
            if let code = violation(planned) { return .failure(ModelError(code: code)) }
            for change in planned {
                replace(at: change.position!, with: change.new)
                if changes.hasField("id") { counter = observed(change.new["id"], counter) }
            }
            return .success(matches.count)
        }

        /// Items apply in order. All-or-nothing fails with the first failing item's error (an invalid `set`
        /// or a conflict) and changes nothing; best-effort applies every item that can be applied and lists
        /// the others, an invalid `set` included.
        mutating func updateBatch(_ items: [BatchUpdate], mode: BatchMode) -> Result<String, ModelError> {
            var working = self
            var keys: [Value?] = []
            var failures: [(index: Int, code: DictDBError.Code)] = []
            for (i, item) in items.enumerated() {
                if let code = Self.checkChanges(item.set) {
                    if mode == .allOrNothing { return .failure(ModelError(code: code)) }
                    keys.append(nil)
                    failures.append((i, code))
                    continue
                }
                guard let position = working.position(ofKey: item.key) else {
                    keys.append(nil)
                    continue
                }
                let new = working.rows[position].record.merging(item.set)
                if let code = working.violation([(position, new)]) {
                    if mode == .allOrNothing { return .failure(ModelError(code: code)) }
                    keys.append(nil)
                    failures.append((i, code))
                    continue
                }
                working.replace(at: position, with: new)
                if item.set.hasField("id") { working.counter = working.observed(new["id"], working.counter) }
                keys.append(item.key)
            }
            self = working
            return .success(Outcome.report(keys: keys, failures: failures))
        }

        mutating func upsert(_ record: Record, _ policy: UpsertConflictPolicy) -> Result<UpsertOutcome, ModelError> {
            if TransactionModel.hasNonFiniteValue(record) { return .failure(ModelError(code: .invalidValue)) }
            let key = record["id"]
            guard !key.isNull, let position = position(ofKey: key) else {
                return insert([record]).map { .inserted($0[0]) }
            }
            let new: Record
            switch policy {
            case .fail: return .failure(ModelError(code: .duplicateKey))
            case .ignore: return .success(.ignored(key))
            case .merge: new = rows[position].record.merging(record)
            case .replace: new = record
            }
            if let code = violation([(position, new)]) { return .failure(ModelError(code: code)) }
            replace(at: position, with: new)
            counter = observed(key, counter)
            return .success(.updated(key))
        }

        mutating func delete(where condition: Condition) -> Int {
            let before = rows.count
            rows.removeAll { TransactionModel.matches(condition, $0.record) }
            return before - rows.count
        }

        mutating func delete(key: Value) -> Bool {
            guard let position = position(ofKey: key) else { return false }
            rows.remove(at: position)
            return true
        }

        mutating func createIndex(_ spec: IndexSpec) -> Result<String, ModelError> {
            if indexes.contains(where: { $0.name == spec.name }) { return .failure(ModelError(code: .indexExists)) }
            if spec.unique {
                var seen: [Value] = []
                for row in rows where !row.record[spec.field].isNull {
                    if seen.contains(row.record[spec.field]) { return .failure(ModelError(code: .uniqueViolation)) }
                    seen.append(row.record[spec.field])
                }
            }
            indexes.append(spec)
            return .success(spec.name)
        }

        func select(where condition: Condition) -> [Record] {
            records.filter { TransactionModel.matches(condition, $0) }
        }

        /// `rank` between `low` and `high`, ordered by `rank`.
        func ranked(_ low: Value, _ high: Value, descending: Bool = false) -> [Record] {
            TransactionModel.sorted(
                select(where: .between(field: "rank", lower: low, upper: high)), by: "rank", descending: descending)
        }
    }
}

// MARK: - The database

extension TransactionModel {
    /// Every table of a run, by name.
    struct State {
        var tables: [String: TableState]
        let names: [String]
        let mutant: Mutant?

        /// Tables with a unique index on `email`, a hash index on `grp` and a sorted index on `rank`.
        static let initialIndexes = [
            IndexSpec(name: "email_unique", field: "email", kind: "unique"),
            IndexSpec(name: "grp_hash", field: "grp", kind: "hash"),
            IndexSpec(name: "rank_sorted", field: "rank", kind: "sorted"),
        ]

        init(names: [String], mutant: Mutant? = nil) {
            self.names = names
            self.mutant = mutant
            tables = Dictionary(
                uniqueKeysWithValues: names.map { ($0, TableState(indexes: Self.initialIndexes, mutant: mutant)) })
        }

        var view: [String: [Record]] { tables.mapValues(\.records) }
        var counters: [String: String] { tables.mapValues { Value.int($0.counter).description } }

        static func fillers(_ n: Int) -> [Record] {
            (0..<n).map { ["filler": true, "rank": .int(Int64($0 % 5))] }
        }

        /// Applies a table operation (plain or through a transaction handle) and returns its outcome.
        mutating func applyTableOperation(_ op: Operation) -> Result<String, ModelError> {
            guard let name = op.table, var table = tables[name] else { preconditionFailure("\(op)") }
            defer { tables[name] = table }
            switch op {
            case .insert(_, let r):
                return table.insert([r]).map { Outcome.key($0[0]) }
            case .insertBatch(_, let rs, nil):
                return table.insert(rs).map { Outcome.keys($0) }
            case .insertBatch(_, let rs, .allOrNothing?):
                return table.insert(rs).map { Outcome.report(keys: $0, failures: []) }
            case .insertBatch(_, let rs, .bestEffort?):
                return .success(table.insertBestEffort(rs))
            case .update(_, let set, let c):
                return table.update(set: set, where: c).map { Outcome.count($0) }
            case .updateKey(_, let key, let set):
                return table.update(set: set, where: .comparison(field: "id", op: .equal, value: key))
                    .map { Outcome.flag($0 > 0) }
            case .updateBatch(_, let items, let mode):
                return table.updateBatch(items, mode: mode)
            case .upsert(_, let r, let policy):
                return table.upsert(r, policy).map { Outcome.upsert($0) }
            case .delete(_, let c):
                return .success(Outcome.count(table.delete(where: c)))
            case .deleteKey(_, let key):
                return .success(Outcome.flag(table.delete(key: key)))
            case .fillAndDelete(_, let n):
                return table.insert(Self.fillers(n)).map { keys in
                    Outcome.filled(keys) + ", " + Outcome.count(table.delete(where: Field("filler") == true))
                }
            case .transaction, .save:
                preconditionFailure("not a table operation: \(op)")
            }
        }

        /// Applies any operation and returns the events DictDB must report.
        mutating func apply(_ op: Operation) -> [Event] {
            switch op {
            case .transaction(let plan):
                return applyTransaction(plan)
            case .save:
                let records = tables.values.map(\.rows.count).reduce(0, +)
                return [Event(outcome: "saved \(names.count) tables, \(records) records")]
            default:
                return [Event(outcome: Self.text(applyTableOperation(op)))]
            }
        }

        static func text(_ result: Result<String, ModelError>) -> String {
            switch result {
            case .success(let text): return text
            case .failure(let error): return Outcome.error(error.code)
            }
        }

        // MARK: Transactions

        /// The body works on a copy; only what commits replaces the state.
        private mutating func applyTransaction(_ plan: TransactionPlan) -> [Event] {
            var working = self
            var events: [Event] = []
            for step in plan.steps { _ = working.run(step, events: &events, propagate: false) }
            events.append(Event(outcome: "outside", view: view, counters: counters))
            switch plan.ending {
            case .commit:
                events.append(Event(outcome: "returned 7"))
                self = working
            case .throwError:
                events.append(Event(outcome: "rethrown body error"))
                if mutant == .rolledBackTransactionsCommit { self = working }
            case .rollback:
                // tx.table, tx.savepoint and a table handle taken before the rollback all refuse.
                events.append(Event(outcome: Outcome.error(.invalidState)))
                events.append(Event(outcome: Outcome.error(.invalidState)))
                events.append(Event(outcome: Outcome.error(.invalidState)))
                events.append(Event(outcome: "returned 7"))
                if mutant == .rolledBackTransactionsCommit { self = working }
            case .failing(let op):
                let result = working.applyTableOperation(op)
                switch result {
                case .success(let text):
                    events.append(Event(outcome: text, view: working.view))
                    events.append(Event(outcome: "returned 7"))
                    self = working
                case .failure(let error):
                    events.append(Event(outcome: Outcome.error(error.code)))
                    events.append(Event(outcome: "failed \(error.code)"))
                }
            }
            // The handle and a table handle, kept past the end while the handle is retained, refuse.
            events.append(Event(outcome: "after: " + Outcome.error(.invalidState)))
            events.append(Event(outcome: "after: " + Outcome.error(.invalidState)))
            return events
        }

        /// Runs one body step on the working state; returns the error that escapes it in `propagate` mode.
        private mutating func run(_ step: TransactionStep, events: inout [Event], propagate: Bool) -> ModelError? {
            switch step {
            case .operation(let op):
                let result = applyTableOperation(op)
                events.append(Event(outcome: Self.text(result), view: view))
                if propagate, case .failure(let error) = result { return error }
            case .read(let name, let key, let group, let low, let high):
                let table = tables[name]!
                let outcome = Outcome.read(
                    get: table.position(ofKey: key).map { table.rows[$0].record }, count: table.rows.count,
                    group: table.select(where: Field("grp") == group), ranked: table.ranked(low, high))
                events.append(Event(outcome: outcome, view: view))
            case .savepoint(let steps, let ending):
                var inner = self
                for step in steps {
                    if let error = inner.run(step, events: &events, propagate: ending == .propagateFailures) {
                        events.append(Event(outcome: "savepoint undone by \(error.code)", view: view))
                        if mutant == .savepointsKeepAbortedWork { self = inner }
                        return nil
                    }
                }
                if ending == .throwAfter {
                    events.append(Event(outcome: "savepoint undone", view: view))
                    if mutant == .savepointsKeepAbortedWork { self = inner }
                    return nil
                }
                self = inner
                events.append(Event(outcome: "savepoint kept", view: view))
            case .createIndex(let name, let spec):
                let result = tables[name]!.createIndex(spec).map { Outcome.index($0) }
                events.append(Event(outcome: Self.text(result), view: view))
                if propagate, case .failure(let error) = result { return error }
            case .plainWrite, .nestedTransaction:
                events.append(Event(outcome: Outcome.error(.invalidState), view: view))
            case .missingTable:
                events.append(Event(outcome: Outcome.error(.tableNotFound), view: view))
            }
            return nil
        }
    }
}

// MARK: - Generating operations

/// Random operations drawn from the model's current state, so that keys, emails and values collide often.
struct OperationMaker {
    enum Profile: String, CustomStringConvertible {
        case mixed
        case transactions

        var description: String { rawValue }
    }

    typealias State = TransactionModel.State
    typealias TableState = TransactionModel.TableState
    typealias Random = TransactionModel.Random
    typealias Operation = TransactionModel.Operation

    static let groups: [Value] = ["a", "b", "c", 1, .double(1), 2, .null]
    static let ranks: [Value] = [0, 1, 2, 3, 4, 5, 6, 7, .double(2.5), .double(3), .double(-1.5), "r"]
    static let notes: [Value] = ["x", "y", 7, .double(7)]
    static let codecs = ["json", "msgpack", "json+gzip", "msgpack+lz4"]
    static let extraIndexes = [
        TransactionModel.IndexSpec(name: "note_sorted", field: "note", kind: "sorted"),
        TransactionModel.IndexSpec(name: "note_unique", field: "note", kind: "unique"),
        TransactionModel.IndexSpec(name: "grp_sorted", field: "grp", kind: "sorted"),
        TransactionModel.IndexSpec(name: "rank_hash", field: "rank", kind: "hash"),
        TransactionModel.IndexSpec(name: "email_unique", field: "email", kind: "unique"),
    ]

    let profile: Profile
    let names: [String]
    private var serial = 0

    init(profile: Profile, names: [String]) {
        self.profile = profile
        self.names = names
    }

    mutating func operation(_ state: State, rng: inout Random) -> Operation {
        if rng.chance(0.003) { return .fillAndDelete(rng.pick(names), rng.int(1025...1040)) }
        let roll = rng.int(0...99)
        if roll < 5 { return .save(rng.pick(Self.codecs)) }
        if roll < (profile == .transactions ? 60 : 27) { return .transaction(transaction(state, rng: &rng)) }
        return tableOperation(state, inTransaction: false, rng: &rng)
    }

    mutating func tableOperation(_ state: State, inTransaction: Bool, rng: inout Random) -> Operation {
        let name = rng.pick(names)
        let table = state.tables[name]!
        switch rng.int(0...99) {
        case 0..<22:
            return .insert(name, record(table, rng: &rng))
        case 22..<34:
            let mode: BatchMode? = inTransaction ? nil : rng.pick([nil, .allOrNothing, .bestEffort])
            return .insertBatch(name, batch(table, rng: &rng), mode)
        case 34..<48:
            return .update(name, changes(table, rng: &rng), condition(table, rng: &rng))
        case 48..<56:
            return .updateKey(name, key(table, rng: &rng), changes(table, rng: &rng))
        case 56..<64 where !inTransaction:
            let mode = rng.pick([BatchMode.allOrNothing, .bestEffort])
            let items = updateItems(table, rng: &rng)
            return .updateBatch(name, items, mode)
        case 56..<64:
            return .updateKey(name, key(table, rng: &rng), changes(table, rng: &rng))
        case 64..<82:
            var r = record(table, rng: &rng)
            if rng.chance(0.6), !table.rows.isEmpty { r["id"] = key(table, rng: &rng) }
            return .upsert(name, r, rng.pick(UpsertConflictPolicy.allCases))
        case 82..<90:
            return .delete(name, condition(table, rng: &rng))
        default:
            return .deleteKey(name, key(table, rng: &rng))
        }
    }

    // MARK: Transactions

    private mutating func transaction(_ state: State, rng: inout Random) -> TransactionModel.TransactionPlan {
        let steps = (0..<rng.int(1...10)).map { _ in step(state, depth: 0, rng: &rng) }
        let ending: TransactionModel.TransactionEnding
        switch rng.int(0...99) {
        case 0..<45: ending = .commit
        case 45..<65: ending = .throwError
        case 65..<85: ending = .rollback
        default: ending = .failing(tableOperation(state, inTransaction: true, rng: &rng))
        }
        return TransactionModel.TransactionPlan(steps: steps, ending: ending)
    }

    private mutating func step(_ state: State, depth: Int, rng: inout Random) -> TransactionModel.TransactionStep {
        let name = rng.pick(names)
        let table = state.tables[name]!
        switch rng.int(0...99) {
        case 0..<66:
            if rng.chance(0.01) { return .operation(.fillAndDelete(name, rng.int(1025...1040))) }
            return .operation(tableOperation(state, inTransaction: true, rng: &rng))
        case 66..<74:
            let low = Value.int(Int64(rng.int(-1...6)))
            return .read(
                name, key: key(table, rng: &rng), group: rng.pick(Self.groups), low: low,
                high: .int((low.intValue ?? 0) + Int64(rng.int(0...3))))
        case 74..<86 where depth < 2:
            let steps = (0..<rng.int(1...4)).map { _ in step(state, depth: depth + 1, rng: &rng) }
            return .savepoint(steps, rng.pick([.keep, .throwAfter, .propagateFailures]))
        case 74..<92:
            return .createIndex(name, rng.pick(Self.extraIndexes))
        case 92..<96:
            return .plainWrite(plainWrite(state, rng: &rng))
        case 96..<98:
            return .nestedTransaction
        default:
            return .missingTable
        }
    }

    /// A plain write with valid arguments (argument errors may come before the refusal of a plain write
    /// inside a transaction body).
    private mutating func plainWrite(_ state: State, rng: inout Random) -> Operation {
        for _ in 0..<20 {
            let operation = tableOperation(state, inTransaction: false, rng: &rng)
            var valid: Bool
            switch operation {
            case .insert(_, let r): valid = !TransactionModel.hasNonFiniteValue(r)
            case .insertBatch(_, let rs, let mode):
                valid = mode == .bestEffort || !rs.contains(where: TransactionModel.hasNonFiniteValue)
            case .update(_, let set, _), .updateKey(_, _, let set):
                valid = TableState.checkChanges(set) == nil
            case .updateBatch(_, let items, _):
                valid = items.allSatisfy { TableState.checkChanges($0.set) == nil }
            case .upsert(_, let r, _):
                valid = !TransactionModel.hasNonFiniteValue(r)
            default: valid = true
            }
            if valid { return operation }
        }
        return .insert(rng.pick(names), ["note": "plain"])
    }

    // MARK: Records and arguments

    private mutating func fresh() -> Int {
        serial += 1
        return serial
    }

    mutating func record(_ table: TableState, rng: inout Random) -> Record {
        var fields: [(String, Value)] = []
        if let email = email(table, rng: &rng) { fields.append(("email", email)) }
        if !rng.chance(0.12) { fields.append(("grp", rng.pick(Self.groups))) }
        if !rng.chance(0.12) { fields.append(("rank", rng.pick(Self.ranks))) }
        if let note = note(rng: &rng) { fields.append(("note", note)) }
        if let key = explicitKey(table, rng: &rng) {
            fields.insert(("id", key), at: rng.chance(0.7) ? 0 : rng.int(0...fields.count))
        }
        if rng.chance(0.2) { fields.shuffle(using: &rng) }
        return Record(fields: fields)
    }

    /// 0-5 records, some repeating an earlier record's key or email.
    private mutating func batch(_ table: TableState, rng: inout Random) -> [Record] {
        var records: [Record] = []
        for _ in 0..<rng.int(0...5) {
            var r = record(table, rng: &rng)
            if let earlier = records.randomElement(using: &rng) {
                if rng.chance(0.12), earlier.hasField("id") { r["id"] = earlier["id"] }
                if rng.chance(0.1), earlier.hasField("email") { r["email"] = earlier["email"] }
            }
            records.append(r)
        }
        return records
    }

    /// A fresh email, a stored one (a conflict), null, or none.
    private mutating func email(_ table: TableState, rng: inout Random) -> Value? {
        let roll = rng.int(0...99)
        if roll < 60 { return .string("e\(fresh())") }
        if roll < 78 {
            let stored = table.records.map { $0["email"] }.filter { !$0.isNull }
            return stored.isEmpty ? .string("e\(fresh())") : rng.pick(stored)
        }
        return roll < 86 ? .null : nil
    }

    /// Mostly fresh, sometimes shared (`7` and `7.0` are equal), sometimes missing, rarely not finite.
    private mutating func note(rng: inout Random) -> Value? {
        let roll = rng.int(0...99)
        if roll < 55 { return .string("n\(fresh())") }
        if roll < 80 { return rng.pick(Self.notes) }
        return roll < 99 ? nil : .double(.nan)
    }

    /// No key, a stored one (sometimes as an equal double), one past the counter, text, fractional, an old
    /// integer (free after a delete, or taken), or explicit null.
    private mutating func explicitKey(_ table: TableState, rng: inout Random) -> Value? {
        let roll = rng.int(0...99)
        switch roll {
        case 0..<50: return nil
        case 50..<62: return table.rows.isEmpty ? .int(1) : storedKey(table, rng: &rng)
        case 62..<72: return .int(table.counter + Int64(rng.int(1...3)))
        case 72..<76: return .double(Double(table.counter + 1))
        case 76..<82: return .string("k\(fresh())")
        case 82..<86: return .double(Double(fresh()) + 0.5)
        case 86..<94: return .int(Int64(rng.int(1...max(1, Int(table.counter)))))
        default: return .null
        }
    }

    private func storedKey(_ table: TableState, rng: inout Random) -> Value {
        let key = rng.pick(table.rows).key
        if case .int(let i) = key, rng.chance(0.3) { return .double(Double(i)) }
        return key
    }

    /// A stored key (80%) or one no record has.
    private mutating func key(_ table: TableState, rng: inout Random) -> Value {
        if !table.rows.isEmpty, rng.chance(0.8) { return storedKey(table, rng: &rng) }
        return rng.chance(0.5) ? .int(table.counter + 5) : .string("k\(fresh())")
    }

    /// One or two fields to set: indexed values, emails, notes, a new primary key (re-keying), or rarely an
    /// invalid null key or non-finite value.
    private mutating func changes(_ table: TableState, rng: inout Random) -> Record {
        var changes = Record()
        for _ in 0..<rng.int(1...2) {
            switch rng.int(0...99) {
            case 0..<22: changes["grp"] = rng.pick(Self.groups)
            case 22..<44: changes["rank"] = rng.pick(Self.ranks)
            case 44..<60: changes["email"] = email(table, rng: &rng) ?? .null
            case 60..<72: changes["note"] = note(rng: &rng) ?? "x"
            case 72..<78: changes["note"] = .null
            case 78..<92:
                switch rng.int(0...3) {
                case 0: changes["id"] = .int(table.counter + Int64(rng.int(1...3)))
                case 1: changes["id"] = .string("k\(fresh())")
                default: changes["id"] = table.rows.isEmpty ? .int(1) : storedKey(table, rng: &rng)
                }
            case 92..<97: changes["id"] = .null
            default: changes["rank"] = .double(.infinity)
            }
        }
        return changes
    }

    private mutating func condition(_ table: TableState, rng: inout Random) -> Condition {
        switch rng.int(0...99) {
        case 0..<35: return Field("id") == key(table, rng: &rng)
        case 35..<55: return Field("grp") == rng.pick(Self.groups)
        case 55..<75:
            let low = rng.int(-1...6)
            return Field("rank").between(Value.int(Int64(low)), Value.int(Int64(low + rng.int(0...3))))
        case 75..<85:
            let stored = table.records.map { $0["email"] }.filter { !$0.isNull }
            return Field("email") == (stored.isEmpty ? "nobody" : rng.pick(stored))
        case 85..<95: return Field("id").in([key(table, rng: &rng), key(table, rng: &rng)])
        default: return .all
        }
    }

    /// 1-5 updates by key: stored keys, missing keys, and keys repeated (several updates of one record).
    private mutating func updateItems(_ table: TableState, rng: inout Random) -> [TransactionModel.BatchUpdate] {
        var items: [TransactionModel.BatchUpdate] = []
        for _ in 0..<rng.int(1...5) {
            let key: Value
            if let earlier = items.randomElement(using: &rng), rng.chance(0.2) {
                key = rng.chance(0.5) ? earlier.key : earlier.set[field: "id"] ?? earlier.key
            } else {
                key = self.key(table, rng: &rng)
            }
            items.append(TransactionModel.BatchUpdate(key: key, set: changes(table, rng: &rng)))
        }
        return items
    }
}
