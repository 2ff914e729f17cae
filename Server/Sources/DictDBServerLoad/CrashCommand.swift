import ArgumentParser
import DictDB
import DictDBServerProcess
import Foundation
import NIOConcurrencyHelpers

/// `dictdb-server-load crash`: drives concurrent inserts into `dictdb-server --sync always`, SIGKILLs it
/// mid-load, reopens the directory with DictDB and checks that every acknowledged insert is there.
struct CrashCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash",
        abstract: "Kill -9 the server under concurrent inserts; verify every acknowledged write survived.")

    @OptionGroup var options: ServerOptions

    @Option(name: .long, help: "Kill cycles, each reopening the same directory (recovering the previous crash).")
    var cycles = 3

    @Option(name: .long, help: "The longest time inserts run before the kill, in seconds (the kill time is random).")
    var seconds = 3.0

    @Option(name: .long, help: "The seed of the kill times.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "The database directory (default: a fresh temporary one, removed afterwards).")
    var directory: String?

    func validate() throws {
        guard (1...1000).contains(cycles) else { throw ValidationError("--cycles must be 1...1000") }
        guard seconds > 0 && seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
    }

    func run() async throws {
        let base = try directory ?? makeTemporaryDirectory("dictdb-server-crash")
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: base) } }
        let path = base + "/db"
        var random = SplitMix(seed: seed)
        var totalAcked = 0
        var totalLost = 0
        for cycle in 1...cycles {
            let killAfter = Duration.milliseconds(
                Int64(Double(random.next() % 1000) / 1000 * seconds * 700 + seconds * 300))
            let (acked, lost) = try await runCycle(cycle, path: path, killAfter: killAfter)
            totalAcked += acked
            totalLost += lost
        }
        say("crash check: \(cycles) cycles, \(totalAcked) acknowledged writes, lost = \(totalLost)")
        if totalLost > 0 { throw ExitCode.failure }
    }

    /// One cycle: start, insert from every connection, kill, verify. Returns (acknowledged, lost).
    private func runCycle(_ cycle: Int, path: String, killAfter: Duration) async throws -> (Int, Int) {
        let server = try await ServerProcess.launch(
            executable: try options.binary(), arguments: ["--db", path, "--port", "0", "--sync", "always"])
        let setup = LoadClient(port: server.port)
        _ = try await setup.send(.post, "/tables", body: #"{"name": "acks", "ifNotExists": true}"#)
        await setup.close()

        // Every key the server acknowledged (201), with the record it stored.
        let acked = NIOLockedValueBox([Int64: (worker: Int, seq: Int)]())
        let port = server.port
        let connections = options.connections
        let writers = Task {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<connections {
                    group.addTask {
                        let client = LoadClient(port: port)
                        var seq = 0
                        while !Task.isCancelled {
                            seq += 1
                            let body = #"{"cycle": \#(cycle), "worker": \#(worker), "seq": \#(seq)}"#
                            guard let (status, text) = try? await client.send(.post, "/tables/acks/records", body: body)
                            else { break }  // the server died mid-request: not acknowledged
                            guard status == 201, let key = Self.key(in: text) else { continue }
                            acked.withLockedValue { $0[key] = (worker, seq) }
                        }
                        await client.close()
                    }
                }
            }
        }
        try await Task.sleep(for: killAfter)
        server.signal(SIGKILL)
        _ = await server.waitForExit(timeout: .seconds(10))
        writers.cancel()
        await writers.value

        let acknowledged = acked.withLockedValue { $0 }
        let database = try Database.open(at: path)
        defer { try? database.close() }
        let table = try database.table("acks")
        var lost = 0
        for (key, expected) in acknowledged {
            guard let record = try table.get(.int(key)), record["worker"] == .int(Int64(expected.worker)),
                record["seq"] == .int(Int64(expected.seq)), record["cycle"] == .int(Int64(cycle))
            else {
                lost += 1
                continue
            }
        }
        let recovered = try table.count(where: .comparison(field: "cycle", op: .equal, value: .int(Int64(cycle))))
        say(
            "cycle \(cycle): killed after \(killAfter), \(acknowledged.count) acknowledged, \(recovered) recovered "
                + "(unacknowledged in flight may survive), lost = \(lost)")
        return (acknowledged.count, lost)
    }

    private static func key(in body: String) -> Int64? {
        guard let range = body.range(of: #""key":"#) else { return nil }
        return Int64(body[range.upperBound...].prefix { $0 == "-" || $0.isNumber })
    }
}

/// A small seeded generator (SplitMix64), so kill times repeat with the seed.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
