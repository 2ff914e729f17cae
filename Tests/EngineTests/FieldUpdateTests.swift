import DictDBAPI
import Engine
import Testing

/// Updates by key on an in-memory table without a schema set the fields where the record lies: the
/// indexes must follow exactly, records read before the update must keep their values, and constraints
/// the in-place path cannot check must still be enforced (those updates take the replacing path).
@Suite struct FieldUpdateTests {
    /// A table with hash, sorted and composite indexes over `g` and `n`, and its model.
    func makeTable() throws -> (Table, [Int64: Record]) {
        let table = try makeDatabase().createTable("items")
        try table.createIndex(on: "g", kind: "hash")
        try table.createIndex(on: "n", kind: "sorted")
        try table.createIndex(on: ["g", "n"], kind: "sorted")
        var model: [Int64: Record] = [:]
        for i in 0..<400 {
            let record: Record = ["g": .string("g\(i % 7)"), "n": .int(Int64(i % 50)), "note": "x"]
            let key = try table.insert(record)
            model[key.intValue ?? -1] = try table.get(key)
        }
        return (table, model)
    }

    @Test(arguments: [1, 2, 3, 0x5EED] as [UInt64])
    func randomUpdatesByKeyKeepEveryIndexInStepWithAModel(seed: UInt64) throws {
        var (table, model) = try makeTable()
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for step in 0..<2000 {
            let key = Int64(next(420) + 1)
            var changes = Record()
            if next(2) == 0 { changes["g"] = .string("g\(next(9))") }
            if next(2) == 0 { changes["n"] = next(5) == 0 ? .double(Double(next(60)) + 0.5) : .int(Int64(next(60))) }
            if next(4) == 0 { changes["extra\(next(3))"] = .int(Int64(step)) }
            if changes.isEmpty { changes["note"] = .string("s\(step)") }
            let updated = try table.update(key: .int(key), set: changes)
            #expect(updated == (model[key] != nil), "seed \(seed), step \(step)")
            if let old = model[key] { model[key] = old.merging(changes) }
        }
        let live = model.values
        for g in 0..<9 {
            let value = Value.string("g\(g)")
            let expected = live.filter { $0["g"] == value }.count
            #expect(try table.count(where: Field("g") == value) == expected, "seed \(seed), g\(g)")
            for low in stride(from: 0, to: 60, by: 20) {
                let range = Field("g") == value && Field("n") >= Int64(low) && Field("n") < Int64(low + 20)
                let inRange = live.filter { range.matches($0) }.count
                #expect(try table.count(where: range) == inRange, "seed \(seed), g\(g), n from \(low)")
            }
        }
        for low in stride(from: 0, to: 60, by: 7) {
            let range = Field("n").between(Int64(low), Int64(low + 6))
            #expect(try table.count(where: range) == live.filter { range.matches($0) }.count, "seed \(seed)")
        }
        for (key, record) in model {
            #expect(try table.get(.int(key)) == record, "seed \(seed), key \(key)")
        }
        for statistics in try table.indexStatistics().values {
            #expect(statistics.entries == model.count, "seed \(seed)")
        }
    }

    @Test func aRecordReadBeforeAnUpdateKeepsItsValues() throws {
        let (table, _) = try makeTable()
        let before = try #require(try table.get(.int(1)))
        try table.update(key: .int(1), set: ["n": 999, "added": true])
        #expect(before["n"] == .int(0))
        #expect(!before.hasField("added"))
        let after = try #require(try table.get(.int(1)))
        #expect(after["n"] == .int(999))
        #expect(after["added"] == .bool(true))
        #expect(after.fieldNames == ["id", "g", "n", "note", "added"])
        #expect(try table.select(where: Field("n") == 999).count == 1)
        #expect(try table.select(where: Field("n") == 0).allSatisfy { $0["id"] != .int(1) })
    }

    @Test func anUpdateOfAUniqueFieldStillRefusesADuplicate() throws {
        let table = try makeDatabase().createTable("users")
        try table.createIndex(on: "email", kind: "unique")
        try table.insert(["email": "a@x", "n": 1])
        try table.insert(["email": "b@x", "n": 2])
        let error = captureError { try table.update(key: .int(2), set: ["email": "a@x", "n": 3]) }
        #expect(error?.code == .uniqueViolation)
        #expect(try table.get(.int(2)) == ["id": 2, "email": "b@x", "n": 2])
        try table.update(key: .int(2), set: ["n": 4])
        #expect(try table.get(.int(2))?["n"] == .int(4))
    }
}
