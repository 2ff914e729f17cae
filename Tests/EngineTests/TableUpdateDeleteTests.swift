import DictDBAPI
import Engine
import Testing

@Suite struct TableUpdateDeleteTests {
    func people() throws -> Table {
        let table = try makeDatabase().createTable("people")
        try table.createIndex(on: "dept")
        try table.insertBatch([
            ["name": "Ada", "dept": "eng", "age": 36],
            ["name": "Grace", "dept": "eng", "age": 45],
            ["name": "Alan", "dept": "research", "age": 41],
        ])
        return table
    }

    @Test func updateReturnsTheCountAndZeroIsNotAnError() throws {
        let table = try people()
        #expect(try table.update(set: ["level": 2], where: Field("dept") == "eng") == 2)
        #expect(try table.update(set: ["level": 3], where: Field("dept") == "nowhere") == 0)
        #expect(try table.select(where: Field("level") == 2).map { $0["name"] } == ["Ada", "Grace"])
    }

    @Test func updateKeepsIndexesInStep() throws {
        let table = try people()
        try table.update(set: ["dept": "research"], where: Field("name") == "Ada")
        #expect(try table.select(where: Field("dept") == "research").map { $0["name"] } == ["Ada", "Alan"])
        #expect(try table.select(where: Field("dept") == "eng").map { $0["name"] } == ["Grace"])
        #expect(try table.explain(Query(Field("dept") == "eng")).isFullScan == false)
    }

    @Test func updatingThePrimaryKeyReKeysTheRecord() throws {
        let table = try people()
        #expect(try table.update(key: 1, set: ["id": 100]))
        #expect(try table.get(1) == nil)
        #expect(try table.get(100)?["name"] == "Ada")
        #expect(try table.insert(["name": "Next"]) == 101)
        #expect(try table.select().map { $0["name"] } == ["Ada", "Grace", "Alan", "Next"])
    }

    @Test func aPrimaryKeyChangeThatWouldCollideIsRejectedAndChangesNothing() throws {
        let table = try people()
        let before = try table.select()
        #expect(captureError { try table.update(key: 1, set: ["id": 2]) }?.code == .duplicateKey)
        #expect(
            captureError { try table.update(set: ["id": 50], where: Field("dept") == "eng") }?.code == .duplicateKey)
        #expect(captureError { try table.update(key: 1, set: ["id": nil]) }?.code == .invalidKey)
        #expect(try table.select() == before)
    }

    @Test func updateIsAllOrNothingAcrossMatchedRows() throws {
        let table = try people()
        try table.createIndex(on: "badge", kind: "unique")
        let before = try table.select()
        #expect(
            captureError { try table.update(set: ["badge": 7], where: Field("dept") == "eng") }?.code
                == .uniqueViolation)
        #expect(captureError { try table.update(set: ["x": .double(.nan)]) }?.code == .invalidValue)
        #expect(try table.select() == before)
    }

    @Test func twoRecordsCanSwapUniqueValuesThroughOneUpdateEach() throws {
        let table = try makeDatabase().createTable("t")
        try table.createIndex(on: "slot", kind: "unique")
        try table.insertBatch([["slot": 1], ["slot": 2]])
        try table.update(key: 1, set: ["slot": 3])
        try table.update(key: 2, set: ["slot": 1])
        try table.update(key: 1, set: ["slot": 2])
        #expect(try table.select().map { $0["slot"] } == [2, 1])
    }

    @Test func deleteReturnsTheCountAndRemovesFromIndexes() throws {
        let table = try people()
        #expect(try table.delete(where: Field("dept") == "eng") == 2)
        #expect(try table.delete(where: Field("dept") == "eng") == 0)
        #expect(try table.select(where: Field("dept") == "eng").isEmpty)
        #expect(table.count == 1)
        #expect(try table.delete(key: 3))
        #expect(try !table.delete(key: 3))
        #expect(table.count == 0)
    }

    @Test func manyDeletesKeepInsertionOrderThroughCompaction() throws {
        let table = try makeDatabase().createTable("t")
        try table.createIndex(on: "parity")
        try table.insertBatch((0..<5000).map { ["n": .int(Int64($0)), "parity": .int(Int64($0 % 2))] })
        #expect(try table.delete(where: Field("n") < 4000) == 4000)
        let odd = try table.select(where: Field("parity") == 1)
        #expect(odd.count == 500)
        #expect(odd.map { $0["n"].intValue ?? -1 } == Array(stride(from: 4001, to: 5000, by: 2)).map(Int64.init))
        #expect(try table.get(4001)?["n"] == 4000)
        #expect(try table.insert(["n": 5000, "parity": 0]) == 5001)
        #expect(try table.select().last?["n"] == 5000)
    }

    @Test func deleteAllEmptiesTheTableButKeepsCounting() throws {
        let table = try people()
        #expect(try table.deleteAll() == 3)
        #expect(try table.select(where: Field("dept") == "eng").isEmpty)
        #expect(try table.insert(["name": "After"]) == 4)
    }
}
