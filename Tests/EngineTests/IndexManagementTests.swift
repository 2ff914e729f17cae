import DictDBAPI
import Engine
import Testing

@Suite struct IndexManagementTests {
    @Test func createIndexBuildsOnExistingData() throws {
        let table = try makeDatabase().createTable("t")
        try table.insertBatch([["c": "x"], ["c": "y"], ["c": "x"]])
        let definition = try table.createIndex(on: "c")
        #expect(definition == IndexDefinition(name: "c_hash", fields: ["c"], kind: "hash"))
        #expect(try table.indexStatistics()["c_hash"] == IndexStatistics(entries: 3, distinctKeys: 2))
        #expect(try table.explain(Query(Field("c") == "x")).estimatedRows == 2)
    }

    @Test func aUniqueIndexThatExistingDataViolatesIsRejectedWithTheOffendingKey() throws {
        let table = try makeDatabase().createTable("t")
        try table.insertBatch([["e": "a"], ["e": "b"], ["e": "a"]])
        let error = captureError { try table.createIndex(on: "e", kind: "unique") }
        #expect(error?.code == .uniqueViolation)
        #expect(error?.context.key == "a")
        #expect(table.indexes.isEmpty)
    }

    @Test func duplicateNamesUnknownKindsAndBadFieldsAreTypedErrors() throws {
        let table = try makeDatabase().createTable("t")
        try table.createIndex(on: "a", name: "idx")
        #expect(captureError { try table.createIndex(on: "b", name: "idx") }?.code == .indexExists)
        let unknown = captureError { try table.createIndex(on: "a", kind: "rtree") }
        #expect(unknown?.code == .unknownPlugin)
        #expect(unknown?.message.contains("composite, hash, sorted, unique") == true)
        #expect(captureError { try table.createIndex(on: [String]()) }?.code == .invalidArgument)
        #expect(captureError { try table.createIndex(on: ["a", "a"]) }?.code == .invalidArgument)
        #expect(captureError { try table.createIndex(on: "a", options: ["fanout": "9"]) }?.code == .invalidArgument)
    }

    @Test func dropIndexRemovesItAndQueriesFallBackToScans() throws {
        let table = try makeDatabase().createTable("t")
        try table.insert(["a": 1])
        try table.createIndex(on: "a", name: "by_a")
        #expect(try table.explain(Query(Field("a") == 1)).isFullScan == false)
        try table.dropIndex(named: "by_a")
        #expect(table.indexes.isEmpty)
        #expect(try table.explain(Query(Field("a") == 1)).isFullScan)
        #expect(try table.select(where: Field("a") == 1).count == 1)
        let error = captureError { try table.dropIndex(named: "by_a") }
        #expect(error?.code == .indexNotFound)
    }

    @Test func compositeHashIndexesServeNothingYetButStayConsistent() throws {
        let table = try makeDatabase().createTable("t")
        try table.createIndex(on: ["a", "b"], kind: "unique")
        try table.insert(["a": 1, "b": 2])
        try table.insert(["a": 1, "b": 3])
        try table.insert(["a": 1, "b": nil])
        try table.insert(["a": 1, "b": nil])
        #expect(captureError { try table.insert(["a": 1.0, "b": 2]) }?.code == .uniqueViolation)
    }

    @Test func planningPicksTheMostSelectiveConjunct() throws {
        let table = try makeDatabase().createTable("t")
        try table.createIndex(on: "common")
        try table.createIndex(on: "rare")
        for i in 0..<100 { try table.insert(["common": "x", "rare": .int(Int64(i))]) }
        let plan = try table.explain(Query(Field("common") == "x" && Field("rare") == 5))
        #expect(plan.access == .index(name: "rare_hash", predicate: .equal(5)))
        #expect(plan.estimatedRows == 1)
        let union = try table.explain(Query(Field("rare") == 1 || Field("rare").in([2, 3])))
        #expect(union.description.hasPrefix("UNION"))
        #expect(try table.explain(Query(Field("rare") == 1 || Field("other") == 2)).isFullScan)
    }
}

@Suite struct IndexKindsInTablesTests {
    @Test func rebuildingAnIndexKeepsItsPlaceAndAnswers() throws {
        let table = try makeDatabase().createTable("t")
        try table.createIndex(on: "a")
        try table.createIndex(on: "b", kind: "sorted")
        try table.insertBatch([["a": 1, "b": 2], ["a": 1, "b": 3]])
        try table.rebuildIndex(named: "a_hash")
        #expect(table.indexes.map(\.name) == ["a_hash", "b_sorted"])
        #expect(try table.select(where: Field("a") == 1).count == 2)
        #expect(try table.indexStatistics()["a_hash"]?.entries == 2)
        #expect(captureError { try table.rebuildIndex(named: "zzz") }?.code == .indexNotFound)
    }

    @Test func uniquenessHoldsForSortedAndCompositeKeys() throws {
        let table = try makeDatabase().createTable("t")
        try table.createIndex(on: "email", kind: "sorted", unique: true)
        try table.createIndex(on: ["first", "last"], kind: "composite", unique: true)
        try table.insert(["email": "a@x", "first": "Ada", "last": "L"])
        #expect(captureError { try table.insert(["email": "a@x"]) }?.code == .uniqueViolation)
        #expect(captureError { try table.insert(["first": "Ada", "last": "L"]) }?.code == .uniqueViolation)
        #expect(captureError { try table.upsert(["id": 1, "email": "b@x", "first": "Ada", "last": "L"]) } == nil)
        try table.insert(["first": "Ada", "last": "K"])
        #expect(
            captureError { try table.update(set: ["last": "L"], where: Field("last") == "K") }?.code == .uniqueViolation
        )
        try table.insertBatch([["first": "Ada"], ["first": "Ada"]])
        #expect(table.count == 4)
    }

    @Test func sortedIndexesAcceptEveryKindOfValue() throws {
        let table = try makeDatabase().createTable("t")
        try table.createIndex(on: "v", kind: "sorted")
        let values: [Value] = [nil, true, 3, 2.5, "s", [1, "x"], ["k": [nil]], .int(.min), -0.0]
        try table.insertBatch(values.map { ["v": $0] })
        #expect(try table.select(Query().orderBy("v")).map { $0["v"] } == values.sorted())
        #expect(try table.select(where: Field("v") > 2).map { $0["v"] } == [3, 2.5])
    }
}
