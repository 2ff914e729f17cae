import DictDBAPI
import Engine
import Testing

/// A hash index on a field shared by thousands of records (its buckets split into runs of rows), checked
/// against a plain model after deletes, moves between keys, re-inserts and a rolled-back transaction.
@Suite struct HashIndexBucketTests {
    /// The model: the key of every live record and its group, in insertion order.
    struct Model {
        var groups: [(id: Int64, group: String)] = []

        func ids(in group: String) -> [Int64] {
            groups.filter { $0.group == group }.map(\.id)
        }
    }

    static let groupNames = ["a", "b", "c"]

    func makeTable(records: Int) throws -> (Table, Model) {
        let table = try makeDatabase().createTable("items")
        try table.createIndex(on: "group", kind: "hash")
        var model = Model()
        for i in 0..<records {
            let group = Self.groupNames[i % 3]
            let id = try table.insert(["group": .string(group), "n": .int(Int64(i))])
            model.groups.append((id.intValue ?? -1, group))
        }
        return (table, model)
    }

    func expectAgrees(_ table: Table, _ model: Model, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for group in Self.groupNames {
            let found = try table.select(where: Field("group") == group).map { $0["id"].intValue ?? -1 }
            #expect(found == model.ids(in: group), sourceLocation: sourceLocation)
            #expect(
                try table.count(where: Field("group") == group) == model.ids(in: group).count,
                sourceLocation: sourceLocation)
        }
        #expect(try table.explain(Query(Field("group") == "a")).isFullScan == false, sourceLocation: sourceLocation)
    }

    @Test func deletesAndMovesKeepLargeBucketsInStep() throws {
        let (table, initial) = try makeTable(records: 4_000)
        var model = initial
        try expectAgrees(table, model)

        // Delete every third record of the first half, in descending key order.
        for id in stride(from: Int64(2_000), through: 1, by: -3) {
            #expect(try table.delete(key: .int(id)))
            model.groups.removeAll { $0.id == id }
        }
        try expectAgrees(table, model)

        // Move low rows into group "c", so they land in the middle of its bucket (run inserts and splits).
        for id in stride(from: Int64(1), through: 1_500, by: 2) where model.groups.contains(where: { $0.id == id }) {
            #expect(try table.update(key: .int(id), set: ["group": "c"]))
            if let i = model.groups.firstIndex(where: { $0.id == id }) { model.groups[i].group = "c" }
        }
        try expectAgrees(table, model)

        // Empty group "b" entirely, then give it records again.
        for (id, _) in model.groups.filter({ $0.group == "b" }) { #expect(try table.delete(key: .int(id))) }
        model.groups.removeAll { $0.group == "b" }
        try expectAgrees(table, model)
        for i in 0..<700 {
            let id = try table.insert(["group": "b", "n": .int(Int64(10_000 + i))])
            model.groups.append((id.intValue ?? -1, "b"))
        }
        try expectAgrees(table, model)
    }

    @Test func aRolledBackTransactionLeavesLargeBucketsAsTheyWere() throws {
        let database = makeDatabase()
        let table = try database.createTable("items")
        try table.createIndex(on: "group", kind: "hash")
        var model = Model()
        for i in 0..<3_000 {
            let group = Self.groupNames[i % 3]
            let id = try table.insert(["group": .string(group), "n": .int(Int64(i))])
            model.groups.append((id.intValue ?? -1, group))
        }
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try database.transaction { tx in
                let items = try tx.table("items")
                for id in stride(from: Int64(3), through: 3_000, by: 3) { _ = try items.delete(key: .int(id)) }
                for id in stride(from: Int64(1), through: 600, by: 3) {
                    _ = try items.update(key: .int(id), set: ["group": "c"])
                }
                throw Abort()
            }
        }
        try expectAgrees(table, model)
    }
}
