import Foundation
import Testing

/// `dictdb demo`, run as a process.
@Suite struct DemoCommandTests {
    static let headings = [
        "== 1. An on-disk database", "== 2. Tables with a schema, and indexes",
        "== 3. Inserts: 200 staff records in one batch", "== 4. Queries, and the plans that serve them",
        "== 5. A transaction: all of it or none of it", "== 6. A compressed, verified backup",
        "== 7. Restore it into a new directory and compare", "== 8. Bad input gets a typed error and changes nothing",
        "== Done",
    ]

    @Test func toursASampleDatabaseAndLeavesItToExplore() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }

        let result = try await sandbox.run("demo", "--db", "demo/db", "--records", "200")
        result.expectSuccess()
        #expect(result.stdoutLines.filter { $0.hasPrefix("== ") } == Self.headings, "\(result)")
        #expect(result.stdout.contains("identical: true"))
        #expect(!result.stdout.contains("identical: false"))
        #expect(result.stdout.contains("200 records in staff, as before."))

        let tables = try await sandbox.prepare("tables", "--db", "demo/db", "--format", "csv")
        #expect(
            tables
                == .csv(
                    "table,records,primary_key,key_generator,indexes,schema",
                    "departments,6,code,autoincrement,0,false", "staff,200,id,autoincrement,3,true"))
        #expect(try BackupCommandTests.backups(in: sandbox, "demo/db-backups").count == 1)
        let verify = try await sandbox.run("verify", "demo/db")
        verify.expectSuccess()
    }

    @Test func runsAgainOverItsOwnDatabase() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }

        let first = try await sandbox.run("demo", "--db", "db", "--records", "50")
        first.expectSuccess()
        let second = try await sandbox.run("demo", "--db", "db", "--records", "60")
        second.expectSuccess()
        #expect(second.stdoutLines.filter { $0.hasPrefix("== ") }.count == Self.headings.count)
        let count = try await sandbox.prepare(
            "query", "SELECT COUNT(*) AS n FROM staff", "--db", "db", "--format", "csv")
        #expect(count == .csv("n", "60"))

        // Environment and --sync reach the demo too.
        let environment = try await sandbox.run(
            "demo", "--records", "5", "--sync", "os", environment: ["DICTDB_PATH": "db"])
        environment.expectSuccess()
        #expect(environment.stdout.contains("sync policy os"), "\(environment)")
    }

    @Test func refusesAPathItDidNotMake() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try FileManager.default.createDirectory(atPath: sandbox.path("mine"), withIntermediateDirectories: false)
        try sandbox.write("precious", to: "mine/data.txt")
        try sandbox.write("precious", to: "file")
        try await sandbox.prepare("init", "--db", "real")

        let directory = try await sandbox.run("demo", "--db", "mine", "--records", "10")
        directory.expectFailure(2, mentioning: "mine holds something the demo did not make")
        #expect(try sandbox.contents(of: "mine") == ["data.txt"])
        let file = try await sandbox.run("demo", "--db", "file", "--records", "10")
        file.expectFailure(2, mentioning: "file is a file")
        let database = try await sandbox.run("demo", "--db", "real", "--records", "10")
        database.expectFailure(2, mentioning: "real holds something the demo did not make")

        try FileManager.default.createDirectory(atPath: sandbox.path("new-backups"), withIntermediateDirectories: false)
        try sandbox.write("precious", to: "new-backups/notes.txt")
        let backups = try await sandbox.run("demo", "--db", "new", "--records", "10")
        backups.expectFailure(2, mentioning: "new-backups holds files the demo did not make")
        #expect(try sandbox.contents(of: "new-backups") == ["notes.txt"])
    }
}
