import Testing

/// `dictdb repl` with statements piped to stdin: no prompts, multi-line statements, meta commands, and the
/// exit status of the first failure.
@Suite struct ReplScriptTests {
    @Test func runsStatementsThatSpanLinesAndEndAtASemicolonOrAnEmptyLine() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")
        let script = """
            CREATE TABLE r;
            INSERT INTO r VALUES {"a": 1},
              {"a": 2};
            SELECT a
            FROM r
            ORDER BY a DESC;
            SELECT COUNT(*) AS n FROM r

            SELECT a FROM r WHERE a = 1
            """

        let result = try await sandbox.run("repl", "--db", "db", stdin: script)
        result.expectSuccess()
        #expect(
            result.stdoutLines == [
                "created table r", "inserted 2 records into r", "a", "-", "2", "1", "(2 rows)", "n", "-", "2",
                "(1 row)", "a", "-", "1", "(1 row)",
            ], "\(result)")
    }

    @Test func runsMetaCommands() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        try await sandbox.prepare("query", "CREATE INDEX ON people (age) USING sorted", "--db", "db")
        try sandbox.write("SELECT name FROM people WHERE id = 3;\n", to: "script.sql")
        let script = """
            .format csv
            .tables
            .indexes people
            .schema people
            .read script.sql
            .mode ndjson
            SELECT name FROM people WHERE id = 1;
            .help
            .history
            .quit
            SELECT * FROM nosuch;
            """

        let result = try await sandbox.run("repl", "--db", "db", stdin: script)
        result.expectSuccess()
        let lines = result.stdoutLines
        #expect(lines.prefix(2) == ["table,records,primary_key,indexes", "people,3,id,1"], "\(result)")
        #expect(lines.contains("people,age_sorted,age,sorted,false"))
        #expect(lines.contains("people,age,int,true,,,(no schema),2"))
        #expect(lines.contains("name") && lines.contains("Grace"))
        #expect(lines.contains("{\"name\":\"Ada\"}"))
        #expect(lines.contains { $0.hasPrefix("Meta commands:") })
        #expect(lines.contains { $0.hasSuffix("  SELECT name FROM people WHERE id = 1;") }, "\(result)")
        #expect(!result.stdout.contains("nosuch"))
    }

    @Test func goesOnAfterAnErrorAndExitsWithTheFirstFailure() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        let script = """
            SELECT * FROM nosuch;
            SELECT * FORM people;
            INSERT INTO people VALUES {"id": 1};
            .bogus
            SELECT name FROM people WHERE id = 2;
            """

        let result = try await sandbox.run("repl", "--db", "db", "--format", "csv", stdin: script)
        #expect(result.status == 3, "\(result)")
        #expect(result.stdout == .csv("name", "Alan"))
        let errors = result.stderrLines
        #expect(errors.count == 6, "\(result)")
        #expect(errors.first?.hasPrefix("error: tableNotFound") == true)
        #expect(
            errors.dropFirst().first == "error: line 1, column 10: expected FROM after the select list, found 'FORM'")
        #expect(errors.dropFirst(2).first == "SELECT * FORM people;")
        #expect(errors.dropFirst(3).first == String(repeating: " ", count: 9) + "^")
        #expect(errors.dropFirst(4).first?.hasPrefix("error: duplicateKey") == true)
        #expect(errors.last == "error: unknown command .bogus; .help lists them")
    }

    @Test(arguments: [
        ("SELECT * FORM people;\n", Int32(1)), (".bogus\nSELECT * FROM nosuch;\n", 2), (".read missing.sql\n", 3),
        ("INSERT INTO people VALUES {\"id\": 2};\n", 1),
    ])
    func exitsWithTheStatusOfTheFirstFailure(script: String, status: Int32) async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)

        let result = try await sandbox.run("repl", "--db", "db", stdin: script)
        #expect(result.status == status, "\(result)")
        #expect(result.signal == nil)
        #expect(result.stderr.hasPrefix("error: "), "\(result)")
    }

    @Test func keepsWritesMadeInTheSession() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)

        let result = try await sandbox.run(
            "repl", "--db", "db", stdin: "UPDATE people SET age = 40 WHERE id = 2;\nDELETE FROM people WHERE id = 3\n")
        result.expectSuccess()
        #expect(result.stdout == "updated 1 record in people\ndeleted 1 record from people\n")
        let ages = try await sandbox.prepare(
            "query", "SELECT age FROM people ORDER BY id", "--db", "db", "--format", "csv")
        #expect(ages == .csv("age", "36", "40"))
        #expect(!sandbox.exists(".dictdb_history"))
    }

    @Test func readsASnapshotFileButRefusesToWriteIt() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        try sandbox.copy("db/\(try VerifyCommandTests.snapshot(in: sandbox))", to: "people.dictdb")

        let result = try await sandbox.run(
            "repl", "--db", "people.dictdb", "--format", "csv",
            stdin: "SELECT COUNT(*) AS n FROM people;\nDELETE FROM people;\nSELECT COUNT(*) AS n FROM people;\n")
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout == .csv("n", "3") + .csv("n", "3"))
        #expect(
            result.stderrLines == [
                "error: people.dictdb is a snapshot file, which is read-only here; "
                    + "load it into a database directory with 'dictdb load people.dictdb'"
            ])
    }

    @Test func endsQuietlyOnEmptyInput() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")

        let empty = try await sandbox.run("repl", "--db", "db", stdin: "")
        empty.expectSuccess()
        #expect(empty.stdout.isEmpty)
        let blank = try await sandbox.run("repl", "--db", "db", stdin: "\n\n   \n-- just a comment\n")
        blank.expectSuccess()
        #expect(blank.stdout.isEmpty)
    }
}
