import DictDB

/// The databases the corpus is saved from: a small one (files under 2 KiB, truncated at every offset), a
/// full one (files past the codecs' 64 KiB read chunk), and a large one (a table big enough that loading
/// builds its indexes on a second thread). The first two hold several tables, every ``Value`` kind, a
/// schema with validators and a unique field, hash, sorted, composite and unique indexes, and deleted keys
/// (so the auto-increment counter is ahead of the largest live key).
enum SampleDatabases {
    /// The databases by name, in corpus order.
    static func all() throws(DictDBError) -> [(name: String, database: Database)] {
        [("small", try small()), ("full", try full()), ("large", try large())]
    }

    /// Two tables and a handful of records.
    static func small() throws(DictDBError) -> Database {
        let db = Database()
        let people = try db.createTable("people", schema: peopleSchema)
        try people.createIndex(on: "age", kind: "sorted")
        for i in 0..<4 { try people.insert(person(i)) }
        _ = try people.delete(key: 2)
        let kinds = try db.createTable("kinds", primaryKey: "k", keyGenerator: "uuid7")
        try kinds.createIndex(on: "i")
        try kinds.insert(everyKind(0, key: "k"))
        return db
    }

    /// Four tables, about a thousand records.
    static func full() throws(DictDBError) -> Database {
        let db = Database()
        let people = try indexedPeople(in: db)
        for i in 0..<450 { try people.insert(person(i)) }
        _ = try people.delete(where: Field("age") > 60)
        _ = try people.delete(key: 450)
        let kinds = try db.createTable("kinds", primaryKey: "k", keyGenerator: "uuid")
        try kinds.createIndex(on: "i", kind: "sorted")
        for i in 0..<300 { try kinds.insert(everyKind(i, key: "k")) }
        let codes = try db.createTable("codes", primaryKey: "code")
        try codes.createIndex(on: "score", kind: "unique")
        for i in 0..<200 {
            try codes.insert(["code": .string("C-\(i * 7919 % 1000)"), "score": .double(Double(i) / 8)])
        }
        _ = try codes.delete(where: Field("score") < 3)
        let empty = try db.createTable("empty", keyGenerator: "uuid7", schema: Schema(fields: [], mode: .strict))
        try empty.createIndex(on: "x")
        return db
    }

    /// One table of 9,000 records with a unique, a hash, a sorted and a composite index: more than the
    /// 8,192 records from which loading builds indexes beside the decoding.
    static func large() throws(DictDBError) -> Database {
        let db = Database()
        let people = try indexedPeople(in: db)
        try people.insertBatch((0..<9_000).map(person))
        _ = try people.delete(where: Field("age") == 40)
        return db
    }

    /// A `people` table with ``peopleSchema`` (its unique e-mail field) and a hash, a sorted and a
    /// composite index.
    private static func indexedPeople(in db: Database) throws(DictDBError) -> Table {
        let people = try db.createTable("people", schema: peopleSchema)
        try people.createIndex(on: "dept")
        try people.createIndex(on: "age", kind: "sorted")
        try people.createIndex(on: ["dept", "age"], kind: "composite")
        return people
    }

    private static var peopleSchema: Schema {
        Schema(
            fields: [
                FieldRule("name", .string, nullable: false, validators: [.length(1...64)]),
                FieldRule("email", .string, unique: true),
                FieldRule("dept", .string, default: "none", validators: [.oneOf(["eng", "ops", "none", "r&d"])]),
                FieldRule("age", .int, validators: [.range(0...130)]),
                FieldRule("salary", .double),
                FieldRule("active", .bool, default: true),
            ],
            mode: .open, coercion: true)
    }

    private static func person(_ i: Int) -> Record {
        let depts: [Value] = ["eng", "ops", "r&d", "none"]
        var record: Record = [
            "name": .string("Person \(i) \u{00E9}\u{0301}"),
            "email": .string("p\(i)@example.com"),
            "dept": depts[i % depts.count],
            "age": .int(Int64(18 + i * 7 % 60)),
            "salary": .double(30103.0 + Double(i) * 0.25),
        ]
        if i % 3 == 0 { record["active"] = .bool(i % 2 == 0) }
        if i % 5 == 0 { record["note"] = .array([.null, .int(Int64(i)), .string("tag\t\(i)")]) }
        return record
    }

    /// A record with every kind of value and an explicit UUID key in `key` (explicit keys keep the corpus
    /// the same from run to run, so a seed replays the same cases).
    private static func everyKind(_ i: Int, key: String) -> Record {
        let hex = String(UInt64(i) &* 0x9E37_79B9 & 0xFFFF_FFFF_FFFF, radix: 16)
        let uuid = "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex
        return [
            key: .string(uuid),
            "n": .null,
            "t": true,
            "f": false,
            "i": .int(Int64(i) - 150),
            "max": .int(Int64.max),
            "min": .int(Int64.min),
            "d": .double(Double(i) * 1.5 + 0.1),
            "whole": 30103.0,
            "tiny": .double(.leastNonzeroMagnitude),
            "huge": .double(-1.7976931348623157e308),
            "negzero": .double(-0.0),
            "s": .string("quote \" backslash \\ newline \n nul-ish \u{0001} del \u{007F} \u{1F986} \(i)"),
            "empty": "",
            "arr": [1, 2.5, "x", nil, [true, []], ["k": "v"]],
            "obj": ["nested": ["deep": [1, ["a": nil]]], "b": false, "": "empty key"],
        ]
    }
}
