import DictDBAPI

/// An in-memory database: a catalog of named ``Table``s assembled from a `Registry` of plugins.
///
/// ```swift
/// let db = Database(registry: .standard)
/// let users = try db.createTable("users")
/// try users.createIndex(on: "email", kind: "unique")
/// let id = try users.insert(["name": "Ada", "email": "ada@example.com"])
/// ```
///
/// A database is safe to use from many threads: the catalog has its own reader-writer lock and each table
/// has one. Tables are independent: writers to different tables never wait for each other.
public final class Database: @unchecked Sendable {
    // @unchecked: `tables` is only read or written while `catalogLock` is held.

    /// The plugins this database finds index kinds, key generators, codecs and sync policies in.
    public let registry: Registry
    private let catalogLock = ReadWriteLock()
    private var tables: [String: Table] = [:]
    /// In memory, grows by one with every table created or dropped, plus the dropped table's storage
    /// version, so that it plus the live tables' versions never goes back (the backup change counter, see
    /// Database+BackupSource.swift). Only touched while `catalogLock` is held.
    private(set) var catalogEpoch: UInt64 = 0
    /// Which thread runs a transaction; shared with every table to refuse plain writes from inside one.
    let transactionState = TransactionState()
    /// The directory, journal and checkpoints of an on-disk database; `nil` in memory. Set once by
    /// ``open(at:options:registry:)`` before the database is returned.
    private(set) var durable: DurableStore?

    /// Creates an empty database that looks plugins up in `registry`.
    public init(registry: Registry) {
        self.registry = registry
    }

    /// Creates a table.
    ///
    /// - Parameters:
    ///   - name: a non-empty name without control characters, at most 255 bytes of UTF-8.
    ///   - primaryKey: the field that holds each record's key (`"id"` by default).
    ///   - keyGenerator: the registered `PrimaryKeyGenerator` that makes keys for records without one.
    ///   - schema: optional rules for the records; the table keeps its own copy. Fields marked `unique` get a
    ///     unique index named `unique_<field>`.
    ///   - ifNotExists: return the existing table instead of throwing when the name is taken.
    /// - Throws: `DictDBError.Code.tableExists`, `DictDBError.Code.invalidArgument` for a bad name or
    ///   schema, `DictDBError.Code.unknownPlugin` for an unregistered generator or index kind.
    @discardableResult
    public func createTable(
        _ name: String, primaryKey: String = "id", keyGenerator: String = "autoincrement", schema: Schema? = nil,
        ifNotExists: Bool = false
    ) throws(DictDBError) -> Table {
        try Self.checkName(name, what: "table")
        try Self.checkName(primaryKey, what: "primary key field")
        let generator = try registry.keyGenerator(named: keyGenerator)
        try schema?.validate()
        let table = try Table(
            name: name, primaryKey: primaryKey, keyGenerator: generator, schema: schema, registry: registry,
            transactions: transactionState)
        if let durable { connect(table, to: durable) }
        return try catalogLock.withWriteLock { () throws(DictDBError) -> Table in
            if let existing = tables[name] {
                if ifNotExists { return existing }
                throw DictDBError(.tableExists, "table '\(name)' already exists", context: .init(table: name))
            }
            if let log = durable?.log {
                // Catalog changes are synced before they take effect, whatever the policy.
                let ticket = try log.append(
                    .catalog, body: JournalBody.createTable(table), undo: .none, durability: .always)
                try log.waitUntilDurable(ticket.sequence)
            }
            tables[name] = table
            catalogEpoch &+= 1
            return table
        }
    }

    /// The table named `name`.
    /// - Throws: `DictDBError.Code.tableNotFound` listing the tables that exist.
    public func table(_ name: String) throws(DictDBError) -> Table {
        let found = catalogLock.withReadLock { tables[name] }
        guard let found else { throw missingTable(name) }
        return found
    }

