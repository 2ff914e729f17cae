import CustomPlugins
import DictDB
import Testing

@Suite struct TrigramIndexTests {
    func makeIndex() throws -> any TableIndex {
        try TrigramIndexKind().makeIndex(IndexDefinition(name: "t", fields: ["title"], kind: "trigram"))
    }

    @Test func substringsAndPrefixesOfThreeBytesOrMoreAreAnsweredExactly() throws {
        var index = try makeIndex()
        let titles = ["swift on linux", "swiftly", "rust and swift", "sw", "Swift", "ünïcödé swift"]
        for (row, title) in titles.enumerated() { index.insert(key: .string(title), row: row) }
        index.insert(key: ["swift", "linux"], row: 10)
        index.insert(key: 42, row: 11)

        #expect(index.rows(matching: .contains("swift"))?.sorted() == [0, 1, 2, 5, 10])
        #expect(index.rows(matching: .contains("ift o")) == [0])
        #expect(index.rows(matching: .contains("cödé")) == [5])
        #expect(index.rows(matching: .contains("linux"))?.sorted() == [0, 10])
        #expect(index.rows(matching: .prefix("swi"))?.sorted() == [0, 1])
        #expect(index.rows(matching: .contains("tfiws")) == [])
        // Texts without a trigram, and predicates it does not serve, are declined (the planner scans).
        for predicate: IndexPredicate in [.contains("sw"), .contains(""), .prefix("s"), .equal("swiftly")] {
            #expect(index.rows(matching: predicate) == nil, "\(predicate)")
            #expect(index.estimatedRows(matching: predicate) == nil, "\(predicate)")
        }
        #expect(try #require(index.estimatedRows(matching: .contains("swift"))) >= 5)
    }

    @Test func removingAKeyForgetsItsTrigramsButNotAnotherRowsOrKeys() throws {
        var index = try makeIndex()
        index.insert(key: "abcdef", row: 1)
        index.insert(key: "xxabcx", row: 2)
        index.remove(key: "abcdef", row: 1)
        index.remove(key: "never there", row: 2)
        #expect(index.rows(matching: .contains("abc")) == [2])
        #expect(index.rows(matching: .contains("def")) == [])
        #expect(index.statistics.entries == 1)
        index.removeAll()
        #expect(index.rows(matching: .contains("abc")) == [])
        #expect(index.statistics == IndexStatistics(entries: 0, distinctKeys: 0, height: 1))
    }

    @Test func definitionsItCannotServeAreRejected() {
        let kind = TrigramIndexKind()
        for definition in [
            IndexDefinition(name: "two", fields: ["a", "b"], kind: "trigram"),
            IndexDefinition(name: "unique", fields: ["a"], kind: "trigram", unique: true),
            IndexDefinition(name: "options", fields: ["a"], kind: "trigram", options: ["case": "insensitive"]),
        ] {
            expectError(.invalidArgument) { _ = try kind.makeIndex(definition) }
        }
    }

    @Test func thePlannerServesContainsLikeAndSuffixesThroughItWithTheScanAnswer() throws {
        let db = Database(registry: try pluginRegistry())
        let indexed = try db.createTable("indexed")
        let scanned = try db.createTable("scanned")
        try indexed.createIndex(on: "title", kind: "trigram")
        let words = ["swift", "linux", "database", "index", "trigram", "query", "ßtraße", "naïve", "日本語"]
        var seed: UInt64 = 11
        for id in 1...2_000 {
            var title: [String] = []
            for _ in 0..<3 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                title.append(words[Int((seed >> 33) % UInt64(words.count))])
            }
            let record: Record = ["id": .int(Int64(id)), "title": .string(title.joined(separator: " "))]
            try indexed.insert(record)
            try scanned.insert(record)
        }
        let conditions: [Condition] = [
            Field("title").contains("linux data"), Field("title").like("%trig_am%"),
            Field("title").hasSuffix("naïve"), Field("title").like("日本語 %"),
            Field("title").contains("query") && !Field("title").contains("swift"),
            Field("title").contains("ßtr") || Field("title").like("%index index%"),
        ]
        for condition in conditions {
            let plan = try indexed.explain(Query(condition))
            #expect(plan.description.contains("title_trigram"), "\(condition): \(plan)")
            #expect(try indexed.select(where: condition) == scanned.select(where: condition), "\(condition)")
            #expect(try indexed.count(where: condition) == scanned.count(where: condition))
        }
        #expect(try indexed.explain(Query(Field("title").contains("li"))).isFullScan)
        #expect(
            try indexed.select(Query(Field("title").contains("li")))
                == scanned.select(where: Field("title").contains("li")))
    }
}
