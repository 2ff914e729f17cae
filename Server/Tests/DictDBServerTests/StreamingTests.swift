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

    @Test func dropsAStreamWhoseClientStopsReading() async throws {
        let prepare: (Database) throws -> Void = { database in
            let padding = Value.string(String(repeating: "x", count: 1024))
            try database.createTable("blobs").insertBatch((0..<20_000).map { ["n": .int(Int64($0)), "pad": padding] })
        }
        try await ServerHarness.withServer(
            openOptions: Self.quickOptions, sendTimeout: .milliseconds(300), prepare: prepare
        ) { api, _ in
            // 20 MB of rows to a client that stops reading after the status line: without a send timeout
            // the response (and the rows it holds) would wait for it forever.
            let stalled = try StalledClient(port: try #require(api.client.port))
            defer { stalled.close() }
            try stalled.sendQuery("SELECT * FROM blobs")
            #expect(try stalled.receiveSome().hasPrefix("HTTP/1.1 200"))
            try await Task.sleep(for: .seconds(1))
            // The server gave up: what is buffered arrives, then the end of the connection. The bound is
            // generous: on a loaded machine the server's timer and the drain of its buffers take seconds.
            #expect(try stalled.waitForClose(timeout: .seconds(20)))
            #expect(try await api.get("/health").status == .ok)
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
