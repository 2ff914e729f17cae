import Foundation
import Testing

/// `dictdb import` and `dictdb export`, run as processes: round trips through CSV, JSON and NDJSON, and
/// the errors that name the file, line or row.
@Suite struct ImportExportCommandTests {
    /// A database `db` holding ``PeopleFixture`` imported from `people.csv`.
    static func importPeople(_ fixture: PeopleFixture, in sandbox: CLISandbox) async throws {
        try sandbox.write(fixture.csv, to: "people.csv")
        try await sandbox.prepare("init", "--db", "db")
        let output = try await sandbox.prepare("import", "people.csv", "--table", "people", "--db", "db")
        #expect(output == "imported \(fixture.rows.count) records into people from people.csv\n")
    }

    static func jsonRecords(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]]
    {
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(parsed as? [[String: Any]], "not an array of objects: \(text.prefix(300))")
    }

    @Test func roundTripsACSVFileThroughImportQueryAndExport() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let fixture = PeopleFixture()
        try await Self.importPeople(fixture, in: sandbox)

        // A query with a WHERE returns what the source rows say it should.
        let query = try await sandbox.run(
            "query", "SELECT id, name, score FROM people WHERE age >= 40 AND active = true ORDER BY id", "--db", "db",
            "--format", "json")
        query.expectSuccess()
        let selected = try Self.jsonRecords(query.stdout)
        let expected = fixture.rows.indices.filter { row in
            guard case .int(let age) = fixture.cell(row, "age") else { return false }
            return age >= 40 && fixture.cell(row, "active") == .bool(true)
        }
        #expect(!expected.isEmpty)
        #expect(selected.map { $0["id"] as? Int } == expected.map { $0 + 1 })
        for (record, row) in zip(selected, expected) {
            #expect(fixture.cell(row, "name").matches(record["name"]), "\(record)")
            #expect(fixture.cell(row, "score").matches(record["score"]), "\(record)")
            #expect(Set(record.keys) == ["id", "name", "score"])
        }

        // The exported JSON holds every cell, typed as the import inferred it.
        let export = try await sandbox.run("export", "--table", "people", "--format", "json", "--db", "db")
        export.expectSuccess()
        #expect(fixture.differences(from: try Self.jsonRecords(export.stdout)) == [])

        // Exported as CSV it is the source again, with ids and the upper-case TRUE written as true.
        let csv = try await sandbox.run("export", "--table", "people", "--format", "csv", "--db", "db")
        csv.expectSuccess()
        let header = (["id"] + PeopleFixture.columns).joined(separator: ",")
        let lines = fixture.rows.enumerated().map { index, row in
            (["\(index + 1)"] + row.map(PeopleFixture.csvCell)).joined(separator: ",")
        }
        #expect(csv.stdoutLines == [header] + lines)
    }

    @Test func roundTripsJSONThroughNDJSONAndBack() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let fixture = PeopleFixture(count: 20)
        try await Self.importPeople(fixture, in: sandbox)

        let first = try await sandbox.run("export", "--table", "people", "--db", "db", "--output", "people.json")
        #expect(first.status == 0, "\(first)")
        #expect(first.stderr == "exported 20 records from people to people.json\n")
        try await sandbox.prepare("import", "people.json", "--table", "copy", "--db", "db")
        let ndjson = try await sandbox.prepare("export", "--table", "copy", "--format", "ndjson", "--db", "db")
        let lines = ndjson.split(separator: "\n")
        #expect(lines.count == 20)
        for line in lines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "\(line)")
        }
        try sandbox.write(ndjson, to: "copy.ndjson")
        try await sandbox.prepare("import", "copy.ndjson", "--table", "again", "--db", "db")
        let last = try await sandbox.prepare("export", "--table", "again", "--format", "json", "--db", "db")

        #expect(last == (try sandbox.text("people.json")))
        #expect(fixture.differences(from: try Self.jsonRecords(last)) == [])
    }

    @Test func exportsASelectionInOrderToAFileNamedByItsExtension() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)

        let result = try await sandbox.run(
            "export", "--table", "people", "--where", "age > 30", "--order-by", "-age", "--db", "db", "-o", "old.csv")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "exported 2 records from people to old.csv\n")
        #expect(
            try sandbox.text("old.csv")
                == .csv("id,name,age,score,note", "3,Grace,85,99.25,", #"1,Ada,36,1.5,"hi, there""#))
    }

    @Test func exportsEveryTableAsOneJSONObjectWhenNoTableIsNamed() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")
        try await sandbox.prepare(
            "query", #"CREATE TABLE a; CREATE TABLE b; INSERT INTO a VALUES {"x": 1}; INSERT INTO b VALUES {"y": "z"}"#,
            "--db", "db")

        let all = try await sandbox.run("export", "--db", "db")
        all.expectSuccess()
        #expect(all.stdout == "{\n\"a\": [\n{\"id\":1,\"x\":1}\n],\n\"b\": [\n{\"id\":1,\"y\":\"z\"}\n]\n}\n")
        #expect((try JSONSerialization.jsonObject(with: Data(all.stdout.utf8))) is [String: Any])

        let csv = try await sandbox.run("export", "--db", "db", "--format", "csv")
        csv.expectFailure(2, mentioning: "2 tables", "--table")
    }

    @Test func importsWithAnotherDelimiterKeyAndNoTypeInference() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")
        try sandbox.write("code;n;flag\n007;12;true\n008;;x\n", to: "semi.csv")

        try await sandbox.prepare(
            "import", "semi.csv", "--table", "typed", "--delimiter", ";", "--primary-key", "code", "--db", "db")
        let typed = try await sandbox.prepare("export", "--table", "typed", "--format", "ndjson", "--db", "db")
        #expect(typed == "{\"code\":\"007\",\"n\":12,\"flag\":true}\n{\"code\":\"008\",\"flag\":\"x\"}\n")

        try await sandbox.prepare(
            "import", "semi.csv", "--table", "text", "--delimiter", ";", "--no-infer-types", "--db", "db")
        let text = try await sandbox.prepare("export", "--table", "text", "--format", "ndjson", "--db", "db")
        #expect(
            text
                == "{\"id\":1,\"code\":\"007\",\"n\":\"12\",\"flag\":\"true\"}\n"
                + "{\"id\":2,\"code\":\"008\",\"n\":\"\",\"flag\":\"x\"}\n")

        let wide = try await sandbox.run("import", "semi.csv", "--table", "t", "--delimiter", ";;", "--db", "db")
        wide.expectFailure(2, mentioning: "--delimiter")
    }

    @Test func leavesTheTableAsItWasWhenARecordIsRefused() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        try sandbox.write(#"[{"id": 10, "name": "New"}, {"id": 2, "name": "Clash"}]"#, to: "clash.json")

        let existing = try await sandbox.run("import", "clash.json", "--table", "people", "--db", "db")
        existing.expectFailure(1, mentioning: "duplicateKey", "clash.json", "nothing was imported")
        let count = try await sandbox.prepare(
            "query", "SELECT COUNT(*) AS n FROM people", "--db", "db", "--format", "csv")
        #expect(count == .csv("n", "3"))

        try sandbox.write(#"[{"id": 1}, {"id": 1}]"#, to: "twice.json")
        let fresh = try await sandbox.run("import", "twice.json", "--table", "fresh", "--db", "db")
        fresh.expectFailure(1, mentioning: "duplicateKey")
        let tables = try await sandbox.prepare("tables", "--db", "db", "--format", "csv")
        #expect(
            tables
                == .csv("table,records,primary_key,key_generator,indexes,schema", "people,3,id,autoincrement,0,false"))
    }

    @Test func reportsAMissingFileAsNotFound() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")

        let result = try await sandbox.run("import", "missing.csv", "--table", "t", "--db", "db")
        result.expectFailure(3, mentioning: "missing.csv")
    }

    @Test(arguments: [
        ("notjson.json", "name\nx\n", "record 1"),
        ("broken.json", "[{\"a\":1},\n{\"a\":2},\n{\"a\":}\n]", "record 3"),
        ("broken.ndjson", "{\"a\":1}\n{\"a\":2}\nnot json\n{\"a\":4}\n", "line 3"),
        ("wide.csv", "a,b\n1,2\n3,4,5\n", "line 3"),
        ("unclosed.csv", "a,b\n1,\"open\n2,3\n", "line 2"),
    ])
    func namesTheRecordOrLineOfAMalformedFile(file: String, content: String, place: String) async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")
        try sandbox.write(content, to: file)

        let result = try await sandbox.run("import", file, "--table", "t", "--db", "db")
        result.expectFailure(4, mentioning: file, place, "nothing was imported")
        let tables = try await sandbox.prepare("tables", "--db", "db", "--format", "csv")
        #expect(tables == .csv("table,records,primary_key,key_generator,indexes,schema"))
    }

    @Test func readsAFileAsTheFormatGivenOverItsExtension() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")
        try sandbox.write("a,b\n1,2\n", to: "data.json")

        let asJSON = try await sandbox.run("import", "data.json", "--table", "t", "--db", "db")
        asJSON.expectFailure(4, mentioning: "data.json", "record 1")
        let asCSV = try await sandbox.run("import", "data.json", "--table", "t", "--format", "csv", "--db", "db")
        asCSV.expectSuccess()
    }

    @Test func refusesAnUnknownFormat() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")
        try sandbox.write("a,b\n1,2\n", to: "data.txt")

        let unnamed = try await sandbox.run("import", "data.txt", "--table", "t", "--db", "db")
        unnamed.expectFailure(2, mentioning: "cannot tell the format of data.txt")
        let unknown = try await sandbox.run("import", "data.txt", "--table", "t", "--format", "xml", "--db", "db")
        unknown.expectFailure(2, mentioning: "'xml'")
        let export = try await sandbox.run("export", "--db", "db", "--format", "yaml")
        export.expectFailure(2, mentioning: "'yaml'")
        let output = try await sandbox.run("export", "--db", "db", "--output", "out.txt")
        output.expectFailure(2, mentioning: "out.txt")
    }

    @Test func reportsAnUnknownTableToExportAsNotFound() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)

        let result = try await sandbox.run("export", "--table", "nosuch", "--db", "db")
        result.expectFailure(3, mentioning: "nosuch")
    }
}
