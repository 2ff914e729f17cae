import DictDB
import Hummingbird
import Logging
import NIOCore

/// The HTTP server over one database: a Hummingbird application whose service group runs the HTTP server
/// and the ``DatabaseService``.
///
/// ```swift
/// let database = try Database.open(at: "./data")
/// let server = try ServerApplication(
///     database: DatabaseService(database: database),
///     configuration: ServerConfiguration(backupDirectory: "./data-backups"))
/// try await server.application.runService()
/// ```
///
/// On SIGTERM or SIGINT the group stops the HTTP server first (it stops accepting and finishes the
/// requests in flight), then the database service checkpoints and closes the database.
public struct ServerApplication: Sendable {
    /// The Hummingbird application to run (`runService()`) or test.
    public let application: Application<RouterResponder<BasicRequestContext>>
    /// Every endpoint registered, for checking the OpenAPI document.
    public let endpoints: [Endpoint]

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

        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorMiddleware(stats: stats))
        if let token = configuration.token {
            router.add(middleware: AuthMiddleware(token: token))
        }
        let routes = RouteRecorder(router: router)
        APIHandlers(service: database, configuration: configuration, stats: stats, backups: backups)
            .register(on: routes)
        endpoints = routes.endpoints.sorted()

        application = Application(
            responder: router.buildResponder(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "dictdb-server"),
            services: [database],
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
