import DictDB
import Hummingbird
import Testing

@Suite struct QueryEndpointTests {
    static func seed(_ database: Database) throws {
        let users = try database.createTable("users")
        try users.insertBatch([
            ["name": "Ada", "dept": "eng", "age": 36],
            ["name": "Grace", "dept": "eng", "age": 45],
            ["name": "Alan", "dept": "research", "age": 41],
            ["name": "Edsger", "dept": "research"],
        ])
    }

    @Test func runsJSONConditionQueries() async throws {
        try await ServerHarness.withServer(prepare: Self.seed) { api, _ in
            let response = try await api.post(
                "/tables/users/query",
                #"""
                {"where": {"and": [{"field": "dept", "op": "==", "value": "eng"},
                                   {"or": [{"field": "age", "op": ">", "value": 40},
                                           {"field": "name", "op": "prefix", "value": "a", "caseInsensitive": true}]}]},
                 "orderBy": [{"field": "age", "descending": true}], "select": ["name", {"field": "age", "as": "years"}]}
                """#)
            #expect(response.status == .ok)
            #expect(
                response.text
                    == #"{"columns":["name","years"],"rows":[{"name":"Grace","years":45},{"name":"Ada","years":36}],"count":2}"#
                    + "\n")
        }
    }

    @Test func coversEveryOperatorOfTheJSONForm() async throws {
        let cases: [(String, Int)] = [
            (#"{"field": "age", "op": "!=", "value": 36}"#, 3),
            (#"{"field": "age", "op": "<=", "value": 41}"#, 2),
            (#"{"field": "age", "op": ">=", "value": 41}"#, 2),
            (#"{"field": "age", "op": "<", "value": 41}"#, 1),
            (#"{"field": "age", "op": "in", "value": [36, 45]}"#, 2),
            (#"{"field": "age", "op": "between", "value": [40, 50]}"#, 2),
            (#"{"field": "name", "op": "like", "value": "A%"}"#, 2),
            (#"{"field": "name", "op": "ilike", "value": "a!%", "escape": "!"}"#, 0),
            (#"{"field": "name", "op": "suffix", "value": "ce"}"#, 1),
            (#"{"field": "name", "op": "contains", "value": "DS", "caseInsensitive": true}"#, 1),
            (#"{"field": "age", "op": "isNull"}"#, 1),
            (#"{"field": "age", "op": "isNotNull"}"#, 3),
            (#"{"not": {"field": "dept", "op": "==", "value": "eng"}}"#, 2),
        ]
        try await ServerHarness.withServer(prepare: Self.seed) { api, _ in
            for (condition, expected) in cases {
                let response = try await api.post("/tables/users/query", #"{"where": \#(condition)}"#)
                #expect(response.status == .ok, "\(condition): \(response.text)")
                #expect(try response.json()["count"] == .int(Int64(expected)), "\(condition)")
            }
        }
    }

    @Test func rejectsMalformedConditionsWithTypedErrors() async throws {
        let bad = [
            #"{"field": "age", "op": "~", "value": 1}"#,
            #"{"field": "age", "op": ">"}"#,
            #"{"field": "age", "op": "in", "value": 3}"#,
            #"{"field": "age", "op": "between", "value": [1]}"#,
            #"{"field": "age", "op": "isNull", "value": 1}"#,
            #"{"field": "age", "op": "==", "value": 1, "extra": true}"#,
            #"{"field": 3, "op": "==", "value": 1}"#,
            #"{"and": {"field": "age"}}"#,
            #"{"and": [], "or": []}"#,
            #"{}"#,
            #"[1]"#,
            #"{"field": "", "op": "==", "value": 1}"#,
            #"{"field": "name", "op": "like", "value": "a!", "escape": "!"}"#,
            #"{"field": "name", "op": "==", "value": "x", "caseInsensitive": true}"#,
        ]
        try await ServerHarness.withServer(prepare: Self.seed) { api, _ in
            for condition in bad {
                let response = try await api.post("/tables/users/query", #"{"where": \#(condition)}"#)
                #expect(response.status == .badRequest, "\(condition)")
                #expect(response.errorCode == "invalidQuery", "\(condition): \(response.text)")
            }
            let typo = try await api.post("/tables/users/query", #"{"limt": 1}"#)
            #expect(typo.errorCode == "invalidArgument")
            let negative = try await api.post("/tables/users/query", #"{"limit": -1}"#)
            #expect(negative.status == .badRequest)
        }
    }

    @Test func runsStatementsOfTheQueryLanguage() async throws {
        try await ServerHarness.withServer(prepare: Self.seed) { api, _ in
            let rows = try await api.post(
                "/query", #"{"statement": "SELECT name FROM users WHERE age > 40 ORDER BY name"}"#)
            #expect(rows.text == #"{"columns":["name"],"rows":[{"name":"Alan"},{"name":"Grace"}],"count":2}"# + "\n")

            let inserted = try await api.post(
                "/query", #"{"statement": "INSERT INTO users VALUES {\"name\": \"Barbara\"}"}"#)
            #expect(try inserted.json()["result"] == "inserted")
            #expect(try inserted.json()["keys"] == [5])

            let updated = try await api.post(
                "/query", #"{"statement": "UPDATE users SET dept = 'ops' WHERE name = 'Barbara'"}"#)
            #expect(try updated.json()["count"] == 1)

            let plan = try await api.post("/query", #"{"statement": "EXPLAIN SELECT * FROM users WHERE id = 1"}"#)
            #expect(try plan.json()["fullScan"] == false)

            let syntax = try await api.post("/query", #"{"statement": "SELEKT * FROM users"}"#)
            #expect(syntax.status == .badRequest)
            #expect(syntax.errorCode == "invalidQuery")

            let aggregate = try await api.post(
                "/query", #"{"statement": "SELECT dept, count(*) FROM users GROUP BY dept"}"#,
                headers: [.accept: "application/x-ndjson"])
            #expect(aggregate.headers[.contentType]?.hasPrefix("application/x-ndjson") == true)
            #expect(aggregate.text.split(separator: "\n").count == 3)
        }
    }

    @Test func explainsPlansWithAndWithoutAnalyze() async throws {
        try await ServerHarness.withServer(prepare: Self.seed) { api, _ in
            _ = try await api.post("/tables/users/indexes", #"{"fields": ["dept"]}"#)
            let plan = try await api.post(
                "/tables/users/explain", #"{"where": {"field": "dept", "op": "==", "value": "eng"}, "analyze": true}"#)
            #expect(plan.status == .ok)
            let body = try plan.json()
            #expect(body["fullScan"] == false)
            #expect(body["indexes"] == ["dept_hash"])
            #expect(body["rowsReturned"] == 2)
        }
    }
}