    /// Removes a table and its records. Handles to it held elsewhere throw `DictDBError.Code.tableNotFound`
    /// from then on.
    /// - Throws: `DictDBError.Code.tableNotFound` unless `ifExists` is true.
    public func dropTable(_ name: String, ifExists: Bool = false) throws(DictDBError) {
        if transactionState.isOpenOnCurrentThread {
            throw DictDBError(
                .invalidState, "tables cannot be dropped inside a transaction", context: .init(table: name))
        }
        if let log = durable?.log {
            try catalogLock.withWriteLock { () throws(DictDBError) in
                guard let table = tables[name] else {
                    if ifExists { return }
                    throw missingTable(name, known: tables.keys.sorted())
                }
                var ticket: DurableLog.Ticket?
                try table.drop { () throws(DictDBError) in
                    ticket = try log.append(
                        .catalog, body: JournalBody.dropTable(name), undo: .none, durability: .always)
                }
                do throws(DictDBError) {
                    if let ticket { try log.waitUntilDurable(ticket.sequence) }
                } catch {
                    table.undrop()
                    throw error
                }
                table.releaseDroppedRecords()
                tables.removeValue(forKey: name)
            }
            return
        }
        let removed = catalogLock.withWriteLock { () -> Table? in
            let removed = tables.removeValue(forKey: name)
            if let removed { catalogEpoch &+= 1 &+ removed.lock.withReadLock { removed.storage.version } }
            return removed
        }
        guard let removed else {
            if ifExists { return }
            throw missingTable(name)
        }
        removed.markDropped()
    }

    /// The names of the tables, sorted.
    public var tableNames: [String] {
        catalogLock.withReadLock { tables.keys.sorted() }
    }

    /// Whether a table named `name` exists.
    public func hasTable(_ name: String) -> Bool {
        catalogLock.withReadLock { tables[name] != nil }
    }

    /// Copies every table's storage under read locks held together (taken in name order), so the copies
    /// form one consistent cut. Each copy is O(1): the storage is copy-on-write.
    /// - Parameter whileLocked: runs while every lock is still held (a checkpoint switches journals there,
    ///   so that the cut holds exactly the changes journaled before the switch).
    func consistentCut(whileLocked: () -> Void = {}) -> ConsistentCut {
        catalogLock.withReadLock {
            let ordered = tables.keys.sorted().compactMap { tables[$0] }
            for table in ordered { table.lock.lockShared() }
            let cut = ordered.map { (table: $0, storage: $0.storage) }
            whileLocked()
            for table in ordered.reversed() { table.lock.unlock() }
            return ConsistentCut(cut)
        }
    }

    /// Makes this database on-disk: every table journals through `store`. Call before sharing it.
    func attach(_ store: DurableStore) {
        durable = store
        for table in catalogLock.withReadLock({ Array(tables.values) }) { connect(table, to: store) }
    }

    private func connect(_ table: Table, to store: DurableStore) {
        table.journal = store.log
        table.checkpointHint = { [weak self, unowned store] bytes in
            guard let self else { return }
            store.checkpointIfNeeded(bytes, database: self)
        }
    }

    deinit {
        try? durable?.close(database: self, checkpointing: false)
    }

    /// Adds loaded tables to an empty database.
    func install(_ loaded: [String: Table]) {
        catalogLock.withWriteLock { tables.merge(loaded) { current, _ in current } }
    }

    /// The error for a missing table. Pass `known` when the catalog lock is already held.
    private func missingTable(_ name: String, known: [String]? = nil) -> DictDBError {
        let known = known ?? tableNames
        let list = known.isEmpty ? "there are no tables" : "tables: \(known.joined(separator: ", "))"
        return DictDBError(.tableNotFound, "no table named '\(name)' (\(list))", context: .init(table: name))
    }

    /// Checks a table, field or index name: non-empty, at most 255 bytes, no control characters.
    static func checkName(_ name: String, what: String) throws(DictDBError) {
        if name.isEmpty {
            throw DictDBError(.invalidArgument, "a \(what) name cannot be empty")
        }
        if name.utf8.count > 255 {
            throw DictDBError(.invalidArgument, "\(what) name is longer than 255 bytes", context: .init(found: name))
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw DictDBError(
                .invalidArgument, "\(what) name \(Value.string(name)) contains a control character",
                context: .init(found: name))
        }
    }
}
