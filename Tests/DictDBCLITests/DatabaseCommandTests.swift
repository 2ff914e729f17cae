import Foundation
import Testing

/// `dictdb init`, `tables`, `schema`, `indexes`, `explain`, `compact` and `load`, run as processes.
@Suite struct DatabaseCommandTests {
    @Test func initCreatesADatabaseWithTheDefaultsOrTheOptionsGiven() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }

        let plain = try await sandbox.run("init", "--db", "db")
        plain.expectSuccess()
        #expect(plain.stdout == "created database db (codec msgpack, journal binary, sync always)\n")
        let files = try sandbox.contents(of: "db")
        #expect(files.contains("dictdb.json"))
        #expect(files.contains { $0.hasPrefix("snapshot-") && $0.hasSuffix(".dictdb") }, "\(files)")
        #expect(files.contains { $0.hasPrefix("journal-") && $0.hasSuffix(".log") }, "\(files)")

        let chosen = try await sandbox.run(
            "init", "--db", "other", "--codec", "json+gzip", "--sync", "batch", "--journal", "ndjson")
        chosen.expectSuccess()
        #expect(chosen.stdout == "created database other (codec json+gzip, journal ndjson, sync batch)\n")
        #expect(try sandbox.contents(of: "other").contains { $0.hasPrefix("journal-") && $0.hasSuffix(".ndjson") })
        let configuration = try JSONSerialization.jsonObject(with: Data(try sandbox.read("other/dictdb.json")))
        let recorded = try #require(configuration as? [String: Any])
        #expect(recorded["codec"] as? String == "json+gzip")
        #expect(recorded["syncPolicy"] as? String == "batch")
        #expect(recorded["journalFormat"] as? String == "ndjson")
    }

    @Test func initRefusesAnExistingPathAndBadOptions() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("init", "--db", "db")
        try sandbox.write("x", to: "file")

        let again = try await sandbox.run("init", "--db", "db")
        again.expectFailure(2, mentioning: "db already holds a database")
        let file = try await sandbox.run("init", "--db", "file")
        file.expectFailure(2, mentioning: "file already exists and is not a database")
        let journal = try await sandbox.run("init", "--db", "new", "--journal", "xml")
        journal.expectFailure(2, mentioning: "--journal")
        let codec = try await sandbox.run("init", "--db", "new", "--codec", "bogus")
        codec.expectFailure(2, mentioning: "--codec 'bogus'")
        let sync = try await sandbox.run("init", "--db", "new", "--sync", "bogus")
        sync.expectFailure(2, mentioning: "--sync 'bogus'", "always, batch, os")
        #expect(!sandbox.exists("new"))
    }

    @Test func tablesListsEveryTableWithItsCountsKeysAndIndexes() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        try await sandbox.prepare(
            "query", "CREATE TABLE codes PRIMARY KEY code KEYS uuid; CREATE INDEX ON people (age)", "--db", "db")

        let table = try await sandbox.run("tables", "--db", "db")
        table.expectSuccess()
        #expect(
            table.stdout == """
                table  | records | primary_key | key_generator | indexes | schema
                -------+---------+-------------+---------------+---------+-------
                codes  |       0 | code        | uuid          |       0 | false
                people |       3 | id          | autoincrement |       1 | false
                (2 rows)

                """)

        let json = try await sandbox.run("tables", "--db", "db", "--format", "json")
        json.expectSuccess()
        #expect(
            json.stdout == """
                [
                {"table":"codes","records":0,"primary_key":"code","key_generator":"uuid","indexes":0,"schema":false},
                {"table":"people","records":3,"primary_key":"id","key_generator":"autoincrement","indexes":1,"schema":false}
                ]

                """)

        try await sandbox.prepare("init", "--db", "empty")
        let empty = try await sandbox.run("tables", "--db", "empty")
        #expect(empty.stdoutLines.last == "(0 rows)")
    }

    @Test func schemaShowsTheFieldsRecordsHold() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)

        let result = try await sandbox.run("schema", "people", "--db", "db", "--format", "csv")
        result.expectSuccess()
        #expect(
            result.stdout
                == .csv(
                    "table,field,type,nullable,unique,default,rules,present",
                    #"people,id,key,false,true,,"primary key, autoincrement",3"#,
                    "people,name,string,false,,,(no schema),3", "people,age,int,true,,,(no schema),2",
                    "people,score,int|double,false,,,(no schema),3", "people,note,string,true,,,(no schema),2"))

        let all = try await sandbox.run("schema", "--db", "db")
        all.expectSuccess()
        #expect(all.stdoutLines.first?.hasPrefix("table  | field | type") == true, "\(all)")
        #expect(all.stdoutLines.last == "(5 rows)")

        let missing = try await sandbox.run("schema", "nosuch", "--db", "db")
        missing.expectFailure(3, mentioning: "nosuch")
    }

    @Test func schemaShowsTheRulesOfADeclaredSchema() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await sandbox.prepare("demo", "--db", "demo", "--records", "10")

        let result = try await sandbox.run("schema", "staff", "--db", "demo", "--format", "csv")
        result.expectSuccess()
        #expect(result.stdoutLines.first == "table,field,type,nullable,unique,default,rules,present")
        #expect(result.stdoutLines.contains("staff,email,string,false,true,,,"), "\(result)")
        #expect(result.stdoutLines.contains { $0.hasPrefix("staff,name,string,false,false,,length 1...64") })
        #expect(result.stdoutLines.count == 7)
    }

    @Test func indexesListsEachIndexWithItsSize() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        let created = try await sandbox.prepare(
            "query", "CREATE INDEX ON people (age) USING sorted; CREATE UNIQUE INDEX byname ON people (name)",
            "--db", "db")
        #expect(
            created
                == "created sorted index age_sorted on people (age)\ncreated unique hash index byname on people (name)\n"
        )

        let table = try await sandbox.run("indexes", "--db", "db")
        table.expectSuccess()
        #expect(
            table.stdout == """
                table  | index      | fields | kind   | unique | entries | distinct_keys
                -------+------------+--------+--------+--------+---------+--------------
                people | age_sorted | age    | sorted | false  |       3 |             3
                people | byname     | name   | hash   | true   |       3 |             3
                (2 rows)

                """)

        let csv = try await sandbox.run("indexes", "--table", "people", "--db", "db", "--format", "csv")
        #expect(csv.stdoutLines.count == 3)

        let missing = try await sandbox.run("indexes", "--table", "nosuch", "--db", "db")
        missing.expectFailure(3, mentioning: "nosuch")
    }

    @Test func explainShowsThePlanAndWithAnalyzeWhatItDid() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        try await sandbox.prepare("query", "CREATE INDEX ON people (age) USING sorted", "--db", "db")

        let indexed = try await sandbox.run("explain", "SELECT * FROM people WHERE age > 40", "--db", "db")
        indexed.expectSuccess()
        #expect(indexed.stdout == "INDEX people.age_sorted (> 40) ~1 rows WHERE age > 40\n")

        let scan = try await sandbox.run("explain", "EXPLAIN SELECT * FROM people WHERE note = 'x'", "--db", "db")
        scan.expectSuccess()
        #expect(scan.stdout == "SCAN people ~3 rows WHERE note = 'x'\n")

        let analyzed = try await sandbox.run(
            "explain", "--analyze", "--format", "json", "SELECT * FROM people WHERE age > 40", "--db", "db")
        analyzed.expectSuccess()
        let plans = try ImportExportCommandTests.jsonRecords(analyzed.stdout)
        #expect(plans.count == 1)
        #expect(plans.first?["fullScan"] as? Bool == false)
        #expect(plans.first?["rowsReturned"] as? Int == 1)
        #expect(plans.first?["rowsExamined"] as? Int == 1)

        let write = try await sandbox.run("explain", "DELETE FROM people", "--db", "db")
        write.expectFailure(2, mentioning: "explain takes a SELECT")
        let syntax = try await sandbox.run("explain", "SELECT * FROM people WHERE", "--db", "db")
        syntax.expectSyntaxError(line: 1, column: 27)
        let missing = try await sandbox.run("explain", "SELECT * FROM nosuch", "--db", "db")
        missing.expectFailure(3, mentioning: "nosuch")
    }

    @Test func compactFoldsTheJournalIntoANewSnapshot() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try JournaledDatabase.make(at: sandbox.path("db"), records: 5)
        let before = try VerifyCommandTests.snapshot(in: sandbox)

        let result = try await sandbox.run("compact", "--db", "db")
        result.expectSuccess()
        #expect(result.stdout.hasPrefix("compacted db: snapshot of 5 records in 1 tables ("), "\(result)")
        let files = try sandbox.contents(of: "db").filter { $0 != "dictdb.lock" }
        #expect(files.count == 3, "\(files)")
        #expect(try VerifyCommandTests.snapshot(in: sandbox) != before)

        let verify = try await sandbox.run("verify", "db")
        verify.expectSuccess()
        #expect(verify.stdoutLines.first == "db: ok (1 tables, 5 records)")
        #expect(verify.stdoutLines.last?.hasPrefix("  journal: 0 entries replayed") == true, "\(verify)")

        try sandbox.write("x", to: "snapshot.dictdb")
        let file = try await sandbox.run("compact", "--db", "snapshot.dictdb")
        file.expectFailure(2, mentioning: "read-only")
    }

    @Test func loadCopiesTheTablesOfASnapshotFile() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try await QueryCommandTests.makePeople(in: sandbox)
        try await sandbox.prepare("query", "CREATE TABLE other; CREATE INDEX ON people (age)", "--db", "db")
        try await sandbox.prepare("compact", "--db", "db")
        try sandbox.copy("db/\(try VerifyCommandTests.snapshot(in: sandbox))", to: "people.dictdb")

        let load = try await sandbox.run("load", "people.dictdb", "--db", "copy")
        load.expectSuccess()
        #expect(load.stdout == "loaded 2 tables (3 records) from people.dictdb into copy\n")
        let tables = try await sandbox.prepare("tables", "--db", "copy", "--format", "csv")
        #expect(
            tables
                == .csv(
                    "table,records,primary_key,key_generator,indexes,schema", "other,0,id,autoincrement,0,false",
                    "people,3,id,autoincrement,1,false"))

        let again = try await sandbox.run("load", "people.dictdb", "--db", "copy")
        again.expectFailure(1, mentioning: "--replace")
        let replace = try await sandbox.run("load", "people.dictdb", "--db", "copy", "--tables", "people", "--replace")
        replace.expectSuccess()
        #expect(replace.stdout == "loaded 1 table (3 records) from people.dictdb into copy\n")

        let unknown = try await sandbox.run("load", "people.dictdb", "--db", "copy", "--tables", "nosuch")
        unknown.expectFailure(3, mentioning: "no table 'nosuch'")
        let missing = try await sandbox.run("load", "missing.dictdb", "--db", "copy")
        missing.expectFailure(3, mentioning: "missing.dictdb")
    }

    @Test func initMakesTheDatabaseAConfigurationFileDescribes() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        try sandbox.write(
            #"{"codec": "json", "compressor": "gzip", "syncPolicy": "os", "tables": [{"name": "users", "#
                + #""primaryKey": "email", "indexes": [{"fields": ["age"], "kind": "sorted"}]}]}"#, to: "config.json")

        let created = try await sandbox.run("init", "--db", "db", "--config", "config.json")
        created.expectSuccess()
        #expect(created.stdout == "created database db (codec json+gzip, journal binary, sync os)\n")
        let indexes = try await sandbox.prepare("indexes", "--db", "db", "--format", "csv")
        #expect(
            indexes
                == .csv("table,index,fields,kind,unique,entries,distinct_keys", "users,age_sorted,age,sorted,false,0,0")
        )
        // Opening with the same configuration again changes nothing.
        let again = try await sandbox.run("--config", "config.json", "--db", "db", "tables", "--format", "csv")
        again.expectSuccess()

        try sandbox.write(#"{"syncPolcy": "os"}"#, to: "typo.json")
        let typo = try await sandbox.run("tables", "--db", "db", "--config", "typo.json")
        typo.expectFailure(2, mentioning: "unknown key 'syncPolcy'")
        try sandbox.write(#"{"tables": [{"name": "t", "keyGenerator": "snowflake"}]}"#, to: "plugin.json")
        let plugin = try await sandbox.run("tables", "--db", "db", "--config", "plugin.json")
        plugin.expectFailure(4, mentioning: "snowflake", "uuid7")
        let missing = try await sandbox.run("tables", "--db", "db", "--config", "nowhere.json")
        missing.expectFailure(3, mentioning: "nowhere.json")
    }
}
