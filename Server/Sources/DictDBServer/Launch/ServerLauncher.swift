import DictDB
import Foundation
import Logging

/// What `dictdb-server` is started with, before anything is opened.
public struct ServerLaunchOptions: Sendable {
    /// The database directory (created when missing).
    public var databasePath: String
    /// The address to bind.
    public var host: String = "127.0.0.1"
    /// The port to bind; 0 picks a free one (the chosen port is printed).
    public var port: Int = 8080
    /// A file holding the bearer token (surrounding whitespace ignored; one line of visible ASCII, at most
    /// 4 KiB), or `nil`.
    public var tokenFile: String?
    /// The sync policy: `always`, `batch` or `os`; `nil` keeps the database's own.
    public var syncPolicy: String?
    /// Request and result limits.
    public var limits = ServerLimits()
    /// How long a graceful shutdown waits for the requests in flight before cancelling them.
    public var shutdownGracePeriod: Duration = .seconds(30)

    /// The sync policies `--sync` accepts.
    public static let syncPolicies = ["always", "batch", "os"]
    /// The shortest token accepted.
    public static let minimumTokenLength = 16

    /// Options for the database in `databasePath`, with the defaults for the rest.
    public init(databasePath: String) {
        self.databasePath = databasePath
    }

    /// Where backups go: the directory `<database>-backups` beside the database, never chosen by a request.
    public var backupDirectory: String {
        var base = databasePath
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        return base + "-backups"
    }

    /// The largest token file read, in bytes.
    public static let maximumTokenFileBytes = 4096

    /// Problems worth telling the operator that do not stop the server: a token file that users other
    /// than its owner may read.
    public var warnings: [String] {
        guard let tokenFile,
            let permissions = try? FileManager.default.attributesOfItem(atPath: tokenFile)[.posixPermissions]
                as? Int,
            permissions & 0o077 != 0
        else { return [] }
        return [
            "the token file \(tokenFile) is readable by other users (mode \(String(permissions & 0o777, radix: 8))); "
                + "chmod 600 it"
        ]
    }

    /// Reads the token file (when given) and checks every option, without opening anything.
    /// - Throws: ``DictDBError/Code/invalidArgument`` for an unknown sync policy, an unreadable, empty,
    ///   short, oversized or multi-line token file, or a configuration ``ServerConfiguration/validate()``
    ///   refuses (a non-loopback host without a token).
    public func configuration() throws(DictDBError) -> ServerConfiguration {
        if let syncPolicy, !Self.syncPolicies.contains(syncPolicy) {
            throw DictDBError(
                .invalidArgument,
                "--sync must be one of \(Self.syncPolicies.joined(separator: ", ")), not \(syncPolicy)")
        }
        guard !databasePath.isEmpty else { throw DictDBError(.invalidArgument, "--db needs a directory") }
        var token: String?
        if let tokenFile {
            // Read at most one byte past the limit: a token file is small, never `/dev/zero` or a log.
            guard let handle = FileHandle(forReadingAtPath: tokenFile),
                let data = try? handle.read(upToCount: Self.maximumTokenFileBytes + 1),
                let text = String(data: data, encoding: .utf8)
            else {
                throw DictDBError(.invalidArgument, "cannot read the token file \(tokenFile)")
            }
            try? handle.close()
            guard data.count <= Self.maximumTokenFileBytes else {
                throw DictDBError(
                    .invalidArgument, "the token file \(tokenFile) is larger than \(Self.maximumTokenFileBytes) bytes")
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.count >= Self.minimumTokenLength else {
                throw DictDBError(
                    .invalidArgument,
                    "the token in \(tokenFile) is shorter than \(Self.minimumTokenLength) characters")
            }
            // What an `Authorization` header can carry after `Bearer `: visible ASCII, no spaces. A second
            // line or a control character would make every request fail with 401.
            guard trimmed.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw DictDBError(
                    .invalidArgument,
                    "the token in \(tokenFile) must be one line of visible ASCII characters without spaces")
            }
            token = trimmed
        }
        var configuration = ServerConfiguration(
            host: host, port: port, token: token, limits: limits, backupDirectory: backupDirectory)
        configuration.shutdownGracePeriod = shutdownGracePeriod
        try configuration.validate()
        return configuration
    }
}

/// Starts the server the way `dictdb-server` does: checks the options, opens the database, serves until
/// SIGTERM or SIGINT, then checkpoints and closes.
public enum ServerLauncher {
    /// Runs the server; returns after a graceful shutdown.
    /// - Throws: the options' or the open's ``DictDBError`` (nothing is bound when they fail), or the
    ///   server's error.
    public static func run(_ options: ServerLaunchOptions) async throws {
        let configuration = try options.configuration()
        for warning in options.warnings {
            FileHandle.standardError.write(Data("dictdb-server: warning: \(warning)\n".utf8))
        }
        var openOptions = OpenOptions()
        openOptions.syncPolicy = options.syncPolicy
        let database = try Database.open(at: options.databasePath, options: openOptions)
        let service = DatabaseService(database: database, threads: configuration.databaseThreads)
        let server: ServerApplication
        do {
            server = try ServerApplication(database: service, configuration: configuration) { port in
                let auth = configuration.token == nil ? "no token" : "bearer token required"
                let line = "dictdb-server listening on http://\(configuration.host):\(port) (\(auth))\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
        } catch {
            await service.shutDown()
            throw error
        }
        try await server.run()
    }
}
