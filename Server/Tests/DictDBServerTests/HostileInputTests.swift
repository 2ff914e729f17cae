import DictDB
import Testing

@Suite struct HostileInputTests {
    @Test func answersMalformedBodiesWith400AndKeepsServing() async throws {
        let bodies: [[UInt8]] = [
            Array("{".utf8),
            Array("not json".utf8),
            Array(#"{"a": 1} trailing"#.utf8),
            Array(#"{"a": 1}, {"b": 2}"#.utf8),
            Array(#"[{"a": 1}]"#.utf8),
            Array(#""just a string""#.utf8),
            Array("".utf8),
            [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D],  // {"a":"<invalid UTF-8>"}
            Array(#"{"a": 1e999}"#.utf8),
            Array(#"{"a": 123456789012345678901234567890}"#.utf8),
            Array(#"{"a": NaN}"#.utf8),
            Array(#"{"a": "\ud800"}"#.utf8),
            [0x00, 0x01, 0x02],
        ]
        try await ServerHarness.withServer { api, _ in
            _ = try await api.post("/tables", #"{"name": "t"}"#)
            for body in bodies {
                let response = try await api.sendBytes(.post, "/tables/t/records", bytes: body)
                #expect(response.status == .badRequest, "\(String(decoding: body, as: UTF8.self)): \(response.text)")
                #expect(response.errorCode != nil)
            }
            #expect(try await api.get("/tables/t").json()["records"] == 0)
        }
    }

    @Test func refusesDeepNestingWithoutCrashing() async throws {
        try await ServerHarness.withServer { api, _ in
            _ = try await api.post("/tables", #"{"name": "t"}"#)
            let deepArray = "{\"a\": " + String(repeating: "[", count: 100_000) + "}"
            #expect(try await api.post("/tables/t/records", deepArray).status == .contentTooLarge)
            var condition = #"{"field": "a", "op": "isNull"}"#
            for _ in 0..<200 { condition = #"{"not": \#(condition)}"# }
            let deepCondition = try await api.post("/tables/t/query", #"{"where": \#(condition)}"#)
            #expect(deepCondition.status == .contentTooLarge)
        }
    }

    @Test func closesConnectionsThatStopSendingHalfWayThroughARequest() async throws {
        try await ServerHarness.withServer(idleTimeout: .milliseconds(300)) { api, _ in
            let port = try #require(api.client.port)
            // Headers cut short, and a body shorter than its Content-Length: both would hold a connection
            // (and, for the body, a request task) forever.
            for request in [
                "POST /tables HTTP/1.1\r\nHost: x\r\n",
                "POST /tables HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"name\"",
            ] {
                let client = try StalledClient(port: port)
                defer { client.close() }
                try client.send(request)
                let started = ContinuousClock.now
                #expect(try client.waitForClose(timeout: .seconds(3)), "\(request)")
                #expect(ContinuousClock.now - started < .seconds(3))
            }
        }
    }

    @Test func validatesNamesAndParameters() async throws {
        try await ServerHarness.withServer { api, _ in
            let traversal = try await api.post("/tables", #"{"name": "../../etc"}"#)
            #expect(traversal.status == .badRequest)
            #expect(traversal.errorCode == "invalidArgument")
            let control = try await api.post("/tables", #"{"name": "a\u0000b"}"#)
            #expect(control.status == .badRequest)
            let longName = try await api.post("/tables", #"{"name": "\#(String(repeating: "n", count: 129))"}"#)
            #expect(longName.status == .badRequest)
            _ = try await api.post("/tables", #"{"name": "t"}"#)
            let index = try await api.post("/tables/t/indexes", #"{"field": "a", "name": "../x"}"#)
            #expect(index.status == .badRequest)
            let unknownField = try await api.post("/admin/backup", #"{"directory": "/tmp"}"#)
            #expect(unknownField.status == .badRequest)  // backups go to the fixed directory, nowhere else
            #expect(unknownField.errorCode == "invalidArgument")
            #expect(try await api.get("/tables/%FF%FE").status == .notFound)
        }
    }
}
