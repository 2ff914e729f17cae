import Backup
import DictDB
import Dispatch
import Foundation
import Testing

/// A temporary directory removed when the test that made it ends.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/dictdb-backup-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    /// The names in the directory (or in `subdirectory`), sorted.
    func contents(_ subdirectory: String? = nil) -> [String] {
        let target = subdirectory.map(file) ?? path
        return ((try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []).sorted()
    }
}

/// A manager on a manual clock, with deterministic wall time and jitter.
struct Harness {
    let clock = ManualClock()
    let temporary: TemporaryDirectory
    let database: Database
    var directory: String { temporary.file("backups") }

    func file(_ name: String) -> String { temporary.file(name) }

    init() throws {
        temporary = try TemporaryDirectory()
        database = Database()
        try database.createTable("accounts").insert(["owner": "Ada", "balance": 100])
    }

    /// A configuration whose wall clock and random source come from the test.
    func configuration(
        interval: Duration? = .seconds(60), spacing: Duration = .seconds(10), random: Double = 0.5
    ) -> BackupConfiguration {
        var configuration = BackupConfiguration()
        configuration.codec = "json"
        configuration.interval = interval
        configuration.minimumSpacing = spacing
        configuration.retention = .keepAll
        let clock = self.clock
        configuration.wallClock = { clock.wallMillis }
        configuration.random = { random }
        return configuration
    }

    func manager(
        _ configuration: BackupConfiguration, source: (any BackupSource)? = nil
    ) -> BackupManager {
        BackupManager(source: source ?? database, directory: directory, configuration: configuration, clock: clock)
    }

    /// The backup names in the directory, oldest first.
    func backups() throws -> [BackupFileName] {
        try BackupDirectory(directory).list().map(\.name)
    }

    /// Changes the database (one insert).
    func change() throws {
        try database.table("accounts").insert(["owner": "Grace", "balance": 1])
    }
}

/// Waits until the manager's loop sleeps on the clock with nothing left to do now.
func idle(
    _ manager: BackupManager, _ clock: ManualClock, attempts: Int, sourceLocation: SourceLocation = #_sourceLocation
)
    async
{
    await eventually("\(attempts) attempts and a sleeping loop", sourceLocation: sourceLocation) {
        let status = manager.status
        return status.succeeded + status.skipped + status.failed >= attempts && clock.sleeperCount > 0
    }
}

/// A source that forwards to a database but fails the first `failures` writes, or blocks each write until
/// released: failures and in-flight backups on demand.
final class ControlledSource: BackupSource, @unchecked Sendable {
    // @unchecked: the counters are only touched under `lock`; the semaphores are thread-safe.
    let base: Database
    private let lock = NSLock()
    private var remainingFailures: Int
    private var writes = 0
    private let blocking: Bool
    let entered = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)

    init(_ base: Database, failures: Int = 0, blocking: Bool = false) {
        self.base = base
        remainingFailures = failures
        self.blocking = blocking
    }

    var registry: Registry { base.registry }
    var backupChangeMarker: BackupChangeMarker { base.backupChangeMarker }
    var writeCount: Int { lock.withLock { writes } }

    func setFailures(_ count: Int) { lock.withLock { remainingFailures = count } }

    func writeBackupSnapshot(
        codec: String, fileSystem: any FileSystem, path: (BackupChangeMarker) -> String
    ) throws(DictDBError) -> BackupSnapshot {
        let fail = lock.withLock { () -> Bool in
            writes += 1
            guard remainingFailures > 0 else { return false }
            remainingFailures -= 1
            return true
        }
        if fail { throw DictDBError(.io, "injected failure", context: .init(path: "disk")) }
        if blocking {
            entered.signal()
            release.wait()
        }
        return try base.writeBackupSnapshot(codec: codec, fileSystem: fileSystem, path: path)
    }
}

/// Flips one byte of a file in place.
func corrupt(_ path: String, at offset: Int? = nil) throws {
    var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
    let position = offset ?? bytes.count / 2
    bytes[position] ^= 0x5A
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// The code of the `DictDBError` that `body` throws, or `nil` when it throws none (or another error).
func errorCode(of body: () throws -> Void) -> DictDBError.Code? {
    do {
        try body()
        return nil
    } catch {
        return (error as? DictDBError)?.code
    }
}
