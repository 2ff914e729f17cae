import DictDB

/// One step of the crash workload: a single call on a ``Database`` (one journal record at most), or a
/// checkpoint.
///
/// ```swift
/// let op = Workload(seed: 7).operation(120)
/// print(op)   // upsert accounts {"id":12,...} onConflict merge
/// ```
public enum WorkloadOperation: Sendable, Equatable, CustomStringConvertible {
    /// `createTable(name, primaryKey:)`.
    case createTable(name: String, primaryKey: String)
    /// `dropTable(name, ifExists:)`.
    case dropTable(name: String, ifExists: Bool)
    /// `createIndex(on: fields, kind:)` with the default name.
    case createIndex(table: String, fields: [String], kind: String)
    /// `dropIndex(named:)`.
    case dropIndex(table: String, name: String)
    /// `rebuildIndex(named:)`.
    case rebuildIndex(table: String, name: String)
    /// `insert(record)`.
    case insert(table: String, record: Record)
    /// `insertBatch(records, mode:)`.
    case insertBatch(table: String, records: [Record], mode: BatchMode)
    /// `update(key:set:)`.
    case update(table: String, key: Value, set: Record)
    /// `update(set:where:)`.
    case updateWhere(table: String, condition: Condition, set: Record)
    /// `updateBatch(updates, mode:)`.
    case updateBatch(table: String, updates: [KeyedUpdate], mode: BatchMode)
    /// `delete(key:)`.
    case delete(table: String, key: Value)
    /// `delete(where:)`.
    case deleteWhere(table: String, condition: Condition)
    /// `deleteAll()`.
    case deleteAll(table: String)
    /// `upsert(record, onConflict:)`.
    case upsert(table: String, record: Record, policy: UpsertConflictPolicy)
    /// `transaction { ... }` over several tables.
    case transaction(WorkloadTransaction)
    /// `checkpoint()` on an on-disk database; nothing in memory.
    case checkpoint

    /// One item of an ``updateBatch(table:updates:mode:)``.
    public struct KeyedUpdate: Sendable, Equatable {
        /// The primary key of the record to change.
        public var key: Value
        /// The fields to set.
        public var set: Record
    }

    /// The operation as a log line prints it.
    public var description: String {
        switch self {
        case .createTable(let name, let primaryKey): return "createTable \(name) primaryKey \(primaryKey)"
        case .dropTable(let name, let ifExists): return "dropTable \(name)\(ifExists ? " ifExists" : "")"
        case .createIndex(let table, let fields, let kind):
            return "createIndex \(table) \(fields.joined(separator: ",")) \(kind)"
        case .dropIndex(let table, let name): return "dropIndex \(table) \(name)"
        case .rebuildIndex(let table, let name): return "rebuildIndex \(table) \(name)"
        case .insert(let table, let record): return "insert \(table) \(record)"
        case .insertBatch(let table, let records, let mode):
            return "insertBatch \(table) \(mode) \(records.map(\.description).joined(separator: " "))"
        case .update(let table, let key, let set): return "update \(table) key \(key) set \(set)"
        case .updateWhere(let table, let condition, let set):
            return "update \(table) where \(condition) set \(set)"
        case .updateBatch(let table, let updates, let mode):
            return "updateBatch \(table) \(mode) \(updates.map { "\($0.key):\($0.set)" }.joined(separator: " "))"
        case .delete(let table, let key): return "delete \(table) key \(key)"
        case .deleteWhere(let table, let condition): return "delete \(table) where \(condition)"
        case .deleteAll(let table): return "deleteAll \(table)"
        case .upsert(let table, let record, let policy): return "upsert \(table) \(record) onConflict \(policy)"
        case .transaction(let transaction): return transaction.description
        case .checkpoint: return "checkpoint"
        }
    }
}

/// A multi-table transaction of the workload: statements, possibly a savepoint that throws, and how the
/// transaction ends.
public struct WorkloadTransaction: Sendable, Equatable, CustomStringConvertible {
    /// One statement run through the transaction handle.
    public enum Step: Sendable, Equatable, CustomStringConvertible {
        /// `insert(record)`.
        case insert(table: String, record: Record)
        /// `update(key:set:)`.
        case update(table: String, key: Value, set: Record)
        /// `update(set:where:)`.
        case updateWhere(table: String, condition: Condition, set: Record)
        /// `delete(key:)`.
        case delete(table: String, key: Value)
        /// `upsert(record, onConflict:)`.
        case upsert(table: String, record: Record, policy: UpsertConflictPolicy)
        /// A savepoint running `steps`, then throwing: its changes are undone, the transaction goes on.
        case failingSavepoint([Step])

        /// The step as a log line prints it.
        public var description: String {
            switch self {
            case .insert(let table, let record): return "insert \(table) \(record)"
            case .update(let table, let key, let set): return "update \(table) key \(key) set \(set)"
            case .updateWhere(let table, let condition, let set):
                return "update \(table) where \(condition) set \(set)"
            case .delete(let table, let key): return "delete \(table) key \(key)"
            case .upsert(let table, let record, let policy): return "upsert \(table) \(record) \(policy)"
            case .failingSavepoint(let steps):
                return "savepoint[\(steps.map(\.description).joined(separator: "; "))] throws"
            }
        }
    }

    /// How the transaction ends once its steps ran.
    public enum Ending: String, Sendable, Equatable {
        /// The body returns: everything commits.
        case commit
        /// The body calls `rollback()` and returns: nothing commits.
        case rollback
        /// The body throws: nothing commits and the call throws.
        case fail
    }

    /// The statements, in order.
    public var steps: [Step]
    /// When true, a statement that fails is skipped and the transaction goes on; otherwise its error
    /// aborts (rolls back) the whole transaction.
    public var tolerant: Bool
    /// How the body ends.
    public var ending: Ending

    /// The transaction as a log line prints it.
    public var description: String {
        let mode = tolerant ? "tolerant " : ""
        return "transaction \(mode)\(ending) [\(steps.map(\.description).joined(separator: "; "))]"
    }
}
