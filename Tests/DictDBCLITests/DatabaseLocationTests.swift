import DictDB
import Foundation
import Testing

/// How `dictdb` finds the database: `--db` (before or after the subcommand), `$DICTDB_PATH`, else
/// `./dictdb-data`; and what it says when nothing usable is there.
@Suite struct DatabaseLocationTests {
    @Test func takesTheDatabaseOptionsBeforeTheSubcommand() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        let after = try await sandbox.prepare("tables", "--db", "db", "--format", "csv")

        let before = try await sandbox.run("--db", "db", "tables", "--format", "csv")
        before.expectSuccess()
        #expect(before.stdout == after)
        let joined = try await sandbox.run("--db=db", "--sync", "os", "tables", "--format", "csv")
        joined.expectSuccess()
        #expect(joined.stdout == after)
        let query = try await sandbox.run(
            "--db", "db", "query", "SELECT name FROM people WHERE id = 2", "--format", "csv")
        #expect(query.stdout == .csv("name", "Alan"))
    }

    @Test func refusesAnEmptyDatabasePath() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let result = try await sandbox.run("tables", "--db", "")
        result.expectFailure(2, mentioning: "--db needs a path")
    }

    @Test func findsTheDatabaseThroughTheEnvironmentUnlessDbIsGiven() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        try await sandbox.prepare("init", "--db", "empty")

        let environment = try await sandbox.run("tables", "--format", "csv", environment: ["DICTDB_PATH": "db"])
        environment.expectSuccess()
        #expect(environment.stdoutLines.last?.hasPrefix("people,3,") == true, "\(environment)")

        let option = try await sandbox.run(
            "tables", "--db", "empty", "--format", "csv", environment: ["DICTDB_PATH": "db"])
        option.expectSuccess()
        #expect(option.stdoutLines == ["table,records,primary_key,key_generator,indexes,schema"])

        let absolute = try await sandbox.run(
            "query", "SELECT COUNT(*) AS n FROM people", "--format", "csv",
            environment: ["DICTDB_PATH": sandbox.path("db")])
        #expect(absolute.stdout == .csv("n", "3"))
    }

    @Test func usesDictdbDataInTheWorkingDirectoryByDefault() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }

        let created = try await sandbox.run("init")
        created.expectSuccess()
        #expect(created.stdout.hasPrefix("created database dictdb-data ("))
        #expect(sandbox.exists("dictdb-data/dictdb.json"))
        try await sandbox.prepare("query", "CREATE TABLE t")
        let tables = try await sandbox.prepare("tables", "--format", "csv")
        #expect(tables.hasSuffix("t,0,id,autoincrement,0,false\r\n"))
    }

    @Test(arguments: [
        ["tables"], ["schema"], ["indexes"], ["query", "SELECT * FROM t"], ["explain", "SELECT * FROM t"],
        ["export"], ["import", "data.csv", "--table", "t"], ["compact"], ["repl"], ["backup", "create"],
    ])
    func reportsAMissingDatabaseAndHowToCreateOne(command: [String]) async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try sandbox.write("a\n1\n", to: "data.csv")

        let result = try await sandbox.cli.run(command + ["--db", "nowhere"], in: sandbox.directory)
        result.expectFailure(3, mentioning: "no database at nowhere", "dictdb init --db nowhere")
        #expect(!sandbox.exists("nowhere"))
    }

    @Test func reportsADirectoryThatIsNotADatabase() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try FileManager.default.createDirectory(atPath: sandbox.path("plain"), withIntermediateDirectories: false)
        try sandbox.write("x", to: "plain/notes.txt")

        let result = try await sandbox.run("tables", "--db", "plain")
        result.expectFailure(3, mentioning: "plain is not a DictDB database", "dictdb init")
        #expect(try sandbox.contents(of: "plain") == ["notes.txt"])
    }

    @Test func reportsADatabaseLockedByAnotherProcessAsAnIOError() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        let db = try Database.open(at: sandbox.path("db"), options: OpenOptions())
        defer { try? db.close() }

        let result = try await sandbox.run("tables", "--db", "db")
        result.expectFailure(5, mentioning: "locked")

        // verify copies the files as they are, and says so.
        let verify = try await sandbox.run("verify", "db")
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stderr == "note: db is open elsewhere; checking its files as they are now\n")
        #expect(verify.stdoutLines.first == "db: ok (1 tables, 3 records)")
    }
}
