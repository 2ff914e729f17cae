import ArgumentParser
import DictDBServerProcess

/// `dictdb-server-load`: measures the server's throughput and checks that it loses no acknowledged write
/// when killed. Loopback only; every run is bounded in requests and time.
@main
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dictdb-server-load",
        abstract: "Load-test dictdb-server on loopback and check it survives kill -9.",
        subcommands: [BenchCommand.self, CrashCommand.self])
}

/// Options both subcommands share.
struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: "The dictdb-server binary (default: the one built next to this tool).")
    var server: String?

    @Option(name: .long, help: "Concurrent connections.")
    var connections = 16

    func binary() throws -> String {
        if let server { return server }
        guard let found = ServerProcess.locate("dictdb-server") else {
            throw ValidationError("dictdb-server is not built next to dictdb-server-load; pass --server")
        }
        return found
    }

    func validate() throws {
        guard (1...256).contains(connections) else { throw ValidationError("--connections must be 1...256") }
    }
}
