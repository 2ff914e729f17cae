import DictDBAPI
import DictDBQuery
import Testing

/// Every statement form parses into the values the Swift API builds.
@Suite struct StatementParsingTests {
    @Test func selectStarIsAQueryWithoutProjection() throws {
        #expect(try QueryParser.parse("SELECT * FROM users") == .select(table: "users", query: Query()))
        #expect(try QueryParser.parse("select * from users;") == .select(table: "users", query: Query()))
    }

    @Test func selectWithEveryClauseBuildsTheSameQueryAsTheDSL() throws {
        let statement = try QueryParser.parse(
            """
            SELECT DISTINCT name, age AS years FROM "user table"
            WHERE age >= 18 AND dept IN ('eng', 'ops')
            ORDER BY age DESC, name ASC, city
            LIMIT 10 OFFSET 20
            """)
        let expected = Query(Field("age") >= 18 && Field("dept").in(["eng", "ops"]))
            .select("name", .field("age", as: "years"))
            .distinct()
            .orderBy(.descending("age"), .ascending("name"), "city")
            .limit(10)
            .offset(20)
        #expect(statement == .select(table: "user table", query: expected))
    }

    @Test func offsetMayComeBeforeLimitAndNegativePagesPassThrough() throws {
        let statement = try QueryParser.parse("SELECT * FROM t OFFSET 5 LIMIT -1")
        #expect(statement == .select(table: "t", query: Query().offset(5).limit(-1)))
    }

    @Test func aggregatesWithoutGroupByFormOneGroup() throws {
        let statement = try QueryParser.parse(
            "SELECT COUNT(*), count(email), SUM(x), AVG(x) AS mean, MIN(x), MAX(x) FROM t WHERE x > 0")
        var query = AggregateQuery(Field("x") > 0)
        query.aggregates = [.count(), .count("email"), .sum("x"), .average("x", as: "mean"), .min("x"), .max("x")]
        #expect(statement == .aggregate(table: "t", query: query, ordering: [], limit: nil, offset: 0))
        guard case .aggregate(_, let parsed, _, _, _) = statement else { return }
        #expect(parsed.aggregates.map(\.alias) == ["count", "count(email)", "sum(x)", "mean", "min(x)", "max(x)"])
    }

