import DictDB
import Testing

/// `Database.execute` runs query-language text through the same calls as the Swift API.
@Suite struct StatementExecutionTests {
    private func staffDatabase() throws -> Database {
        let db = Database()
        try db.execute("CREATE TABLE staff")
        try db.execute(
            """
            INSERT INTO staff VALUES {"name": "Ada", "dept": "eng", "age": 36, "salary": 120.5},
              {"name": "Alan", "dept": "eng", "age": 41}, {"name": "Grace", "dept": "ops", "age": 45, "salary": 99},
              {"name": "Edsger", "dept": "research", "age": 50, "salary": 130}
            """)
        return db
    }

    @Test func selectReturnsWhatTheSwiftQueryReturnsWithColumnsInProjectionOrder() throws {
        let db = try staffDatabase()
        let result = try db.execute("SELECT name, age AS years FROM staff WHERE age > 40 ORDER BY age DESC LIMIT 2")
        let expected = try db.table("staff").select(
            Query(Field("age") > 40).orderBy(.descending("age")).select("name", .field("age", as: "years")).limit(2))
        #expect(result == .rows(columns: ["name", "years"], records: SelectedRows(expected)))
        #expect(expected.map { $0["name"] } == ["Edsger", "Grace"])
    }

    @Test func selectStarListsThePrimaryKeyThenFieldsInFirstSeenOrder() throws {
        let db = try staffDatabase()
        guard case .rows(let columns, let records) = try db.execute("SELECT * FROM staff") else {
            Issue.record("not rows")
            return
        }
        #expect(columns == ["id", "name", "dept", "age", "salary"])
        #expect(records.count == 4)
    }

    @Test func selectStarFollowsTheSchemaOrderBeforeOtherFields() throws {
        let db = Database()
        let table = try db.createTable(
            "t", schema: Schema(fields: [FieldRule("b", .int), FieldRule("a", .string)]))
        try table.insert(["a": "x", "z": true, "b": 1])
        guard case .rows(let columns, _) = try db.execute("SELECT * FROM t") else {
            Issue.record("not rows")
            return
        }
        #expect(columns == ["id", "b", "a", "z"])
    }

