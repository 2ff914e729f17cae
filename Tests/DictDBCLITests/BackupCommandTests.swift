import Foundation
import Testing

/// `dictdb backup create|list|restore`, run as processes.
@Suite struct BackupCommandTests {
    /// The backup file names in `directory`, oldest first.
    static func backups(in sandbox: CLISandbox, _ directory: String = "db-backups") throws -> [String] {
        try sandbox.contents(of: directory).filter { $0.hasPrefix("dictdb-") }
    }

    @Test func createsListsAndRestoresABackupThatMatchesTheDatabase() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await ImportExportCommandTests.importPeople(PeopleFixture(), in: sandbox)

        let create = try await sandbox.run("backup", "create", "--db", "db")
        create.expectSuccess()
        let name = try #require(try Self.backups(in: sandbox).first)
        #expect(try Self.backups(in: sandbox).count == 1)
        #expect(name.hasSuffix(".msgpack+lz4"))
        #expect(create.stdout.hasPrefix("backed up 50 records in 1 tables to db-backups/\(name) ("), "\(create)")
        #expect(create.stdout.hasSuffix(" bytes, verified)\n"), "\(create)")

        let list = try await sandbox.run("backup", "list", "--db", "db", "--format", "csv")
        list.expectSuccess()
        #expect(list.stdoutLines.count == 2)
        #expect(list.stdoutLines.first == "backup,taken,generation,sequence,codec,bytes")
        #expect(list.stdoutLines.last?.hasPrefix("\(name),") == true, "\(list)")
        #expect(list.stdoutLines.last?.contains(",msgpack+lz4,") == true, "\(list)")

        let table = try await sandbox.run("backup", "list", "--db", "db")
        table.expectSuccess()
        #expect(table.stdoutLines.first?.hasPrefix("backup ") == true, "\(table)")
        #expect(table.stdoutLines.last == "(1 row)")

        let restore = try await sandbox.run("backup", "restore", "--db", "db", "--to", "restored")
        restore.expectSuccess()
        #expect(restore.stdout == "restored \(name) into restored (1 tables, 50 records)\n")

