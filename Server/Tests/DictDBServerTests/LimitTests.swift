import DictDB
import DictDBServer
import Testing

@Suite struct LimitTests {
    static let small = ServerLimits(
        maxBodyBytes: 1024, maxStatementBytes: 64, maxResultRows: 10, maxJSONDepth: 8, maxBatchRecords: 5)

    @Test func refusesOversizedRequestsWith413() async throws {
        try await ServerHarness.withServer(limits: Self.small) { api, _ in
            _ = try await api.post("/tables", #"{"name": "t"}"#)
            let big = try await api.post("/tables/t/records", #"{"blob": "\#(String(repeating: "x", count: 2000))"}"#)
            #expect(big.status == .contentTooLarge)
            #expect(big.errorCode == "limitExceeded")

            let statement = try await api.post(
                "/query", #"{"statement": "SELECT * FROM t WHERE \#(String(repeating: "a = 1 OR ", count: 10))a = 1"}"#)
            #expect(statement.status == .contentTooLarge)

            let deep = try await api.post(
                "/tables/t/records",
                #"{"a": \#(String(repeating: "[", count: 20))\#(String(repeating: "]", count: 20))}"#)
            #expect(deep.status == .contentTooLarge)

            let batch = try await api.post("/tables/t/batch", #"{"records": [{}, {}, {}, {}, {}, {}]}"#)
            #expect(batch.status == .contentTooLarge)

            _ = try await api.post("/tables/t/batch", #"{"records": [{}, {}, {}, {}, {}]}"#)
            _ = try await api.post("/tables/t/batch", #"{"records": [{}, {}, {}, {}, {}]}"#)
            _ = try await api.post("/tables/t/records", #"{}"#)
            let result = try await api.post("/tables/t/query", "{}")
            #expect(result.status == .contentTooLarge)
            #expect(try await api.post("/tables/t/query", #"{"limit": 10}"#).status == .ok)
            #expect(try await api.post("/query", #"{"statement": "SELECT * FROM t"}"#).status == .contentTooLarge)
        }
    }
}
