import Foundation
import Testing

/// `dictdb verify`, and how every command meets damaged files: snapshot and backup files, and database
/// directories with a torn or damaged journal or a damaged snapshot.
@Suite struct VerifyCommandTests {
    /// The name of the snapshot file in the database directory `db`.
    static func snapshot(in sandbox: CLISandbox, _ db: String = "db") throws -> String {
        try #require(try sandbox.contents(of: db).first { $0.hasPrefix("snapshot-") })
    }

    /// The file names and sizes in `directory`, but for the (empty) lock file an open or verify creates.
    static func listing(_ sandbox: CLISandbox, _ directory: String) throws -> [String] {
        try sandbox.contents(of: directory).filter { $0 != "dictdb.lock" }.map {
            "\($0) \((try? sandbox.read("\(directory)/\($0)").count) ?? -1)"
        }
    }

    /// Replaces the first `needle` in the file `name` with `replacement` (of the same length).
    static func patch(_ sandbox: CLISandbox, _ name: String, replacing needle: String, with replacement: String) throws
    {
        var bytes = try sandbox.read(name)
        let pattern = Array(needle.utf8)
        let start = try #require(
            (0...(bytes.count - pattern.count)).first { bytes[$0..<$0 + pattern.count].elementsEqual(pattern) },
            "no \(needle) in \(name)")
        bytes.replaceSubrange(start..<start + pattern.count, with: Array(replacement.utf8))
        try sandbox.write(bytes, to: name)
    }

    @Test func reportsAnIntactDatabaseDirectory() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)

        let result = try await sandbox.run("verify", "db")
        result.expectSuccess()
        #expect(result.stdoutLines.count == 3, "\(result)")
        #expect(result.stdoutLines.first == "db: ok (1 tables, 3 records)")
        #expect(result.stdoutLines.dropFirst().first == "  snapshot: \(try Self.snapshot(in: sandbox))")
        #expect(result.stdoutLines.last?.hasPrefix("  journal: 0 entries replayed, last sequence ") == true)

        let byOption = try await sandbox.run("verify", "--db", "db")
        #expect(byOption.stdout == result.stdout)
    }

    @Test func replaysTheJournalOfACopyAndLeavesTheDatabaseAlone() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try JournaledDatabase.make(at: sandbox.path("db"), records: 5)
        let before = try Self.listing(sandbox, "db")

        let result = try await sandbox.run("verify", "db")
        result.expectSuccess()
        #expect(result.stdoutLines.first == "db: ok (1 tables, 5 records)")
        #expect(result.stdoutLines.last == "  journal: 6 entries replayed, last sequence 6", "\(result)")
        #expect(try Self.listing(sandbox, "db") == before)
    }

    @Test func reportsATornJournalTailWithoutCuttingIt() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let journal = try JournaledDatabase.make(at: sandbox.path("db"), records: 3)
        var bytes = try sandbox.read("db/\(journal)")
        let end = bytes.count
        bytes += Array("half a record".utf8)
        try sandbox.write(bytes, to: "db/\(journal)")
        let before = try Self.listing(sandbox, "db")

        let result = try await sandbox.run("verify", "db")
        result.expectSuccess()
        #expect(result.stdoutLines.first == "db: ok (1 tables, 3 records)")
        #expect(
            result.stdoutLines.last?.hasPrefix("  torn tail: 13 bytes at offset \(end) of \(journal) (") == true,
            "\(result)")
        #expect(try Self.listing(sandbox, "db") == before)

        // An open cuts the tail and keeps it beside the journal.
        let count = try await sandbox.prepare("query", "SELECT COUNT(*) AS n FROM t", "--db", "db", "--format", "csv")
        #expect(count == .csv("n", "3"))
        #expect(try sandbox.contents(of: "db").contains("\(journal).torn-\(end)"))
    }

    @Test(arguments: ["binary", "ndjson"])
    func refusesAJournalDamagedInTheMiddle(format: String) async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let journal = try JournaledDatabase.make(at: sandbox.path("db"), records: 6, journalFormat: format)
        try Self.patch(sandbox, "db/\(journal)", replacing: "entry 3", with: "entrY 3")
        let before = try Self.listing(sandbox, "db")

        let verify = try await sandbox.run("verify", "db")
        verify.expectFailure(4, mentioning: "is damaged at offset", "valid changes follow")
        for command in [["tables"], ["query", "SELECT * FROM t"], ["export", "--table", "t"], ["compact"]] {
            let result = try await sandbox.cli.run(command + ["--db", "db"], in: sandbox.directory)
            result.expectFailure(4, mentioning: "\(journal) is damaged at offset")
        }
        #expect(try Self.listing(sandbox, "db") == before)
    }

    @Test func refusesADamagedSnapshotInADatabaseDirectory() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        let snapshot = try Self.snapshot(in: sandbox)
        try Self.patch(sandbox, "db/\(snapshot)", replacing: "Grace", with: "Gr\u{7F}ce")

        let tables = try await sandbox.run("tables", "--db", "db")
        tables.expectFailure(4, mentioning: snapshot)
        let verify = try await sandbox.run("verify", "db")
        // The error names the database's own file, not the temporary copy verify recovers.
        verify.expectFailure(4, mentioning: "db/\(snapshot)")
        #expect(!verify.stderr.contains("dictdb-verify-"), "\(verify)")
    }

    @Test func reportsAnIntactSnapshotOrBackupFile() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        try sandbox.copy("db/\(try Self.snapshot(in: sandbox))", to: "people.dictdb")
        try await sandbox.prepare("backup", "create", "--db", "db", "--format", "json+gzip")
        let backup = try #require(try BackupCommandTests.backups(in: sandbox).first)

        let snapshot = try await sandbox.run("verify", "people.dictdb")
        snapshot.expectSuccess()
        #expect(snapshot.stdout == "people.dictdb: ok (snapshot, 1 tables, 3 records)\n")

        let copy = try await sandbox.run("verify", "db-backups/\(backup)")
        copy.expectSuccess()
        #expect(copy.stdout == "db-backups/\(backup): ok (snapshot, 1 tables, 3 records)\n")
    }

    @Test(arguments: ["garbage", "flipped", "empty", "truncated"])
    func refusesADamagedSnapshotFileEverywhere(damage: String) async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        var bytes = try sandbox.read("db/\(try Self.snapshot(in: sandbox))")
        switch damage {
        case "garbage": bytes = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        case "flipped": bytes[bytes.count / 2] ^= 0xFF
        case "empty": bytes = []
        default: bytes.removeLast(bytes.count / 3)
        }
        try sandbox.write(bytes, to: "bad.dictdb")

        let verify = try await sandbox.run("verify", "bad.dictdb")
        verify.expectFailure(4, mentioning: "bad.dictdb")
        let query = try await sandbox.run("query", "SELECT * FROM people", "--db", "bad.dictdb")
        query.expectFailure(4, mentioning: "bad.dictdb")
        let tables = try await sandbox.run("--db", "bad.dictdb", "tables")
        tables.expectFailure(4, mentioning: "bad.dictdb")
        let load = try await sandbox.run("load", "bad.dictdb", "--db", "loaded")
        load.expectFailure(4, mentioning: "bad.dictdb")
        #expect(!sandbox.exists("loaded"))
    }

    @Test func reportsNothingToVerifyAsNotFound() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try FileManager.default.createDirectory(atPath: sandbox.path("plain"), withIntermediateDirectories: false)

        let missing = try await sandbox.run("verify", "nowhere")
        missing.expectFailure(3, mentioning: "nothing at nowhere")
        let plain = try await sandbox.run("verify", "plain")
        plain.expectFailure(3, mentioning: "plain is not a DictDB database")
    }
}
