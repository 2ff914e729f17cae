import Foundation
import Testing

/// Usage errors, help, and hostile input: `dictdb` always ends with a documented status and a message,
/// never with a crash.
@Suite struct ErrorHandlingTests {
    @Test func reportsUsageErrorsAsOneLineNamingTheHelp() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")

        let option = try await sandbox.run("tables", "--bogus", "--db", "db")
        option.expectFailure(2, mentioning: "Unknown option '--bogus'", "dictdb tables --help")
        let command = try await sandbox.run("frobnicate")
        command.expectFailure(2, mentioning: "frobnicate")
        let argument = try await sandbox.run("import", "--db", "db")
        argument.expectFailure(2, mentioning: "<file>", "dictdb import --help")
        let value = try await sandbox.run("query", "SELECT 1", "--format", "xml", "--db", "db")
        value.expectFailure(2, mentioning: "'xml'")
        let sync = try await sandbox.run("tables", "--db", "db", "--sync", "bogus")
        sync.expectFailure(2, mentioning: "--sync 'bogus'")
        let codec = try await sandbox.run("--codec", "bogus", "tables", "--db", "db")
        codec.expectFailure(2, mentioning: "--codec 'bogus'")
        let records = try await sandbox.run("demo", "--records", "0", "--db", "demo")
        records.expectFailure(2, mentioning: "--records")
    }

    @Test func printsHelpAndVersionToStdout() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }

        let help = try await sandbox.run("--help")
        help.expectSuccess()
        #expect(help.stdout.contains("EXIT STATUS:"))
        #expect(help.stdout.contains("SUBCOMMANDS:"))

        let queryHelp = try await sandbox.run("query", "--help")
        queryHelp.expectSuccess()
        #expect(queryHelp.stdout.hasPrefix("OVERVIEW: Run query-language statements"), "\(queryHelp)")
        let helpQuery = try await sandbox.run("help", "query")
        helpQuery.expectSuccess()
        #expect(helpQuery.stdout == queryHelp.stdout)
        let nested = try await sandbox.run("backup", "restore", "--help")
        nested.expectSuccess()
        #expect(nested.stdout.contains("--until"))

        let version = try await sandbox.run("--version")
        version.expectSuccess()
        #expect(version.stdout == "1.0.0\n")
    }

    @Test func showsTheCommandsOnStderrWhenNoneIsGiven() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }

        let root = try await sandbox.run()
        #expect(root.status == 2, "\(root)")
        #expect(root.stdout.isEmpty)
        #expect(root.stderr.contains("SUBCOMMANDS:"))

        let group = try await sandbox.run("backup")
        #expect(group.status == 2, "\(group)")
        #expect(group.stderr.hasPrefix("OVERVIEW: Create, list and restore"), "\(group)")
    }

    @Test func refusesAStatementLongerThanTheLimit() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)

        let statement = "SELECT * FROM people WHERE name = '" + String(repeating: "x", count: 1_100_000) + "'"
        let result = try await sandbox.run("query", "-", "--db", "db", stdin: statement)
        result.expectHandledFailure()
        #expect(result.status == 1)
        #expect(result.stderr.contains("longer than the limit"), "\(result)")

        // Long but within the limit: thousands of alternatives run.
        let alternatives = (0..<20_000).map { "age = \($0)" }.joined(separator: " OR ")
        let long = try await sandbox.run(
            "query", "-", "--db", "db", "--format", "csv", stdin: "SELECT name FROM people WHERE \(alternatives)")
        long.expectSuccess()
        #expect(long.stdout == .csv("name", "Ada", "Grace"))
    }

    @Test(arguments: ["(", "NOT ", "["])
    func refusesNestingTenThousandLevelsDeep(opener: String) async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        let statement: String
        switch opener {
        case "(":
            statement =
                "SELECT * FROM people WHERE " + String(repeating: "(", count: 10_000) + "age = 1"
                + String(repeating: ")", count: 10_000)
        case "[":
            statement =
                "INSERT INTO people VALUES {\"a\": " + String(repeating: "[", count: 10_000)
                + String(repeating: "]", count: 10_000) + "}"
        default:
            statement = "SELECT * FROM people WHERE " + String(repeating: "NOT ", count: 10_000) + "age = 1"
        }

        let argument = try await sandbox.run("query", statement, "--db", "db")
        argument.expectHandledFailure()
        #expect(argument.status == 1)
        #expect(argument.stderr.contains("deeper than"), "\(argument)")
        let unclosed = try await sandbox.run(
            "query", "-", "--db", "db", stdin: "SELECT * FROM people WHERE " + String(repeating: "(", count: 10_000))
        unclosed.expectHandledFailure()
    }

    @Test func refusesNULBytesInAStatement() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)

        let result = try await sandbox.run(
            arguments: ["query", "-", "--db", "db"], stdinBytes: Array("SELECT * FROM people\0 WHERE age = 1".utf8))
        result.expectHandledFailure()
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: line 1, column 21: "), "\(result)")
        // The statement is echoed with its control characters shown as '?', the caret still under the NUL.
        #expect(!result.stderr.contains("\0"))
        #expect(result.stderrLines.dropFirst().first == "SELECT * FROM people? WHERE age = 1")
        #expect(result.stderrLines.dropFirst(2).first == String(repeating: " ", count: 20) + "^")

        let escape = try await sandbox.run("query", "SELECT * FROM \u{1B}[31mred")
        escape.expectHandledFailure()
        #expect(!escape.stderr.contains("\u{1B}"), "\(escape)")

        let trailing = try await sandbox.run(
            arguments: ["query", "-", "--db", "db"], stdinBytes: Array("SELECT * FROM people;\0\0\0".utf8))
        trailing.expectHandledFailure()
    }

    @Test func survivesInvalidUTF8InStatements() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)

        let bare = try await sandbox.run(
            arguments: ["query", "-", "--db", "db"],
            stdinBytes: Array("SELECT * FROM people WHERE name = ".utf8) + [0xFF, 0xFE, 0x0A])
        bare.expectHandledFailure()
        let quoted = try await sandbox.run(
            arguments: ["query", "-", "--db", "db", "--format", "csv"],
            stdinBytes: Array("SELECT name FROM people WHERE name = '".utf8) + [0xC3, 0x28, 0x27])
        #expect(quoted.signal == nil && quoted.status == 0, "\(quoted)")
        #expect(quoted.stdout == .csv("name"))
    }

    @Test(arguments: ["people.csv", "people.json", "people.ndjson"])
    func refusesAnImportFileWithInvalidUTF8(file: String) async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")
        let bad: [UInt8] = [0x41, 0xFF, 0xFE, 0x42]
        let bytes: [UInt8]
        switch file {
        case "people.csv": bytes = Array("name,age\nAda,36\n".utf8) + bad + Array(",3\n".utf8)
        case "people.json": bytes = Array("[{\"name\": \"Ada\"}, {\"name\": \"".utf8) + bad + Array("\"}]".utf8)
        default: bytes = Array("{\"name\": \"Ada\"}\n{\"name\": \"".utf8) + bad + Array("\"}\n".utf8)
        }
        try sandbox.write(bytes, to: file)

        let result = try await sandbox.run("import", file, "--table", "people", "--db", "db")
        result.expectFailure(4, mentioning: file, "UTF-8", "nothing was imported")
        let tables = try await sandbox.prepare("tables", "--db", "db", "--format", "csv")
        #expect(tables == .csv("table,records,primary_key,key_generator,indexes,schema"))
    }

    @Test func refusesImportFilesNestedTooDeeply() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")
        try sandbox.write(
            "[{\"a\": " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}]",
            to: "deep.json")
        try sandbox.write(String(repeating: "[", count: 100_000), to: "open.json")

        for file in ["deep.json", "open.json"] {
            let result = try await sandbox.run("import", file, "--table", "t", "--db", "db")
            result.expectHandledFailure()
            #expect(result.status == 4, "a file past the reader's limits is unreadable: \(result)")
            #expect(result.stderr.contains(file), "\(result)")
        }
    }

    @Test func survivesGarbageInEveryFileADatabaseDirectoryHolds() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        let names = try sandbox.contents(of: "db").filter { $0 != "dictdb.lock" }
        #expect(names.count == 3)

        for name in names {
            try? FileManager.default.removeItem(atPath: sandbox.path("broken"))
            try sandbox.copy("db", to: "broken")
            try sandbox.write(Array(repeating: 0xA5, count: 64) + [0, 0xFF], to: "broken/\(name)")
            let result = try await sandbox.run("tables", "--db", "broken")
            result.expectHandledFailure()
            #expect(result.status == 4, "\(name): \(result)")
        }
    }
}
