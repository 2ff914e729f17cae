import DictDB
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The HTTP server over one database: a Hummingbird application whose service group runs the HTTP server
/// and the ``DatabaseService``.
///
/// ```swift
/// let database = try Database.open(at: "./data")
/// let server = try ServerApplication(
///     database: DatabaseService(database: database),
///     configuration: ServerConfiguration(backupDirectory: "./data-backups"))
/// try await server.run()
/// ```
///
/// On SIGTERM or SIGINT ``run()`` stops the HTTP server first (it stops accepting and finishes the
/// requests in flight), then the database service checkpoints and closes the database. A second signal, or
/// a shutdown still waiting after ``ServerConfiguration/shutdownGracePeriod`` (a client that stopped
/// reading a streamed result), cancels the requests left; the database is still checkpointed and closed.
public struct ServerApplication: Sendable {
    /// The Hummingbird application to test, or to run inside a service group of your own (``run()`` adds
    /// the signal handling).
    public let application: Application<RouterResponder<ServerRequestContext>>
    /// Every endpoint registered, for checking the OpenAPI document.
    public let endpoints: [Endpoint]
    /// How long a graceful shutdown may wait for the requests in flight.
    private let shutdownGracePeriod: Duration

    /// Builds the application.
    /// - Parameters:
    ///   - database: The database service; it closes the database when the application shuts down.
    ///   - configuration: Address, token, limits and backup settings.
    ///   - logger: Where the server logs.
    ///   - onListening: Called with the bound port once the server accepts connections.
    /// - Throws: ``DictDBError/Code/invalidArgument`` when ``ServerConfiguration/validate()`` refuses the
    ///   configuration (a non-loopback host without a token...).
    public init(
        database: DatabaseService, configuration: ServerConfiguration,
        logger: Logger = Logger(label: "dictdb-server"),
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws(DictDBError) {
        try configuration.validate()
        let stats = ServerStats()
        var backupConfiguration = BackupConfiguration()
        backupConfiguration.codec = configuration.backupCodec
        backupConfiguration.interval = nil
        backupConfiguration.retention = RetentionPolicy(keepCount: configuration.backupKeep)
        let backups = BackupManager(
            source: database.database, directory: configuration.backupDirectory, configuration: backupConfiguration)

        let router = Router(context: ServerRequestContext.self)
        let routeTable = RouteTable()
        router.add(middleware: ErrorMiddleware(stats: stats, routes: routeTable))
        if let token = configuration.token {
            router.add(middleware: AuthMiddleware(token: token))
        }
        let routes = RouteRecorder(router: router)
        APIHandlers(service: database, configuration: configuration, stats: stats, backups: backups)
            .register(on: routes)
        endpoints = routes.endpoints.sorted()
        routeTable.set(endpoints)
        shutdownGracePeriod = configuration.shutdownGracePeriod

        application = Application(
            responder: router.buildResponder(),
            server: .http1(
                configuration: .init(idleTimeout: .nanoseconds(Int64(configuration.idleTimeout / .nanoseconds(1))))),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "dictdb-server"),
            services: [database],
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully: stops accepting, finishes the requests
    /// in flight, checkpoints and closes the database.
    ///
    /// A second signal, or a graceful shutdown that has not finished after
    /// ``ServerConfiguration/shutdownGracePeriod``, cancels the requests still running (a client that
    /// stopped reading a streamed result would otherwise hold the shutdown forever); the database is
    /// checkpointed and closed all the same.
    /// - Throws: the server's error, or ``DictDBError/Code/invalidState`` after a second signal (the database
    ///   is closed by then).
    public func run() async throws {
        var groupConfiguration = ServiceGroupConfiguration(services: [application], logger: application.logger)
        groupConfiguration.maximumGracefulShutdownDuration = shutdownGracePeriod
        let group = ServiceGroup(configuration: groupConfiguration)
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let logger = application.logger
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                var received = 0
                for await signal in signals {
                    received += 1
                    if received == 1 {
                        logger.info("\(signal): finishing the requests in flight, then closing the database")
                        await group.triggerGracefulShutdown()
                    } else {
                        logger.warning("\(signal) again: cancelling the requests still running")
                        throw DictDBError(
                            .invalidState, "shutdown forced by a second \(signal): requests in flight were cancelled")
                    }
                }
            }
            // The group finishing ends the signal watcher; a second signal ends the group (cancelled).
            try await tasks.next()
            tasks.cancelAll()
        }
    }
}
