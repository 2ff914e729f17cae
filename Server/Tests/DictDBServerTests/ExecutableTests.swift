import DictDB
import DictDBServerProcess
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DictDBServer

/// Runs the real `dictdb-server` binary: exit codes, and graceful shutdown on SIGTERM.
@Suite struct ExecutableTests {
    static func binary() throws -> String {
        try #require(ServerProcess.locate("dictdb-server"), "dictdb-server is not built next to the tests")
    }

    @Test func refusesToBindBeyondLoopbackWithoutAToken() async throws {
        try await TemporaryDirectory.with { directory in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try Self.binary())
            process.arguments = ["--db", directory + "/db", "--host", "0.0.0.0", "--port", "0"]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = Pipe()
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 1)
            #expect(message.contains("without a token"))
            #expect(!FileManager.default.fileExists(atPath: directory + "/db"))  // nothing was opened
        }
    }

    @Test func finishesRequestsInFlightThenCheckpointsOnSIGTERM() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory + "/db"
            let rows = 50_000
            let seed = try Database.open(at: path)
            let events = try seed.createTable("events")
            try events.insertBatch((0..<rows).map { ["n": .int(Int64($0))] })
            try seed.close(checkpointing: false)

            let server = try await ServerProcess.launch(
                executable: try Self.binary(), arguments: ["--db", path, "--port", "0", "--sync", "always"])
            let client = TestClient(host: "127.0.0.1", port: server.port)
            client.connect()
            let insert = try await client.execute(
                .init("/tables/events/records", method: .post, body: ByteBuffer(string: #"{"n": -1}"#)))
            #expect(insert.status == .created)

            async let response = client.execute(
                .init(
                    "/query", method: .post, headers: [.accept: "application/x-ndjson"],
                    body: ByteBuffer(string: #"{"statement": "SELECT * FROM events"}"#)))
            try await Self.waitUntilAQueryRuns(port: server.port)
            server.signal(SIGTERM)
            let streamed = try await response
            #expect(streamed.status == .ok)
            var lines = 0
            for byte in streamed.body?.readableBytesView ?? ByteBuffer().readableBytesView
            where byte == UInt8(ascii: "\n") { lines += 1 }
            #expect(lines == rows + 1)
            try? await client.shutdown()

            #expect(await server.waitForExit(timeout: .seconds(20)) == 0, "\(server.errorOutput)")
            let reopened = try Database.open(at: path)
            defer { try? reopened.close() }
            #expect(reopened.openReport?.replayedRecords == 0)  // the shutdown checkpointed
            #expect(try reopened.table("events").count == rows + 1)
        }
    }

    @Test func aSecondSIGTERMEndsAShutdownStuckOnAClientThatStoppedReading() async throws {
        try await Self.withStalledStream(arguments: []) { server in
            server.signal(SIGTERM)
            try await Task.sleep(for: .milliseconds(300))
            server.signal(SIGTERM)
            let status = await server.waitForExit(timeout: .seconds(5))
            #expect(status == 1, "the server ignored the second SIGTERM: \(server.errorOutput)")
            #expect(server.errorOutput.contains("shutdown forced"))
            return status
        }
    }

    @Test func cancelsRequestsStillRunningAfterTheShutdownGracePeriod() async throws {
        try await Self.withStalledStream(arguments: ["--shutdown-grace-seconds", "0.5"]) { server in
            server.signal(SIGTERM)
            let status = await server.waitForExit(timeout: .seconds(5))
            #expect(status != nil, "the shutdown waited past its grace period: \(server.errorOutput)")
            return status
        }
    }

    /// Starts the binary over 20,000 records of 1 KiB and sends it a query for all of them on a connection
    /// that reads the status line and then nothing; runs `shutDown` (which signals the server and returns
    /// its exit status, `nil` when it did not exit), then checks that the database was checkpointed and
    /// closed.
    static func withStalledStream(
        arguments: [String], _ shutDown: @Sendable (ServerProcess) async throws -> Int32?
    ) async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory + "/db"
            let seed = try Database.open(at: path)
            let padding = Value.string(String(repeating: "x", count: 1024))
            try seed.createTable("blobs").insertBatch((0..<20_000).map { ["n": .int(Int64($0)), "pad": padding] })
            try seed.close()

            let server = try await ServerProcess.launch(
                executable: try Self.binary(), arguments: ["--db", path, "--port", "0", "--sync", "os"] + arguments)
            let stalled = try StalledClient(port: server.port)
            defer { stalled.close() }
            try stalled.sendQuery("SELECT * FROM blobs")
            #expect(try stalled.receiveSome().hasPrefix("HTTP/1.1 200"))
            try await Task.sleep(for: .milliseconds(300))

            guard try await shutDown(server) != nil else {
                server.signal(SIGKILL)
                _ = await server.waitForExit(timeout: .seconds(5))
                return
            }
            let reopened = try Database.open(at: path)
            defer { try? reopened.close() }
            #expect(reopened.openReport?.replayedRecords == 0)  // closed with a checkpoint all the same
            #expect(try reopened.table("blobs").count == 20_000)
        }
    }

    /// Polls `GET /stats` on a second connection until another request is inside its handler (two in
    /// flight, this one included), so the SIGTERM that follows lands while the query runs; gives up after
    /// a second (the query is then past its handler, streaming).
    static func waitUntilAQueryRuns(port: Int) async throws {
        let monitor = TestClient(host: "127.0.0.1", port: port)
        monitor.connect()
        let deadline = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < deadline {
            let stats = try await monitor.execute(.init("/stats", method: .get))
            let bytes = stats.body.map { Array($0.readableBytesView) } ?? []
            let body = try RequestJSON.object(from: bytes, maxDepth: 16)
            if let inFlight = body["server"].objectValue?["inFlight"].intValue, inFlight >= 2 { break }
        }
        try? await monitor.shutdown()
    }
}