    @Test func groupByWithOrderingByAliasAndByAggregateCall() throws {
        let statement = try QueryParser.parse(
            """
            SELECT dept, COUNT(*) AS n, AVG(salary) FROM staff
            WHERE active = true GROUP BY dept
            ORDER BY n DESC, AVG(salary), dept LIMIT 3 OFFSET 1
            """)
        let query = AggregateQuery(Field("active") == true)
            .groupBy("dept")
            .compute(.count(as: "n"), .average("salary"))
        #expect(
            statement
                == .aggregate(
                    table: "staff", query: query,
                    ordering: [.descending("n"), .ascending("avg(salary)"), .ascending("dept")], limit: 3, offset: 1))
    }

    @Test func groupByAloneIsAnAggregateWithoutFunctions() throws {
        let statement = try QueryParser.parse("SELECT a, b FROM t GROUP BY a, b")
        let query = AggregateQuery().groupBy("a", "b")
        #expect(statement == .aggregate(table: "t", query: query, ordering: [], limit: nil, offset: 0))
    }

    @Test func aggregateFunctionNamesAreOrdinaryFieldsWithoutParentheses() throws {
        let statement = try QueryParser.parse("SELECT count, sum AS total FROM t")
        #expect(statement == .select(table: "t", query: Query().select("count", .field("sum", as: "total"))))
    }

    @Test func insertJSONObjectsKeepsIntsIntsAndDoublesDoubles() throws {
        let statement = try QueryParser.parse(
            #"INSERT INTO users VALUES {"name": "Ada", "age": 36, "score": 1.0, "tags": ["x"], "m": null}, {"name": "Bob"}"#
        )
        guard case .insert(let table, let records) = statement else {
            Issue.record("not an insert: \(statement)")
            return
        }
        #expect(table == "users")
        #expect(records.count == 2)
        #expect(records.first?.description == #"{"name":"Ada","age":36,"score":1.0,"tags":["x"],"m":null}"#)
        #expect(records.last == ["name": "Bob"])
    }

    @Test func insertAcceptsOneJSONArrayOfObjects() throws {
        let statement = try QueryParser.parse(#"INSERT INTO t VALUES [{"a": 1}, {"a": 2}]"#)
        #expect(statement == .insert(table: "t", records: [["a": 1], ["a": 2]]))
    }

    @Test func insertWithAColumnListBuildsRecordsInColumnOrder() throws {
        let statement = try QueryParser.parse("INSERT INTO t (a, b, \"c d\") VALUES (1, 'x', NULL), (2.5, 'y', [1, 2])")
        #expect(
            statement
                == .insert(
                    table: "t",
                    records: [["a": 1, "b": "x", "c d": nil], ["a": .double(2.5), "b": "y", "c d": [1, 2]]]))
        guard case .insert(_, let records) = statement else { return }
        #expect(records.first?.fieldNames == ["a", "b", "c d"])
    }

    @Test func updateSetsFieldsWithAndWithoutWhere() throws {
        #expect(
            try QueryParser.parse("UPDATE t SET a = 1, b = 'two' WHERE c IS NULL")
                == .update(table: "t", set: ["a": 1, "b": "two"], condition: .isNull(field: "c")))
        #expect(
            try QueryParser.parse("UPDATE t SET a = -1.5") == .update(table: "t", set: ["a": -1.5], condition: .all))
    }

    @Test func deleteWithAndWithoutWhere() throws {
        #expect(
            try QueryParser.parse("DELETE FROM logs WHERE level = 'debug' OR level = 'trace'")
                == .delete(table: "logs", condition: Field("level") == "debug" || Field("level") == "trace"))
        #expect(try QueryParser.parse("delete from logs") == .delete(table: "logs", condition: .all))
    }

    @Test func createTableWithOptionsInEitherOrder() throws {
        #expect(
            try QueryParser.parse("CREATE TABLE t")
                == .createTable(name: "t", primaryKey: nil, keyGenerator: nil, ifNotExists: false))
        #expect(
            try QueryParser.parse("CREATE TABLE IF NOT EXISTS users PRIMARY KEY email KEYS uuid7")
                == .createTable(name: "users", primaryKey: "email", keyGenerator: "uuid7", ifNotExists: true))
        #expect(
            try QueryParser.parse("create table t keys autoincrement primary key \"my id\"")
                == .createTable(name: "t", primaryKey: "my id", keyGenerator: "autoincrement", ifNotExists: false))
    }

    @Test func dropTableWithAndWithoutIfExists() throws {
        #expect(try QueryParser.parse("DROP TABLE t") == .dropTable(name: "t", ifExists: false))
        #expect(try QueryParser.parse("DROP TABLE IF EXISTS t") == .dropTable(name: "t", ifExists: true))
    }

    @Test func createIndexDefaultsToHashOrCompositeAndTakesAnyKind() throws {
        #expect(
            try QueryParser.parse("CREATE INDEX ON t (a)")
                == .createIndex(table: "t", name: nil, fields: ["a"], kind: "hash", unique: false))
        #expect(
            try QueryParser.parse("CREATE INDEX by_ab ON t (a, b)")
                == .createIndex(table: "t", name: "by_ab", fields: ["a", "b"], kind: "composite", unique: false))
        #expect(
            try QueryParser.parse("CREATE UNIQUE INDEX email_idx ON users (email) USING sorted")
                == .createIndex(table: "users", name: "email_idx", fields: ["email"], kind: "sorted", unique: true))
        #expect(
            try QueryParser.parse("CREATE INDEX ON t (a) USING my_plugin_kind")
                == .createIndex(table: "t", name: nil, fields: ["a"], kind: "my_plugin_kind", unique: false))
    }

    @Test func dropIndexNamesIndexAndTable() throws {
        #expect(try QueryParser.parse("DROP INDEX by_ab ON t") == .dropIndex(table: "t", name: "by_ab"))
    }

    @Test func explainWrapsASelectOrAggregate() throws {
        #expect(
            try QueryParser.parse("EXPLAIN SELECT * FROM t WHERE a = 1")
                == .explain(.select(table: "t", query: Query(Field("a") == 1))))
        let aggregate = try QueryParser.parse("EXPLAIN SELECT COUNT(*) FROM t")
        guard case .explain(.aggregate) = aggregate else {
            Issue.record("not an explained aggregate: \(aggregate)")
            return
        }
        #expect(aggregate.table == "t")
        #expect(aggregate.isReadOnly)
    }

    @Test func scriptsSplitOnSemicolonsAndSkipEmptyStatementsAndComments() throws {
        let statements = try QueryParser.parseScript(
            """
            -- set up
            CREATE TABLE t;;
            INSERT INTO t VALUES {"a": 1}; -- one row
            SELECT * FROM t -- all of it
            ;
            """)
        #expect(
            statements == [
                .createTable(name: "t", primaryKey: nil, keyGenerator: nil, ifNotExists: false),
                .insert(table: "t", records: [["a": 1]]), .select(table: "t", query: Query()),
            ])
        #expect(try QueryParser.parseScript("  -- nothing\n ; ;") == [])
    }

    @Test func keywordsAreCaseInsensitiveAndQuotedNamesMayBeKeywords() throws {
        #expect(
            try QueryParser.parse(#"sElEcT "select", "from" As "where" FrOm "order" wHeRe "limit" = 1 OrDeR bY "by""#)
                == .select(
                    table: "order",
                    query: Query(Field("limit") == 1).select("select", .field("from", as: "where")).orderBy("by")))
    }

    @Test func statementsReportTheirTableAndWhetherTheyWrite() throws {
        #expect(try QueryParser.parse("UPDATE u SET a = 1").table == "u")
        #expect(try QueryParser.parse("DROP TABLE x").table == "x")
        #expect(try !QueryParser.parse("INSERT INTO t VALUES {}").isReadOnly)
        #expect(try QueryParser.parse("SELECT * FROM t").isReadOnly)
    }
}
