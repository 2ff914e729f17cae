import CustomPlugins
import DictDB
import Testing

/// A database described by plugin names alone: every plugin of this package at work in one on-disk
/// database, through writes, a close, a reopen and queries.
@Suite struct EndToEndTests {
    static let configurationText = """
        {
          "codec": "ndjson", "compressor": "zstd", "syncPolicy": "every-64",
          "tables": [
            {"name": "articles", "keyGenerator": "ulid",
             "indexes": [{"fields": ["title"], "kind": "trigram"}, {"fields": ["year"], "kind": "sorted"}]}
          ]
        }
        """

    @Test func aDatabaseConfiguredByPluginNamesWritesReloadsAndQueriesThroughTheNewIndex() throws {
        try withTemporaryDirectory { directory in
            let registry = try pluginRegistry()
            let configuration = try Configuration(json: Self.configurationText)
            let path = directory + "/library"
            var keys: [Value] = []
            do {
                let db = try Database.open(at: path, configuration: configuration, registry: registry)
                let articles = try db.table("articles")
                for year in 2000..<2100 {
                    let title = "notes on \(year % 7 == 0 ? "trigram indexes" : "swift") in \(year)"
                    keys.append(try articles.insert(["title": .string(title), "year": .int(Int64(year))]))
                }
                try articles.update(set: ["title": "a trigram retrospective"], where: Field("year") == 2099)
                try db.close()
            }

            let db = try Database.open(at: path, configuration: configuration, registry: registry)
            let articles = try db.table("articles")
            #expect(try articles.count(where: .all) == 100)
            #expect(keys.compactMap(\.stringValue) == keys.compactMap(\.stringValue).sorted())
            let plan = try articles.explain(Query(Field("title").like("%trigram%")))
            #expect(plan.description.contains("articles.title_trigram"), "\(plan)")
            #expect(plan.description.contains(#"CONTAINS "trigram""#), "\(plan)")
            let newest = Query(Field("title").like("%trigram%")).orderBy(.descending("year")).limit(3)
            #expect(try articles.select(newest).map { $0["year"] } == [2099, 2093, 2086])
            #expect(try articles.count(where: Field("title").contains("trigram")) == 15)

            // Text queries take the same path.
            let result = try db.execute("SELECT year FROM articles WHERE title LIKE '%retro%'")
            guard case .rows(let columns, let records) = result else {
                Issue.record("a SELECT returned \(result)")
                return
            }
            #expect(columns == ["year"])
            #expect(records.map { $0["year"] } == [2099])
            let next = try articles.insert(["title": "after the reopen", "year": 2100])
            #expect(try #require(next.stringValue) > (keys.last?.stringValue ?? ""))
            try db.close()

            // A registry without the plugins cannot open it, and says which one is missing.
            expectError(.unknownPlugin) { _ = try Database.open(at: path, options: OpenOptions(), registry: .standard) }
        }
    }
}
