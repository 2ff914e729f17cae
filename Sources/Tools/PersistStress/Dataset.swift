import DictDB
import DictDBToolSupport

/// The database persist-stress saves and loads: tables that together use every persisted feature, and the
/// seeded changes each cycle makes to them.
struct Dataset {
    var values: RandomValues
    /// The number of records each cycle inserts over all tables.
    let recordsPerCycle: Int
    private var serial = 0

    /// Countries the `people` schema accepts.
    static let countries: [Value] = ["FR", "DE", "JP", "BR", "US", "IN", "NG", "ÉÎ"]

    /// A dataset drawing its values from `random`, inserting about `recordsPerCycle` records per cycle.
    init(random: SeededGenerator, recordsPerCycle: Int) {
        values = RandomValues(random: random)
        self.recordsPerCycle = recordsPerCycle
    }

    /// The strict schema of `people`: every field type, validators of each kind, a default, a unique field.
    static var peopleSchema: Schema {
        Schema(
            fields: [
                FieldRule("name", .string, nullable: false, validators: [.length(1...200)]),
                FieldRule("age", .int, validators: [.range(0...150)]),
                FieldRule("score", .double),
                FieldRule("balance", .number),
                FieldRule("active", .bool, default: true),
                FieldRule("tags", .array, validators: [.length(0...10)]),
                FieldRule("meta", .object),
                FieldRule("email", .string, unique: true),
                FieldRule("country", .string, validators: [.oneOf(countries)]),
                FieldRule("note", .any, default: "—"),
            ], mode: .strict)
    }

    /// Creates the tables and their indexes in an empty database.
    func create(in db: Database) throws {
        let docs = try db.createTable("docs")
        try docs.createIndex(on: "kind")
        try docs.createIndex(on: "rank", kind: "sorted")
        try docs.createIndex(on: ["kind", "rank"], kind: "composite")
        let people = try db.createTable("people", schema: Self.peopleSchema)
        try people.createIndex(on: "age", kind: "sorted")
        try people.createIndex(on: ["country", "age"], kind: "composite", name: "by_country_age")
        let events = try db.createTable(
            "events", keyGenerator: "uuid7",
            schema: Schema(
                fields: [FieldRule("type", .string, nullable: false), FieldRule("count", .int)], mode: .open,
                coercion: true))
        try events.createIndex(on: "type")
        let sessions = try db.createTable("sessions", keyGenerator: "uuid")
        try sessions.createIndex(on: "expires", kind: "sorted", options: [:])
        let codes = try db.createTable("codes", primaryKey: "code")
        try codes.createIndex(on: "label", kind: "unique")
        let unicode = try db.createTable("ünïcødé 表 🗂", primaryKey: "ключ")
        try unicode.createIndex(on: "名前", kind: "hash")
        try db.createTable(
            "empty", schema: Schema(fields: [FieldRule("x", .int, nullable: false, default: 0)], mode: .strict))
        try db.table("empty").createIndex(on: "x", kind: "sorted")
    }

    /// One cycle's changes: inserts, updates and deletes in every table, now and then an index created or
    /// dropped, an explicit key far ahead (so the auto-increment state moves), and the newest key deleted
    /// (so the state stays ahead of every key left).
    mutating func mutate(_ db: Database, cycle: Int) throws {
        let perTable = max(1, recordsPerCycle / 6)
        try mutateDocs(try db.table("docs"), count: perTable, cycle: cycle)
        try insertPeople(try db.table("people"), count: perTable)
        let events = try db.table("events")
        try events.insertBatch(
            (0..<perTable).map { _ in
                [
                    "type": .string(values.word()), "count": .string(String(values.random.index(below: 500))),
                    "payload": values.value(depth: 2),
                ]
            })
        let sessions = try db.table("sessions")
        for _ in 0..<perTable {
            try sessions.insert(["expires": values.scalar(), "data": values.value()])
        }
        let codes = try db.table("codes")
        for _ in 0..<perTable {
            serial += 1
            try codes.insert(
                [
                    "code": .string("C-\(serial)-\(values.unicodeString(length: 3))"), "label": .int(Int64(serial)),
                    "value": values.value(),
                ])
        }
        let unicode = try db.table("ünïcødé 表 🗂")
        for _ in 0..<max(1, perTable / 4) {
            serial += 1
            try unicode.insert(
                ["ключ": .int(Int64(serial)), "名前": .string(values.unicodeString(length: 5)), "🔑": values.scalar()])
        }
        for name in ["people", "events", "sessions", "codes", "ünïcødé 表 🗂"] {
            try churn(try db.table(name), updates: perTable / 4, deletes: perTable / 5)
        }
    }

