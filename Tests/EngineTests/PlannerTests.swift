import DictDBAPI
import Engine
import Testing

@Suite struct PlannerTests {
    /// 10,000 rows: `n` 0..<10000, `bucket` = n % 100, `tag` cycles through five strings, `half` = n / 5000.
    func numbers(indexes: [(fields: [String], kind: String)]) throws -> Table {
        let table = try makeDatabase().createTable("numbers")
        for index in indexes { try table.createIndex(on: index.fields, kind: index.kind) }
        try table.insertBatch(
            (0..<10_000).map { i in
                [
                    "n": .int(Int64(i)), "bucket": .int(Int64(i % 100)),
                    "tag": .string(["red", "green", "blue", "gold", "grey"][i % 5]),
                    "half": .int(Int64(i / 5000)),
                ]
            })
        return table
    }

    @Test func rangeQueriesOnASortedIndexExamineOnlyTheirCandidates() throws {
        let table = try numbers(indexes: [(["n"], "sorted")])
        let query = Query(Field("n") >= 100 && Field("n") < 150)
        let plan = try table.explain(query, analyze: true)
        #expect(plan.indexesUsed == ["n_sorted"])
        #expect(plan.rowsExamined == 50)
        #expect(plan.rowsReturned == 50)
        #expect(plan.estimatedRows == 50)
        let between = try table.explain(Query(Field("n").between(10, 19)), analyze: true)
        #expect(between.rowsExamined == 10)
        let scan = try numbers(indexes: []).explain(query, analyze: true)
        #expect(scan.isFullScan)
        #expect(scan.rowsExamined == 10_000)
        #expect(scan.rowsReturned == 50)
    }

    @Test func separateRangeConjunctsOnOneFieldMergeIntoOneRange() throws {
        let table = try numbers(indexes: [(["n"], "sorted")])
        let plan = try table.explain(
            Query(Field("n") > 10 && Field("n") <= 20 && Field("n") < 15 && Field("tag") == "red"))
        #expect(
            plan.access
                == .index(
                    name: "n_sorted",
                    predicate: .range(lower: RangeBound(10, inclusive: false), upper: RangeBound(15, inclusive: false)))
        )
        #expect(plan.estimatedRows == 4)
    }

    @Test func orderByWithLimitOnAnOrderedIndexReadsOnlyTheFirstRows() throws {
        let table = try numbers(indexes: [(["n"], "sorted")])
        let query = Query().orderBy(.descending("n")).limit(3)
        let plan = try table.explain(query, analyze: true)
        #expect(plan.providesOrder)
        #expect(plan.rowsExamined == 3)
        #expect(try table.select(query).map { $0["n"] } == [9999, 9998, 9997])
        let filtered = try table.explain(Query(Field("tag") == "gold").orderBy("n").offset(2).limit(2), analyze: true)
        #expect(filtered.providesOrder)
        #expect(filtered.rowsExamined == 19)
        #expect(
            try table.select(Query(Field("tag") == "gold").orderBy("n").offset(2).limit(2)).map { $0["n"] } == [13, 18])
    }

    @Test func aRangeOnTheSortFieldIsWalkedInOrder() throws {
        let table = try numbers(indexes: [(["n"], "sorted")])
        let query = Query(Field("n") >= 500).orderBy("n").limit(5)
        let plan = try table.explain(query, analyze: true)
        #expect(
            plan.access
                == .orderedIndex(
                    name: "n_sorted", predicate: .range(lower: RangeBound(500, inclusive: true), upper: nil),
                    ascending: true))
        #expect(plan.rowsExamined == 5)
        #expect(try table.select(query).map { $0["n"] } == [500, 501, 502, 503, 504])
    }

    @Test func orderedWalksKeepTiesInInsertionOrderInBothDirections() throws {
        let table = try numbers(indexes: [(["bucket"], "sorted")])
        for descending in [false, true] {
            let query = Query().orderBy(SortKey("bucket", descending: descending)).limit(250)
            #expect(try table.explain(query).providesOrder)
            let indexed = try table.select(query)
            let scanned = try numbers(indexes: []).select(query)
            #expect(indexed == scanned)
        }
    }

    @Test func aSelectiveFilterIndexBeatsWalkingTheSortIndex() throws {
        let table = try numbers(indexes: [(["n"], "sorted"), (["bucket"], "hash")])
        let plan = try table.explain(Query(Field("bucket") == 7).orderBy("n"))
        #expect(plan.access == .index(name: "bucket_hash", predicate: .equal(7)))
        #expect(!plan.providesOrder)
    }

    @Test func compositeIndexesServeEqualityPrefixesAndARangeOnTheNextField() throws {
        let table = try numbers(indexes: [(["half", "bucket"], "composite")])
        let full = try table.explain(Query(Field("half") == 1 && Field("bucket") == 3), analyze: true)
        #expect(full.access == .index(name: "half_bucket_composite", predicate: .equal([1, 3])))
        #expect(full.rowsExamined == 50)
        let ranged = try table.explain(Query(Field("half") == 0 && Field("bucket") < 2), analyze: true)
        #expect(
            ranged.access
                == .index(
                    name: "half_bucket_composite",
                    predicate: .compositeRange(equal: [0], lower: nil, upper: RangeBound(2, inclusive: false))))
        #expect(ranged.rowsExamined == 100)
        #expect(ranged.rowsReturned == 100)
        let prefix = try table.explain(Query(Field("half") == 1), analyze: true)
        #expect(prefix.rowsExamined == 5000)
        #expect(try table.explain(Query(Field("bucket") == 3)).isFullScan)
        let ordered = try table.explain(Query().orderBy("half", "bucket").limit(4), analyze: true)
        #expect(ordered.providesOrder)
        #expect(ordered.rowsExamined == 4)
    }

    @Test func prefixConditionsUseASortedStringIndex() throws {
        let table = try numbers(indexes: [(["tag"], "sorted")])
        for condition in [Field("tag").hasPrefix("gr"), Field("tag").like("gr%"), Field("tag").like("gr_y")] {
            let plan = try table.explain(Query(condition), analyze: true)
            #expect(plan.indexesUsed == ["tag_sorted"])
            #expect(plan.rowsExamined == 4000)
        }
        #expect(try table.count(where: Field("tag").like("gr_y")) == 2000)
        #expect(try table.explain(Query(Field("tag").ilike("gr%"))).isFullScan)
    }

    @Test func plansAreCodableAndReadable() throws {
        let table = try numbers(indexes: [(["n"], "sorted")])
        let plan = try table.explain(Query(Field("n") < 3), analyze: true)
        #expect(plan.description == "INDEX numbers.n_sorted (< 3) ~3 rows WHERE n < 3; examined 3, returned 3")
        let encoded = try ValueEncoder().encode(plan)
        #expect(try ValueDecoder().decode(Plan.self, from: encoded) == plan)
    }
}
