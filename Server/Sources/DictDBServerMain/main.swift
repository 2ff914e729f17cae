import ArgumentParser
import DictDBServer
import Foundation

/// `dictdb-server`: serves one DictDB database over HTTP.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dictdb-server",
        abstract: "Serve a DictDB database over HTTP (JSON API; see Server/README.md).",
        discussion: "Binds to 127.0.0.1 by default; any other address requires --token-file.")

    @Option(name: .long, help: "The database directory (created when missing).")
    var db: String

    @Option(name: .long, help: "The address to bind.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to bind (0 picks a free one and prints it).")
    var port = 8080

    @Option(name: .customLong("token-file"), help: "A file holding the bearer token every request must carry.")
    var tokenFile: String?

    @Option(name: .long, help: "The sync policy: always, batch or os (default: the database's own).")
    var sync: String?

    @Option(name: .customLong("max-body-bytes"), help: "The largest request body accepted.")
    var maxBodyBytes = ServerLimits().maxBodyBytes

    @Option(name: .customLong("max-result-rows"), help: "The most rows one query may return.")
    var maxResultRows = ServerLimits().maxResultRows

    @Option(
        name: .customLong("shutdown-grace-seconds"),
        help: "How long SIGTERM waits for requests in flight before cancelling them (a second signal: at once).")
    var shutdownGraceSeconds = 30.0

    func validate() throws {
        guard shutdownGraceSeconds > 0 && shutdownGraceSeconds <= 3600 else {
            throw ValidationError("--shutdown-grace-seconds must be in (0, 3600]")
        }
    }

    func run() async throws {
        var options = ServerLaunchOptions(databasePath: db)
        options.host = host
        options.port = port
        options.tokenFile = tokenFile
        options.syncPolicy = sync
        options.limits.maxBodyBytes = maxBodyBytes
        options.limits.maxResultRows = maxResultRows
        options.shutdownGracePeriod = .milliseconds(Int64((shutdownGraceSeconds * 1000).rounded()))
        do {
            try await ServerLauncher.run(options)
        } catch {
            // A refused option or a database that cannot be opened: say why, exit 1, bind nothing.
            FileHandle.standardError.write(Data("dictdb-server: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
