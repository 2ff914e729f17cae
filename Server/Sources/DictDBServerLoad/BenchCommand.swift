import ArgumentParser
import DictDBServerProcess
import Foundation
import NIOConcurrencyHelpers

/// `dictdb-server-load bench`: requests per second for get-by-key, an indexed query and inserts.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure requests/s for get-by-key, an indexed query and inserts over N connections.")

    @OptionGroup var options: ServerOptions

    @Option(name: .long, help: "Records seeded into the table.")
    var rows = 100_000

    @Option(name: .long, help: "Seconds per scenario (at most).")
    var seconds = 5.0

    @Option(name: .long, help: "Requests per scenario (at most).")
    var requests = 1_000_000

    func validate() throws {
        guard (1...5_000_000).contains(rows) else { throw ValidationError("--rows must be 1...5000000") }
        guard seconds > 0 && seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
        guard requests >= 1 else { throw ValidationError("--requests must be positive") }
    }

    func run() async throws {
        let directory = try makeTemporaryDirectory("dictdb-server-bench")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try await ServerProcess.launch(
            executable: try options.binary(), arguments: ["--db", directory + "/db", "--port", "0", "--sync", "always"])
        defer { server.signal(SIGKILL) }
        say("dictdb-server on 127.0.0.1:\(server.port); seeding \(rows) rows")
        try await seed(port: server.port)

        let rows = self.rows
        var failed = false
        let getByKey = try await measure("get-by-key", port: server.port) { client, n in
            try await client.send(.get, "/tables/users/records/\(1 + n % rows)")
        }
        let indexed = try await measure("indexed query (email ==, hash index)", port: server.port) { client, n in
            try await client.send(
                .post, "/tables/users/query",
                body: #"{"where": {"field": "email", "op": "==", "value": "user\#(n % rows)@example.com"}}"#)
        }
        let inserts = try await measure("insert (--sync always, group commit)", port: server.port) { client, n in
            try await client.send(.post, "/tables/events/records", body: #"{"n": \#(n)}"#)
        }
        for result in [getByKey, indexed, inserts] where result.errors > 0 { failed = true }
        server.signal(SIGTERM)
        _ = await server.waitForExit(timeout: .seconds(30))
        if failed { throw ExitCode.failure }
    }

    private func seed(port: Int) async throws {
        let client = LoadClient(port: port)
        _ = try await client.send(.post, "/tables", body: #"{"name": "users"}"#)
        _ = try await client.send(.post, "/tables", body: #"{"name": "events"}"#)
        _ = try await client.send(.post, "/tables/users/indexes", body: #"{"field": "email", "kind": "hash"}"#)
        var start = 0
        while start < rows {
            let end = min(start + 10_000, rows)
            let records = (start..<end).map { n in
                #"{"name": "user \#(n)", "email": "user\#(n)@example.com", "dept": "d\#(n % 100)", "age": \#(20 + n % 50)}"#
            }
            let (status, body) = try await client.send(
                .post, "/tables/users/batch", body: #"{"records": [\#(records.joined(separator: ","))]}"#)
            guard status == 201 else { throw ValidationError("seeding failed: \(status) \(body)") }
            start = end
        }
        // Fold the seeding journal into a snapshot now, so no automatic checkpoint runs while measuring.
        _ = try await client.send(.post, "/admin/checkpoint")
        await client.close()
    }

    struct Result {
        var completed = 0
        var errors = 0
        var latencies: [Duration] = []
    }

    /// Runs `request` from `options.connections` connections until the time or request budget is spent.
    private func measure(
        _ name: String, port: Int, _ request: @escaping @Sendable (LoadClient, Int) async throws -> (Int, String)
    ) async throws -> Result {
        let budget = Duration.milliseconds(Int64(seconds * 1000))
        let counter = NIOLockedValueBox(0)
        let limit = requests
        let started = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: Result.self) { group in
            for _ in 0..<options.connections {
                group.addTask {
                    let client = LoadClient(port: port)
                    var result = Result()
                    while ContinuousClock.now - started < budget {
                        let n = counter.withLockedValue { value -> Int in
                            value += 1
                            return value
                        }
                        if n > limit { break }
                        let sent = ContinuousClock.now
                        let (status, _) = try await request(client, n)
                        result.latencies.append(ContinuousClock.now - sent)
                        if status < 300 { result.completed += 1 } else { result.errors += 1 }
                    }
                    await client.close()
                    return result
                }
            }
            var total = Result()
            for try await result in group {
                total.completed += result.completed
                total.errors += result.errors
                total.latencies += result.latencies
            }
            return total
        }
        let elapsed = ContinuousClock.now - started
        let secondsTaken = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let sorted = results.latencies.sorted()
        func percentile(_ p: Double) -> String {
            guard !sorted.isEmpty else { return "-" }
            let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
            let milliseconds = Double(value.components.attoseconds) / 1e15 + Double(value.components.seconds) * 1000
            return String(format: "%.2f", milliseconds) + " ms"
        }
        let rate = String(format: "%.0f", Double(results.completed) / secondsTaken)
        say(
            "\(name): \(rate) requests/s (\(results.completed) ok, \(results.errors) errors, "
                + "\(options.connections) connections, \(String(format: "%.1f", secondsTaken)) s; "
                + "p50 \(percentile(0.5)), p99 \(percentile(0.99)))")
        return results
    }
}
