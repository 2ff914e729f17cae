import DictDB
import Hummingbird
import Testing

@Suite struct StreamingTests {
    static let rows = 200_000

    @Test func streamsALargeResultAsNDJSONInChunks() async throws {
        try await ServerHarness.withServer(openOptions: Self.quickOptions, prepare: Self.seed) { api, _ in
            let started = ContinuousClock.now
            let response = try await api.post(
                "/query", #"{"statement": "SELECT * FROM events"}"#, headers: [.accept: "application/x-ndjson"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentLength] == nil)  // chunked: never one encoded text
            #expect(response.headers[.transferEncoding] == "chunked")
            var lines = 0
            for byte in response.body.readableBytesView where byte == UInt8(ascii: "\n") { lines += 1 }
            #expect(lines == Self.rows)
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    @Test func streamsTheJSONFormAsOneValidDocument() async throws {
        try await ServerHarness.withServer { api, _ in
            _ = try await api.post("/tables", #"{"name": "t"}"#)
            let records = (0..<1500).map { #"{"n": \#($0)}"# }.joined(separator: ",")
            _ = try await api.post("/tables/t/batch", #"{"records": [\#(records)]}"#)
            let response = try await api.post("/tables/t/query", #"{"orderBy": [{"field": "n", "descending": true}]}"#)
            let body = try response.json()
            #expect(body["count"] == 1500)
            #expect(body["rows"].arrayValue?.first?.objectValue?["n"] == 1499)
        }
    }

    static func seed(_ database: Database) throws {
        var batch: [Record] = []
        batch.reserveCapacity(rows)
        for index in 0..<rows { batch.append(["kind": "login", "n": .int(Int64(index))]) }
        try database.createTable("events").insertBatch(batch)
    }

    static var quickOptions: OpenOptions {
        var options = OpenOptions()
        options.syncPolicy = "os"
        return options
    }
}
