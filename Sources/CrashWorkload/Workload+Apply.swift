import DictDB

/// What applying one workload operation did.
public enum OperationOutcome: Sendable, Equatable, CustomStringConvertible {
    /// The call returned normally.
    case done
    /// The call threw an error the workload expects (a duplicate key, a unique violation, a missing table
    /// or index, a deliberate rollback): nothing changed, deterministically.
    case failed(DictDBError.Code)

    /// `done`, or `failed <code>`.
    public var description: String {
        switch self {
        case .done: return "done"
        case .failed(let code): return "failed \(code)"
        }
    }
}

extension Workload {
    /// The error codes an operation may legitimately end with; any other code is a real failure.
    public static let expectedFailures: Set<DictDBError.Code> = [
        .duplicateKey, .uniqueViolation, .indexExists, .indexNotFound, .tableExists, .tableNotFound,
        .keyNotFound, .invalidArgument,
    ]

    /// Applies operation `index` to `db` (on disk or in memory; a checkpoint does nothing in memory).
    ///
    /// - Returns: ``OperationOutcome/done``, or ``OperationOutcome/failed(_:)`` for an expected error.
    /// - Throws: any other ``DictDBError`` (I/O, corruption, a read-only journal): the database did not
    ///   behave as the workload assumes.
    @discardableResult
    public func apply(_ index: Int, to db: Database) throws(DictDBError) -> OperationOutcome {
        try Self.apply(operation(index), to: db)
    }

    /// Applies `operation` to `db`. See ``apply(_:to:)``.
    @discardableResult
    public static func apply(_ operation: WorkloadOperation, to db: Database) throws(DictDBError) -> OperationOutcome {
        do {
            try perform(operation, on: db)
            return .done
        } catch {
            guard expectedFailures.contains(error.code) else { throw error }
            return .failed(error.code)
        }
    }

    private static func perform(_ operation: WorkloadOperation, on db: Database) throws(DictDBError) {
        switch operation {
        case .createTable(let name, let primaryKey):
            try db.createTable(name, primaryKey: primaryKey)
        case .dropTable(let name, let ifExists):
            try db.dropTable(name, ifExists: ifExists)
        case .createIndex(let table, let fields, let kind):
            try db.table(table).createIndex(on: fields, kind: kind)
        case .dropIndex(let table, let name):
            try db.table(table).dropIndex(named: name)
        case .rebuildIndex(let table, let name):
            try db.table(table).rebuildIndex(named: name)
        case .insert(let table, let record):
            try db.table(table).insert(record)
        case .insertBatch(let table, let records, let mode):
            _ = try db.table(table).insertBatch(records, mode: mode)
        case .update(let table, let key, let set):
            try db.table(table).update(key: key, set: set)
        case .updateWhere(let table, let condition, let set):
            try db.table(table).update(set: set, where: condition)
        case .updateBatch(let table, let updates, let mode):
            try db.table(table).updateBatch(updates.map { (key: $0.key, set: $0.set) }, mode: mode)
        case .delete(let table, let key):
            try db.table(table).delete(key: key)
        case .deleteWhere(let table, let condition):
            try db.table(table).delete(where: condition)
        case .deleteAll(let table):
            try db.table(table).deleteAll()
        case .upsert(let table, let record, let policy):
            try db.table(table).upsert(record, onConflict: policy)
        case .transaction(let transaction):
            try run(transaction, on: db)
        case .checkpoint:
            if db.isDurable { try db.checkpoint() }
        }
    }

    private static func run(_ transaction: WorkloadTransaction, on db: Database) throws(DictDBError) {
        do {
            try db.transaction { tx in
                for step in transaction.steps {
                    try run(step, in: tx, tolerant: transaction.tolerant)
                }
                switch transaction.ending {
                case .commit: break
                case .rollback: tx.rollback()
                case .fail: throw DictDBError(.invalidArgument, "workload: the transaction body gives up")
                }
            }
        } catch let error as DictDBError {
            throw error
        } catch {
            throw DictDBError(.invalidState, "workload: a transaction threw \(error)")
        }
    }

    private static func run(
        _ step: WorkloadTransaction.Step, in tx: Transaction, tolerant: Bool
    ) throws(DictDBError) {
        do throws(DictDBError) {
            try perform(step, in: tx)
        } catch {
            if tolerant && expectedFailures.contains(error.code) { return }
            throw error
        }
    }

    private static func perform(_ step: WorkloadTransaction.Step, in tx: Transaction) throws(DictDBError) {
        switch step {
        case .insert(let table, let record):
            try tx.table(table).insert(record)
        case .update(let table, let key, let set):
            try tx.table(table).update(key: key, set: set)
        case .updateWhere(let table, let condition, let set):
            try tx.table(table).update(set: set, where: condition)
        case .delete(let table, let key):
            try tx.table(table).delete(key: key)
        case .upsert(let table, let record, let policy):
            try tx.table(table).upsert(record, onConflict: policy)
        case .failingSavepoint(let steps):
            _ = try? tx.savepoint { (tx: Transaction) throws(any Error) -> Void in
                for step in steps { try run(step, in: tx, tolerant: true) }
                throw DictDBError(.invalidArgument, "workload: the savepoint gives up")
            }
        }
    }
}