    @Test func aggregatesAreOrderedAndPagedByTheirOutputNames() throws {
        let db = try staffDatabase()
        let result = try db.execute(
            "SELECT dept, COUNT(*) AS n, MAX(age) AS oldest FROM staff GROUP BY dept ORDER BY n DESC, dept LIMIT 2")
        #expect(
            result
                == .rows(
                    columns: ["dept", "n", "oldest"],
                    records: [["dept": "eng", "n": 2, "oldest": 41], ["dept": "ops", "n": 1, "oldest": 45]]))
    }

    @Test func writesReportWhatTheyDid() throws {
        let db = try staffDatabase()
        #expect(
            try db.execute("UPDATE staff SET dept = 'ops' WHERE name = 'Alan'") == .updated(table: "staff", count: 1))
        #expect(try db.execute("DELETE FROM staff WHERE salary IS NULL") == .deleted(table: "staff", count: 1))
        #expect(try db.table("staff").count == 3)
        #expect(
            try db.execute("INSERT INTO staff (name, age) VALUES ('Barbara', 30), ('Ken', 31)")
                == .inserted(table: "staff", keys: [5, 6]))
    }

    @Test func aMultiRowInsertIsAllOrNothing() throws {
        let db = Database()
        try db.execute("CREATE TABLE users PRIMARY KEY email")
        expectCode(.duplicateKey) {
            try db.execute(#"INSERT INTO users VALUES {"email": "a@x"}, {"email": "b@x"}, {"email": "a@x"}"#)
        }
        #expect(try db.table("users").count == 0)
    }

    @Test func catalogStatementsCreateAndDropTablesAndIndexes() throws {
        let db = try staffDatabase()
        guard
            case .indexCreated(_, let index) = try db.execute(
                "CREATE UNIQUE INDEX by_name ON staff (name) USING sorted")
        else {
            Issue.record("no index created")
            return
        }
        #expect(index == IndexDefinition(name: "by_name", fields: ["name"], kind: "sorted", unique: true))
        guard case .plan(let plan) = try db.execute("EXPLAIN SELECT * FROM staff WHERE name = 'Ada'") else {
            Issue.record("no plan")
            return
        }
        #expect(!plan.isFullScan)
        #expect(try db.execute("DROP INDEX by_name ON staff") == .indexDropped(table: "staff", name: "by_name"))
        #expect(try db.execute("CREATE TABLE IF NOT EXISTS staff") == .tableCreated(name: "staff", created: false))
        #expect(try db.execute("DROP TABLE staff") == .tableDropped(name: "staff", dropped: true))
        #expect(try db.execute("DROP TABLE IF EXISTS staff") == .tableDropped(name: "staff", dropped: false))
        #expect(db.tableNames.isEmpty)
    }

    @Test func errorsAreTheSwiftAPIsTypedErrors() throws {
        let db = try staffDatabase()
        expectCode(.tableNotFound) { try db.execute("SELECT * FROM payroll") }
        expectCode(.invalidQuery) { try db.execute("SELECT * FORM staff") }
        expectCode(.duplicateKey) { try db.execute(#"INSERT INTO staff VALUES {"id": 1}"#) }
        expectCode(.tableExists) { try db.execute("CREATE TABLE staff") }
        expectCode(.indexNotFound) { try db.execute("DROP INDEX nope ON staff") }
    }

    @Test func textAndSwiftQueriesAgreeOnRandomData() throws {
        var rng = SystemRandomNumberGenerator()
        let db = Database()
        let table = try db.createTable("t")
        let depts: [Value] = ["a", "b", "c", .null, 1, 2.5]
        for _ in 0..<200 {
            var record: Record = ["dept": depts.randomElement(using: &rng) ?? .null]
            if Bool.random(using: &rng) { record.setField("n", to: .int(Int64.random(in: -5...5, using: &rng))) }
            try table.insert(record)
        }
        try table.createIndex(on: "dept")
        try table.createIndex(on: "n", kind: "sorted")
        let conditions: [Condition] = [
            Field("dept") == "a", Field("n") > 2, Field("n").between(-1, 1) || Field("dept") == 1,
            !(Field("dept").in(["a", "b"])), Field("n").isNull && Field("dept") != "c", Field("dept").like("_"),
        ]
        for condition in conditions {
            let query = Query(condition).orderBy(.descending("n"), "id").limit(17).offset(3)
            let text = "SELECT * FROM t WHERE \(condition) ORDER BY n DESC, id LIMIT 17 OFFSET 3"
            guard case .rows(_, let records) = try db.execute(text) else {
                Issue.record("not rows for \(text)")
                continue
            }
            #expect(Array(records) == (try table.select(query)), "\(text)")
        }
    }

    @Test func statementsOnAnOnDiskDatabaseSurviveReopening() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db")
        do {
            let db = try Database.open(at: path)
            try db.execute("CREATE TABLE notes")
            try db.execute(#"INSERT INTO notes VALUES {"text": "one"}, {"text": "two"}"#)
            try db.execute("UPDATE notes SET done = true WHERE text = 'one'")
            try db.execute("CREATE INDEX ON notes (text)")
            try db.close()
        }
        let db = try Database.open(at: path)
        defer { try? db.close() }
        #expect(
            try db.execute("SELECT text, done FROM notes")
                == .rows(
                    columns: ["text", "done"], records: [["text": "one", "done": true], ["text": "two", "done": nil]]))
        #expect(try db.table("notes").indexes.map(\.name) == ["text_hash"])
    }
}

@Suite struct SelectedRowsTests {
    /// Lazily projected rows hold the same records, in the same order, as an eager select, for every shape
    /// of query: projection with aliases and missing fields, ordering, paging, distinct.
    @Test func lazyRowsEqualTheEagerSelectForEveryShapeOfQuery() throws {
        let db = Database()
        let table = try db.createTable("t")
        for i in 0..<200 {
            var record: Record = ["n": .int(Int64(i % 17)), "tag": .string(["a", "b", "c"][i % 3])]
            if i % 5 != 0 { record["extra"] = .double(Double(i) / 4) }
            try table.insert(record)
        }
        let projections: [[ProjectedField]?] = [
            nil, ["n"], [.field("tag", as: "label"), "missing"], ["extra", "id"],
        ]
        for projection in projections {
            for distinct in [false, true] {
                for (offset, limit) in [(0, nil), (3, 10), (190, 50), (-2, 0)] as [(Int, Int?)] {
                    var query = Query(Field("n") > 3).orderBy(.descending("tag"), "n").offset(offset).limit(limit)
                    if let projection { query = query.select(projection) }
                    if distinct { query = query.distinct() }
                    let lazy = try table.selectRows(query)
                    let eager = try table.select(query)
                    #expect(Array(lazy) == eager, "\(query)")
                    #expect(lazy.count == eager.count)
                    #expect(lazy == SelectedRows(eager))
                }
            }
        }
    }

    @Test func rowsAreTheCutTheyWereSelectedFromWhateverIsWrittenLater() throws {
        let db = Database()
        let table = try db.createTable("t")
        try table.insertBatch((0..<10).map { ["n": .int(Int64($0))] })
        let rows = try table.selectRows(Query().select("n"))
        try table.update(set: ["n": -1], where: .all)
        try table.deleteAll()
        #expect(rows.map { $0["n"] } == (0..<10).map { .int(Int64($0)) })
    }
}