    /// Inserts schemaless documents (some with an explicit key far ahead), updates and deletes some,
    /// sometimes deletes the newest, and creates or drops an extra index.
    private mutating func mutateDocs(_ docs: Table, count: Int, cycle: Int) throws {
        for _ in 0..<count {
            var record = values.object(depth: 3)
            record["kind"] = .string(values.random.pick(["a", "b", "c", "ü"]))
            record["rank"] = values.scalar()
            if values.random.percent(5) {
                let far = (docs.keyGeneratorState.intValue ?? 0) + Int64(values.random.index(below: 1000)) + 1
                record["id"] = .int(far)
            }
            try docs.insert(record)
        }
        try churn(docs, updates: count / 4, deletes: count / 5)
        if let newest = try docs.select(Query().orderBy(.descending("id")).limit(1)).first, values.random.percent(50) {
            try docs.delete(key: newest["id"])
        }
        let extra = "f\(cycle % 4)"
        if cycle % 3 == 0 && !docs.indexes.contains(where: { $0.name == "extra_\(extra)" }) {
            try docs.createIndex(on: extra, kind: values.random.pick(["hash", "sorted"]), name: "extra_\(extra)")
        } else if cycle % 4 == 0, let doomed = docs.indexes.first(where: { $0.name.hasPrefix("extra_") }) {
            try docs.dropIndex(named: doomed.name)
        }
    }

    /// Inserts one batch of records that follow the strict `people` schema.
    private mutating func insertPeople(_ people: Table, count: Int) throws {
        var batch: [Record] = []
        for _ in 0..<count {
            serial += 1
            var record: Record = [
                "name": .string(values.random.percent(20) ? values.unicodeString(length: 8) + "x" : values.word()),
                "email": .string("p\(serial)@exämple.test"),
                "country": values.random.pick(Self.countries),
            ]
            if values.random.percent(80) { record["age"] = .int(Int64(values.random.index(below: 151))) }
            if values.random.percent(70) { record["score"] = .double(values.random.pick(RandomValues.edgeDoubles)) }
            if values.random.percent(70) { record["balance"] = values.random.percent(50) ? .int(-5) : .double(2.5) }
            if values.random.percent(50) { record["active"] = .bool(values.random.percent(50)) }
            if values.random.percent(60) { record["tags"] = .array((0..<3).map { _ in .string(values.word()) }) }
            if values.random.percent(60) { record["meta"] = .object(values.object(depth: 2)) }
            if values.random.percent(30) { record["note"] = values.value(depth: 2) }
            batch.append(record)
        }
        try people.insertBatch(batch)
    }

    /// Updates and deletes random records of a table (by key).
    private mutating func churn(_ table: Table, updates: Int, deletes: Int) throws {
        let keys = try table.select(Query().select(.init(table.primaryKey))).map { $0[table.primaryKey] }
        guard !keys.isEmpty else { return }
        for _ in 0..<updates {
            let key = values.random.pick(keys)
            let changes: Record
            switch table.name {
            case "people": changes = ["age": .int(Int64(values.random.index(below: 151))), "note": values.value()]
            case "events": changes = ["count": .int(Int64(values.random.index(below: 9)))]
            case "codes": changes = ["value": values.value()]
            case "ünïcødé 表 🗂": changes = ["名前": .string(values.unicodeString(length: 4))]
            default: changes = [values.fieldName(): values.value(), "rank": values.scalar()]
            }
            try table.update(key: key, set: changes)
        }
        for _ in 0..<deletes {
            try table.delete(key: values.random.pick(keys))
        }
    }
}
