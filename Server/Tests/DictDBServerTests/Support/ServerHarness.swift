import DictDB
import Hummingbird
import HummingbirdTesting
import Logging

@testable import DictDBServer

/// Starts the server in-process on a loopback port over a database in a fresh directory, and talks to it
/// over real HTTP (HummingbirdTesting's `.live` mode).
enum ServerHarness {
    /// The token tests use when one is configured.
    static let token = "test-token-0123456789abcdef"

    /// A logger that stays silent unless something is critical.
    static var quietLogger: Logger {
        var logger = Logger(label: "dictdb-server-tests")
        logger.logLevel = .critical
        return logger
    }

    /// Runs `body` against a live server over a new database in its own temporary directory; the server
    /// shuts down gracefully (checkpointing and closing the database) afterwards.
    static func withServer<T: Sendable>(
        token: String? = nil, limits: ServerLimits = ServerLimits(), openOptions: OpenOptions = OpenOptions(),
        idleTimeout: Duration = .seconds(60), sendTimeout: Duration = .seconds(60),
        prepare: (Database) throws -> Void = { _ in },
        _ body: @Sendable (APIClient, String) async throws -> T
    ) async throws -> T {
        try await TemporaryDirectory.with { directory in
            let path = directory + "/db"
            let database = try Database.open(at: path, options: openOptions)
            try prepare(database)
            let service = DatabaseService(database: database, threads: 4, logger: quietLogger)
            var configuration = ServerConfiguration(
                port: 0, token: token, limits: limits, backupDirectory: directory + "/db-backups")
            configuration.idleTimeout = idleTimeout
            configuration.sendTimeout = sendTimeout
            let server = try ServerApplication(database: service, configuration: configuration, logger: quietLogger)
            return try await server.application.test(.live) { client in
                try await body(APIClient(client: client, token: token), path)
            }
        }
    }
}
