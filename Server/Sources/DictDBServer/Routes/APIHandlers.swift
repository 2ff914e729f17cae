import DictDB
import Hummingbird

/// The state every handler shares: the database service, the configuration, the counters and the backup
/// manager.
struct APIHandlers: Sendable {
    let service: DatabaseService
    let configuration: ServerConfiguration
    let stats: ServerStats
    let backups: BackupManager

    var limits: ServerLimits { configuration.limits }

    /// Registers every endpoint on `routes`.
    func register(on routes: RouteRecorder<ServerRequestContext>) {
        registerAdmin(on: routes)
        registerTables(on: routes)
        registerRecords(on: routes)
        registerQueries(on: routes)
        registerIndexes(on: routes)
    }

    /// Runs `body` with the named table on a database thread.
    func withTable<T: Sendable>(
        _ name: String, _ body: @escaping @Sendable (Table) throws -> T
    ) async throws -> T {
        try await service.perform { database in try body(try database.table(name)) }
    }

    /// Refuses results over the row limit.
    func checkResultSize(_ count: Int) throws(DictDBError) {
        guard count <= limits.maxResultRows else {
            throw DictDBError(
                .limitExceeded,
                "the result has \(count) rows, more than the limit of \(limits.maxResultRows); add a limit")
        }
    }
}
