import DictDB

/// Everything the HTTP server needs besides the database: where to listen, the token, the limits and the
/// backup directory.
///
/// ```swift
/// var configuration = ServerConfiguration(backupDirectory: "/var/lib/app/db-backups")
/// configuration.port = 8080
/// try configuration.validate()   // a non-loopback host needs a token
/// ```
public struct ServerConfiguration: Sendable {
    /// The address to bind (default `127.0.0.1`, loopback only).
    public var host: String
    /// The TCP port to bind; 0 picks a free one.
    public var port: Int
    /// The bearer token every request but `GET /health` must carry, or `nil` for none (loopback only).
    public var token: String?
    /// Request and result size limits.
    public var limits: ServerLimits
    /// The fixed directory `POST /admin/backup` writes to; requests never choose a path.
    public var backupDirectory: String
    /// How many threads run database calls (which may block on `fdatasync`), default 16.
    public var databaseThreads: Int
    /// The codec backups are written with (default `msgpack+lz4`); fixed here, never taken from a request.
    public var backupCodec: String = "msgpack+lz4"
    /// How many backups to keep in ``backupDirectory`` (default 10).
    public var backupKeep: Int = 10
    /// How long a connection may send nothing while the server waits for a request or for the rest of one
    /// (default 60 s); then it is closed. A response being written is never cut by it.
    public var idleTimeout: Duration = .seconds(60)
    /// How long writing a streamed result may make no progress (a client that stopped reading) before the
    /// connection is closed and the result released (default 60 s).
    public var sendTimeout: Duration = .seconds(60)
    /// How long a graceful shutdown waits for the requests in flight before cancelling them (default 30 s);
    /// a second SIGTERM or SIGINT cancels them at once.
    public var shutdownGracePeriod: Duration = .seconds(30)

    /// Creates a configuration bound to loopback without a token.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, limits: ServerLimits = ServerLimits(),
        backupDirectory: String, databaseThreads: Int = 16
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.limits = limits
        self.backupDirectory = backupDirectory
        self.databaseThreads = databaseThreads
    }

    /// Whether ``host`` is a loopback address (`127.0.0.0/8`, `::1` or `localhost`).
    public var bindsToLoopback: Bool { Self.isLoopback(host) }

    /// Checks that the configuration is safe to serve.
    /// - Throws: ``DictDBError/Code/invalidArgument`` when the host is not loopback and there is no token,
    ///   when the token is empty, or when a port, limit, timeout or thread count is out of range.
    public func validate() throws(DictDBError) {
        if let token, token.isEmpty {
            throw DictDBError(.invalidArgument, "the token is empty")
        }
        if !bindsToLoopback && token == nil {
            throw DictDBError(
                .invalidArgument,
                "refusing to listen on \(host) without a token: binding beyond loopback requires --token-file")
        }
        guard (0...65535).contains(port) else {
            throw DictDBError(.invalidArgument, "the port must be between 0 and 65535, not \(port)")
        }
        guard backupKeep >= 1 else {
            throw DictDBError(.invalidArgument, "at least one backup must be kept")
        }
        guard idleTimeout > .zero && idleTimeout <= .seconds(86_400) else {
            throw DictDBError(.invalidArgument, "the idle timeout must be positive and at most a day")
        }
        guard sendTimeout > .zero else {
            throw DictDBError(.invalidArgument, "the send timeout must be positive")
        }
        guard shutdownGracePeriod > .zero else {
            throw DictDBError(.invalidArgument, "the shutdown grace period must be positive")
        }
        guard (1...256).contains(databaseThreads) else {
            throw DictDBError(.invalidArgument, "the database thread count must be between 1 and 256")
        }
        let positive = [
            limits.maxBodyBytes, limits.maxStatementBytes, limits.maxResultRows, limits.maxJSONDepth,
            limits.maxBatchRecords,
        ]
        guard positive.allSatisfy({ $0 > 0 }) else {
            throw DictDBError(.invalidArgument, "every server limit must be positive")
        }
    }

    /// Whether `host` names the loopback interface.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in UInt8(part) != nil }
    }
}
