import DictDB

/// On-disk databases whose journals the fuzzer damages: one per journal layout, each holding a replayable
/// history of a few hundred changes (creates, inserts, updates, re-keys, deletes, transactions, index
/// changes), together with the state after every journal entry.
struct JournalCorpus {
    /// One template database directory.
    struct Template {
        /// `binary+msgpack`, `binary+json` or `ndjson`.
        var name: String
        /// The directory holding dictdb.json, the snapshot and the journal.
        var directory: String
        /// The journal's file name inside it.
        var journalName: String
        /// The journal's pristine bytes.
        var journal: [UInt8]
        /// The state after each prefix of the journal (index k: after k entries).
        var states: [StateFingerprint]
    }

    /// The templates, one per layout.
    var templates: [Template]

    /// Builds the templates in `directory`.
    init(directory: String) throws(DictDBError) {
        templates = []
        for (name, codec, layout) in [
            ("binary+msgpack", "msgpack", "binary"), ("binary+json", "json", "binary"), ("ndjson", "msgpack", "ndjson"),
        ] {
            let path = FilePath.join(directory, "journal-template-\(name)")
            var options = OpenOptions()
            options.codec = codec
            options.journalFormat = layout
            options.syncPolicy = "os"
            options.checkpointMinimumBytes = 1 << 40
            var states: [StateFingerprint] = []
            let journalPath: String
            do {
                let db = try Database.open(at: path, options: options)
                states.append(try StateFingerprint(db))
                try Self.history(db) { () throws(DictDBError) in
                    // One state per journal entry: record it whenever the sequence moved.
                    let sequence = Int(db.journalStatus?.lastSequence ?? 0)
                    while states.count <= sequence { states.append(try StateFingerprint(db)) }
                }
                try db.commit()
                journalPath = db.journalStatus?.journal ?? ""
                // Released without close(): the journal keeps the whole history, no checkpoint folds it.
            }
            templates.append(
                Template(
                    name: name, directory: path, journalName: FilePath.fileName(of: journalPath),
                    journal: try FileIO.read(journalPath), states: states))
        }
    }

    /// A deterministic history; `step` runs after every call that may have journaled something.
    private static func history(_ db: Database, step: () throws(DictDBError) -> Void) throws(DictDBError) {
        let users = try db.createTable("users")
        try step()
        try users.createIndex(on: "email", kind: "unique")
        try step()
        let orders = try db.createTable("orders", keyGenerator: "uuid7")
        try step()
        for i in 0..<120 {
            let n = Int64(i)
            switch i % 6 {
            case 0, 1:
                try users.insert([
                    "name": .string("user \(i) \u{e9}"), "email": .string("u\(i)@example.com"),
                    "age": .int(20 + n % 50),
                    "score": .double(Double(i) / 7),
                ])
            case 2:
                try users.update(key: .int(n / 3 + 1), set: ["age": .int(n), "tags": ["a", "b"]])
            case 3:
                try db.typedTransaction { (tx) throws(DictDBError) in
                    try tx.table("orders").insert(["user": .int(n / 3), "total": .double(Double(i) * 1.5)])
                    try tx.table("users").update(key: .int(n / 3), set: ["orders": .int(n)])
                }
            case 4:
                try users.delete(where: .comparison(field: "age", op: .equal, value: .int(20 + (n * 7) % 50)))
            default:
                try users.upsert([
                    "id": .int(n), "name": .string("upserted \(i)"), "email": .string("x\(i)@example.com"),
                ])
            }
            try step()
        }
        try users.update(key: 2, set: ["id": 10_000])
        try step()
        try orders.createIndex(on: "total", kind: "sorted")
        try step()
        try users.insertBatch((0..<20).map { ["name": .string("batch \($0)")] })
        try step()
        try users.dropIndex(named: "email_unique")
        try step()
    }
}

extension Database {
    /// Runs `body` as a transaction, with a typed error (the fuzzer's bodies throw only DictDBError).
    func typedTransaction(_ body: (Transaction) throws(DictDBError) -> Void) throws(DictDBError) {
        do {
            try transaction { (tx: Transaction) throws -> Void in try body(tx) }
        } catch let error as DictDBError {
            throw error
        } catch {
            throw DictDBError(.invalidState, "unexpected error \(error)")
        }
    }
}
