import DictDBAPI
import Engine
import Testing

@Suite struct TableSelectTests {
    func scores() throws -> Table {
        let table = try makeDatabase().createTable("scores")
        try table.createIndex(on: "team")
        try table.insertBatch([
            ["name": "a", "team": "red", "score": 3],
            ["name": "b", "team": "blue", "score": nil],
            ["name": "c", "team": "red", "score": 1.5],
            ["name": "d", "team": "blue", "score": 3],
            ["name": "e"],
            ["name": "f", "team": "red", "score": "n/a"],
        ])
        return table
    }

    func names(_ rows: [Record]) -> [String] { rows.map { $0["name"].stringValue ?? "?" } }

    @Test func resultsWithoutOrderByComeInInsertionOrderWhateverPlanServedThem() throws {
        let table = try scores()
        let byIndex = Query(Field("team") == "red" || Field("team") == "blue")
        #expect(try table.explain(byIndex).isFullScan == false)
        #expect(names(try table.select(byIndex)) == ["a", "b", "c", "d", "f"])
        try table.update(set: ["team": "blue"], where: Field("name") == "a")
        #expect(names(try table.select(where: Field("team") == "blue")) == ["a", "b", "d"])
        #expect(names(try table.select(where: Field("id").in([6, 1, 3]))) == ["a", "c", "f"])
    }

    @Test func orderByPutsNullsFirstAscendingAndLastDescending() throws {
        let table = try scores()
        #expect(names(try table.select(Query().orderBy("score"))) == ["b", "e", "c", "a", "d", "f"])
        #expect(names(try table.select(Query().orderBy(.descending("score")))) == ["f", "a", "d", "c", "b", "e"])
    }

    @Test func orderByIsStableAcrossSeveralFields() throws {
        let table = try scores()
        let rows = try table.select(Query().orderBy("team", .descending("name")))
        #expect(names(rows) == ["e", "d", "b", "f", "c", "a"])
    }

    @Test func projectionRenamesFieldsAndProjectsMissingOnesAsNull() throws {
        let table = try scores()
        let rows = try table.select(Query(Field("name") == "e").select("name", .field("team", as: "side")))
        #expect(rows == [["name": "e", "side": nil]])
        #expect(rows.first?.fieldNames == ["name", "side"])
    }

    @Test func distinctAppliesBeforeOffsetAndLimit() throws {
        let table = try scores()
        let teams = Query().select("team").distinct()
        #expect(try table.select(teams) == [["team": "red"], ["team": "blue"], ["team": nil]])
        #expect(try table.select(teams.offset(1).limit(1)) == [["team": "blue"]])
    }

    @Test func pagingTreatsNegativeOffsetAsZeroAndNilOrNegativeLimitAsAll() throws {
        let table = try scores()
        #expect(names(try table.select(Query().offset(-5).limit(2))) == ["a", "b"])
        #expect(try table.select(Query().limit(-1)).count == 6)
        #expect(try table.select(Query().limit(nil)).count == 6)
        #expect(try table.select(Query().offset(6)).isEmpty)
        #expect(try table.select(Query().offset(100).limit(3)).isEmpty)
        #expect(names(try table.select(Query().offset(4).limit(100))) == ["e", "f"])
        #expect(try table.select(Query().limit(0)).isEmpty)
        #expect(try table.select(Query().offset(2).limit(Int.max)).count == 4)
    }

    @Test func rangeConditionsOnlyMatchTheOperandsKind() throws {
        let table = try scores()
        #expect(names(try table.select(where: Field("score") >= 1.5)) == ["a", "c", "d"])
        #expect(names(try table.select(where: Field("score") > "a")) == ["f"])
        #expect(names(try table.select(where: !(Field("score") >= 1.5))) == ["b", "e", "f"])
    }

    @Test func countAndFirstFollowTheSameCondition() throws {
        let table = try scores()
        #expect(try table.count(where: Field("team") == "red") == 3)
        #expect(try table.count(where: .all) == 6)
        #expect(try table.first(Query(Field("team") == "blue").orderBy(.descending("name")))?["name"] == "d")
        #expect(try table.first(Query(Field("team") == "green")) == nil)
    }

    @Test func primaryKeyEqualityIsPlannedAsAKeyLookup() throws {
        let table = try scores()
        let plan = try table.explain(Query(Field("id") == 3 && Field("name") != "x"))
        #expect(plan.access == .primaryKey([3]))
        #expect(plan.description.hasPrefix("KEY LOOKUP scores"))
        #expect(try table.explain(Query(Field("name").hasSuffix("x"))).isFullScan)
    }

    @Test func malformedQueriesAreTypedErrors() throws {
        let table = try scores()
        #expect(captureError { try table.select(where: Field("") == 1) }?.code == .invalidQuery)
        #expect(captureError { try table.select(where: Field("a") > Double.infinity) }?.code == .invalidValue)
        #expect(captureError { try table.select(Query().select("a", .field("b", as: "a"))) }?.code == .invalidQuery)
        #expect(captureError { try table.delete(where: Field("a").like("x\\", escape: "\\")) }?.code == .invalidQuery)
    }
}
