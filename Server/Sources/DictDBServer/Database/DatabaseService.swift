import DictDB
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import ServiceLifecycle

/// The open database as a service of the server's `ServiceGroup`: it runs database calls on its own
/// threads, and on graceful shutdown (which the group signals only after the HTTP server has stopped and
/// finished the requests in flight) checkpoints and closes the database.
///
/// ```swift
/// let database = try Database.open(at: "./data", options: options)
/// let service = DatabaseService(database: database)
/// let server = try ServerApplication(database: service, configuration: configuration)
/// try await server.run()   // SIGTERM/SIGINT: stop accepting, finish requests, checkpoint, close
/// ```
///
/// DictDB's calls are synchronous and may block on `fdatasync`; running them on a dedicated pool keeps the
/// event loops free and lets concurrent committers share one sync (group commit).
public final class DatabaseService: Service, Sendable {
    /// The database served.
    public let database: Database
    private let pool: NIOThreadPool
    private let logger: Logger
    /// Why the close at shutdown failed, if it did.
    private let closeError = NIOLockedValueBox<(any Error)?>(nil)

    /// Wraps an open database; `threads` database calls may run at once.
    public init(database: Database, threads: Int = 16, logger: Logger = Logger(label: "dictdb-server.database")) {
        self.database = database
        self.pool = NIOThreadPool(numberOfThreads: max(1, threads))
        self.logger = logger
        pool.start()
    }

    /// Runs `body` on a database thread.
    /// - Throws: what `body` throws; ``DictDBError/Code/invalidState`` once the service has shut down.
    public func perform<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.runIfActive { [database] in try body(database) }
        } catch let error as DictDBError {
            throw error
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw DictDBError(.invalidState, "the server is shutting down")
        }
    }

    /// Waits for graceful shutdown (or cancellation), then checkpoints and closes the database and stops
    /// the threads.
    /// - Throws: the close's error (a checkpoint refused because the database turned read-only after an
    ///   fsync failure...), so the server does not report a clean shutdown; the lock is released anyway.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutDown()
        if let error = closeError.withLockedValue({ $0 }) { throw error }
    }

    /// Checkpoints and closes the database, then stops the threads. Idempotent.
    public func shutDown() async {
        do {
            // In a task of its own: the close must run even when the caller was cancelled (a failed bind).
            let pool = self.pool
            try await Task { [database] in try await pool.runIfActive { try database.close() } }.value
            logger.info("database checkpointed and closed")
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            return
        } catch {
            logger.error("closing the database failed: \(error)")
            closeError.withLockedValue { $0 = error }
        }
        try? await pool.shutdownGracefully()
    }
}
