import Testing

/// `dictdb query`, run as a process: output formats, statements from stdin, and its errors.
@Suite struct QueryCommandTests {
    /// A database `db` with three people (Alan has no age, Grace no note).
    static func makePeople(in sandbox: CLISandbox) async throws {
        try sandbox.write(
            """
            name,age,score,note
            Ada,36,1.5,"hi, there"
            Alan,,2,"say ""x\"""
            Grace,85,99.25,

            """, to: "people.csv")
        try await sandbox.prepare("init", "--db", "db")
        try await sandbox.prepare("import", "people.csv", "--table", "people", "--db", "db")
        // Commands close without a checkpoint; compacting puts the data in the snapshot the tests copy.
        try await sandbox.prepare("compact", "--db", "db")
    }

    @Test func printsRowsAsAnAlignedTableWithAHeaderAndARowCount() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await Self.makePeople(in: sandbox)

        let result = try await sandbox.run("query", "SELECT * FROM people ORDER BY id", "--db", "db")
        result.expectSuccess()
        #expect(
            result.stdout == """
                id | name  |  age | score | note
                ---+-------+------+-------+----------
                 1 | Ada   |   36 |   1.5 | hi, there
                 2 | Alan  | NULL |     2 | say "x"
                 3 | Grace |   85 | 99.25 | NULL
                (3 rows)

                """)

        let one = try await sandbox.run("query", "SELECT name, age FROM people WHERE age > 40", "--db", "db")
        one.expectSuccess()
        #expect(one.stdoutLines == ["name  | age", "------+----", "Grace |  85", "(1 row)"])

        let none = try await sandbox.run("query", "SELECT name FROM people WHERE age > 400", "--db", "db")
        none.expectSuccess()
        #expect(none.stdoutLines == ["name", "----", "(0 rows)"])
    }

    @Test func printsCSVExactly() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await Self.makePeople(in: sandbox)

        let result = try await sandbox.run(
            "query", "SELECT * FROM people ORDER BY id", "--db", "db", "--format", "csv")
        result.expectSuccess()
        #expect(
            result.stdout
                == .csv(
                    "id,name,age,score,note", #"1,Ada,36,1.5,"hi, there""#, #"2,Alan,,2,"say ""x""""#,
                    "3,Grace,85,99.25,"))
    }

    @Test func printsJSONAndNDJSONExactlyWithMissingFieldsAsNull() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await Self.makePeople(in: sandbox)

        let json = try await sandbox.run("query", "SELECT * FROM people ORDER BY id", "--db", "db", "--format", "json")
        json.expectSuccess()
        #expect(
            json.stdout == """
                [
                {"id":1,"name":"Ada","age":36,"score":1.5,"note":"hi, there"},
                {"id":2,"name":"Alan","age":null,"score":2,"note":"say \\"x\\""},
                {"id":3,"name":"Grace","age":85,"score":99.25,"note":null}
                ]

                """)

        let ndjson = try await sandbox.run(
            "query", "SELECT name, age FROM people ORDER BY id", "--db", "db", "--format", "ndjson")
        ndjson.expectSuccess()
        #expect(
            ndjson.stdout == """
                {"name":"Ada","age":36}
                {"name":"Alan","age":null}
                {"name":"Grace","age":85}

                """)
    }

    @Test func reportsWritesAsSummariesOrAsRecordsInMachineFormats() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await Self.makePeople(in: sandbox)

        let insert = try await sandbox.run(
            "query", #"INSERT INTO people VALUES {"name": "Edsger", "age": 72}"#, "--db", "db", "--format", "json")
        insert.expectSuccess()
        #expect(insert.stdout == "[\n{\"table\":\"people\",\"inserted\":1,\"keys\":[4]}\n]\n")

        let update = try await sandbox.run(
            "query", "UPDATE people SET age = 37 WHERE name = 'Ada'", "--db", "db", "--format", "ndjson")
        update.expectSuccess()
        #expect(update.stdout == "{\"table\":\"people\",\"updated\":1}\n")

        let delete = try await sandbox.run("query", "DELETE FROM people WHERE name = 'Edsger'", "--db", "db")
        delete.expectSuccess()
        #expect(delete.stdout == "deleted 1 record from people\n")

        let aggregate = try await sandbox.run(
            "query", "SELECT COUNT(*) AS n, AVG(age) AS mean FROM people", "--db", "db", "--format", "csv")
        aggregate.expectSuccess()
        #expect(aggregate.stdout == .csv("n,mean", "3,61.0"))
    }

    @Test func runsSeveralStatementsInOrder() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")

        let result = try await sandbox.run(
            "query", "CREATE TABLE t; INSERT INTO t VALUES {\"a\": 1}, {\"a\": 2}; SELECT a FROM t ORDER BY a DESC",
            "--db", "db")
        result.expectSuccess()
        #expect(
            result.stdoutLines == [
                "created table t", "inserted 2 records into t", "a", "-", "2", "1", "(2 rows)",
            ])

        let csv = try await sandbox.run(
            "query", "INSERT INTO t VALUES {\"a\": 3}; SELECT a FROM t WHERE a > 1", "--db", "db", "--format", "csv")
        csv.expectSuccess()
        #expect(csv.stdoutLines == ["table,inserted,keys", "t,1,[3]", "a", "2", "3"])
    }

    @Test func stopsAtTheFirstFailingStatementAndKeepsTheOnesBefore() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")
        try await sandbox.prepare("query", "CREATE TABLE t", "--db", "db")

        let result = try await sandbox.run(
            "query", "INSERT INTO t VALUES {\"a\": 1}; SELECT * FROM nope; INSERT INTO t VALUES {\"a\": 2}",
            "--db", "db")
        #expect(result.status == 3, "\(result)")
        #expect(result.stdout == "inserted 1 record into t\n")
        #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("error: "), "\(result)")
        #expect(result.stderr.contains("nope"))

        let count = try await sandbox.run("query", "SELECT COUNT(*) AS n FROM t", "--db", "db", "--format", "csv")
        #expect(count.stdout == .csv("n", "1"))
    }

    @Test func readsStatementsFromStdinGivenADashOrNoStatement() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await Self.makePeople(in: sandbox)

        let script = "SELECT name\nFROM people\nWHERE age IS NULL;\nSELECT COUNT(*) AS n FROM people\n"
        let dash = try await sandbox.run("query", "-", "--db", "db", "--format", "csv", stdin: script)
        dash.expectSuccess()
        #expect(dash.stdout == .csv("name", "Alan", "n", "3"))

        let bare = try await sandbox.run("query", "--db", "db", "--format", "csv", stdin: script)
        bare.expectSuccess()
        #expect(bare.stdout == dash.stdout)

        let empty = try await sandbox.run("query", "--db", "db")
        empty.expectFailure(2, mentioning: "no statement")
    }

    @Test func pointsAtASyntaxErrorWithItsLineColumnAndACaret() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await Self.makePeople(in: sandbox)

        let misspelt = try await sandbox.run("query", "SELECT * FORM people", "--db", "db")
        misspelt.expectSyntaxError(line: 1, column: 10)
        #expect(misspelt.stdout.isEmpty)
        #expect(misspelt.stderrLines.dropFirst().first == "SELECT * FORM people")

        let unfinished = try await sandbox.run("query", "SELECT name FROM people WHERE age >", "--db", "db")
        unfinished.expectSyntaxError(line: 1, column: 36)

        let secondLine = try await sandbox.run(
            "query", "-", "--db", "db", stdin: "SELECT name\nFROM people WHERE age = = 3\n")
        secondLine.expectSyntaxError(line: 2, column: 25)
        #expect(secondLine.stderrLines.dropFirst().first == "FROM people WHERE age = = 3")
    }

    @Test func reportsAnUnknownTableAsNotFound() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await Self.makePeople(in: sandbox)

        let result = try await sandbox.run("query", "SELECT * FROM nosuch", "--db", "db")
        result.expectFailure(3, mentioning: "nosuch")
    }

    @Test func rejectsADuplicateKeyAsAConstraintError() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await Self.makePeople(in: sandbox)

        let result = try await sandbox.run(
            "query", #"INSERT INTO people VALUES {"id": 1, "name": "Twin"}"#, "--db", "db")
        result.expectFailure(1, mentioning: "duplicateKey")
        let names = try await sandbox.run(
            "query", "SELECT name FROM people WHERE id = 1", "--db", "db", "--format", "csv")
        #expect(names.stdout == .csv("name", "Ada"))
    }

    @Test func rejectsAUniqueIndexViolationAsAConstraintError() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await Self.makePeople(in: sandbox)
        try await sandbox.prepare("query", "CREATE UNIQUE INDEX ON people (name)", "--db", "db")

        let result = try await sandbox.run("query", #"INSERT INTO people VALUES {"name": "Ada"}"#, "--db", "db")
        result.expectFailure(1, mentioning: "name")
    }

    @Test func readsButNeverWritesASnapshotFile() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await Self.makePeople(in: sandbox)
        let snapshot = try #require(try sandbox.contents(of: "db").first { $0.hasPrefix("snapshot-") })
        try sandbox.copy("db/\(snapshot)", to: "people.dictdb")

        let read = try await sandbox.run(
            "query", "SELECT name FROM people ORDER BY id", "--db", "people.dictdb", "--format", "csv")
        read.expectSuccess()
        #expect(read.stdout == .csv("name", "Ada", "Alan", "Grace"))

        let write = try await sandbox.run("query", "DELETE FROM people", "--db", "people.dictdb")
        write.expectFailure(2, mentioning: "people.dictdb is a snapshot file", "dictdb load")
    }
}