        for arguments in [["query", "SELECT * FROM people ORDER BY id"], ["tables"], ["schema"]] {
            let original = try await sandbox.cli.run(
                arguments + ["--db", "db", "--format", "json"], in: sandbox.directory)
            let copy = try await sandbox.cli.run(
                arguments + ["--db", "restored", "--format", "json"], in: sandbox.directory)
            copy.expectSuccess()
            #expect(copy.stdout == original.stdout, "\(arguments)")
        }
    }

    @Test func prunesBeyondKeepAndRestoresABackupByName() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)

        try await sandbox.prepare("backup", "create", "--db", "db", "--dir", "saved", "--format", "json+gzip")
        let first = try #require(try Self.backups(in: sandbox, "saved").first)
        try await sandbox.prepare("query", #"INSERT INTO people VALUES {"name": "Edsger"}"#, "--db", "db")
        let second = try await sandbox.run("backup", "create", "--db", "db", "--dir", "saved", "--keep", "1")
        #expect(second.status == 0, "\(second)")
        #expect(second.stderr == "pruned 1 old backups\n")
        let names = try Self.backups(in: sandbox, "saved")
        #expect(names.count == 1 && names.first != first, "\(names)")
        let newest = try #require(names.first)

        let restore = try await sandbox.run("backup", "restore", newest, "--dir", "saved", "--to", "copy")
        restore.expectSuccess()
        #expect(restore.stdout == "restored \(newest) into copy (1 tables, 4 records)\n")
        let count = try await sandbox.prepare(
            "query", "SELECT COUNT(*) AS n FROM people", "--db", "copy", "--format", "csv")
        #expect(count == .csv("n", "4"))

        let gone = try await sandbox.run("backup", "restore", first, "--dir", "saved", "--to", "old")
        gone.expectFailure(3, mentioning: first)
    }

    @Test func refusesToRestoreIntoAnExistingDirectory() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        try await sandbox.prepare("backup", "create", "--db", "db")
        try FileManager.default.createDirectory(atPath: sandbox.path("taken"), withIntermediateDirectories: false)
        try sandbox.write("keep me", to: "taken/note.txt")

        let result = try await sandbox.run("backup", "restore", "--db", "db", "--to", "taken")
        result.expectFailure(2, mentioning: "taken already exists")
        #expect(try sandbox.contents(of: "taken") == ["note.txt"])

        let onDatabase = try await sandbox.run("backup", "restore", "--db", "db", "--to", "db")
        onDatabase.expectFailure(2, mentioning: "db already exists")
    }

    @Test func reportsMissingBackupsAsNotFound() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)

        let list = try await sandbox.run("backup", "list", "--db", "db")
        list.expectFailure(3, mentioning: "no backup directory at db-backups")
        let listNowhere = try await sandbox.run("backup", "list", "--db", "nowhere")
        listNowhere.expectFailure(3, mentioning: "nowhere-backups")
        let restore = try await sandbox.run("backup", "restore", "--db", "db", "--to", "copy")
        restore.expectFailure(3, mentioning: "db-backups")

        try FileManager.default.createDirectory(atPath: sandbox.path("empty"), withIntermediateDirectories: false)
        let none = try await sandbox.run("backup", "restore", "--dir", "empty", "--to", "copy")
        none.expectFailure(3, mentioning: "no backups in empty")
        let listEmpty = try await sandbox.run("backup", "list", "--dir", "empty", "--format", "csv")
        listEmpty.expectSuccess()
        #expect(listEmpty.stdout == .csv("backup,taken,generation,sequence,codec,bytes"))

        try await sandbox.prepare("backup", "create", "--db", "db")
        let unknown = try await sandbox.run("backup", "restore", "nosuch.msgpack", "--db", "db", "--to", "copy")
        unknown.expectFailure(3, mentioning: "nosuch.msgpack")
        #expect(!sandbox.exists("copy"))
    }

    @Test func passesOverADamagedBackupAndSaysSo() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        try await sandbox.prepare("backup", "create", "--db", "db", "--format", "json")
        try await sandbox.prepare("query", #"INSERT INTO people VALUES {"name": "Edsger"}"#, "--db", "db")
        try await sandbox.prepare("backup", "create", "--db", "db", "--format", "json")
        let names = try Self.backups(in: sandbox)
        #expect(names.count == 2)
        let newest = try #require(names.last)
        var bytes = try sandbox.read("db-backups/\(newest)")
        bytes[bytes.count / 2] ^= 0x5A
        try sandbox.write(bytes, to: "db-backups/\(newest)")

        let list = try await sandbox.run("backup", "list", "--verify", "--db", "db", "--format", "csv")
        list.expectSuccess()
        #expect(list.stdoutLines.first == "backup,taken,generation,sequence,codec,bytes,status")
        #expect(list.stdoutLines.dropFirst().first?.contains(#","ok: 1 tables, 3 records""#) == true, "\(list)")
        #expect(list.stdoutLines.last?.contains(",damaged: ") == true, "\(list)")

        let restore = try await sandbox.run("backup", "restore", "--db", "db", "--to", "copy")
        #expect(restore.status == 0, "\(restore)")
        #expect(restore.stderr.hasPrefix("skipped damaged backup \(newest): "), "\(restore)")
        #expect(restore.stdout == "restored \(names[0]) into copy (1 tables, 3 records)\n")

        let named = try await sandbox.run("backup", "restore", newest, "--db", "db", "--to", "copy2")
        named.expectHandledFailure()
        #expect(named.status == 4, "\(named)")
        #expect(!sandbox.exists("copy2"))
    }

    @Test func restoresToAPointInTimeWrittenInISOForm() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        try await sandbox.prepare("backup", "create", "--db", "db")

        let restore = try await sandbox.run(
            "backup", "restore", "--db", "db", "--until", "2099-01-01T00:00:00Z", "--to", "copy")
        restore.expectSuccess()
        #expect(restore.stdout.hasPrefix("restored dictdb-"), "\(restore)")
        #expect(restore.stdout.hasSuffix(" up to 2099-01-01T00:00:00Z into copy (3 records)\n"), "\(restore)")

        let bad = try await sandbox.run("backup", "restore", "--db", "db", "--until", "yesterday", "--to", "copy2")
        bad.expectFailure(2, mentioning: "--until 'yesterday'")
        let both = try await sandbox.run(
            "backup", "restore", "x", "--db", "db", "--until", "2099-01-01T00:00:00Z", "--to", "copy2")
        both.expectFailure(2, mentioning: "not both")
    }

    @Test func restoresToAPointInTimeAfterALaterWrite() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        try await sandbox.prepare("backup", "create", "--db", "db")
        try await sandbox.prepare("query", #"INSERT INTO people VALUES {"name": "Edsger"}"#, "--db", "db")

        let restore = try await sandbox.run(
            "backup", "restore", "--db", "db", "--until", "2099-01-01T00:00:00Z", "--to", "copy")
        // Commands close without a checkpoint, so the journal since the backup is still there to replay.
        restore.expectSuccess()
        #expect(restore.stdout.hasSuffix("into copy (4 records)\n"), "\(restore)")
    }

    @Test func refusesBadOptions() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)

        let format = try await sandbox.run("backup", "create", "--db", "db", "--format", "bogus")
        format.expectFailure(2, mentioning: "--format 'bogus'")
        let keep = try await sandbox.run("backup", "create", "--db", "db", "--keep", "0")
        keep.expectFailure(2, mentioning: "--keep")
        let missing = try await sandbox.run("backup", "create", "--db", "nowhere")
        missing.expectFailure(3, mentioning: "dictdb init")
        let noTarget = try await sandbox.run("backup", "restore", "--db", "db")
        noTarget.expectFailure(2, mentioning: "--to")
        #expect(!sandbox.exists("db-backups"))
    }
}
