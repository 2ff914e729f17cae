import DictDB
import Foundation
import Testing

/// A temporary directory removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/dictdb-durable-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// The names of the entries, sorted.
    func contents(_ subdirectory: String? = nil) -> [String] {
        let target = subdirectory.map(file) ?? path
        return ((try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []).sorted()
    }

    /// The bytes of a file.
    func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Replaces a file's bytes.
    func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

/// Everything observable about a database's content: per table, records in order, key generator state and
/// index definitions. Two databases with equal dumps answer every query alike.
struct DatabaseDump: Equatable, CustomStringConvertible {
    struct TableDump: Equatable {
        var records: [Record]
        var keyState: Value
        var indexes: [IndexDefinition]
    }

    var tables: [String: TableDump]

    init(_ db: Database) throws {
        var tables: [String: TableDump] = [:]
        for name in db.tableNames {
            let table = try db.table(name)
            tables[name] = TableDump(
                records: try table.select(), keyState: table.keyGeneratorState, indexes: table.indexes)
        }
        self.tables = tables
    }

    var description: String {
        tables.keys.sorted().map { name in
            let table = tables[name]!
            return
                "\(name): \(table.records.count) records, keyState \(table.keyState), indexes \(table.indexes.map(\.name))"
        }.joined(separator: "; ")
    }
}

/// Options with a sync policy and, optionally, another journal format or file system.
func options(
    sync: String = "always", journal: String? = nil, codec: String? = nil, fileSystem: (any FileSystem)? = nil
) -> OpenOptions {
    var options = OpenOptions()
    options.syncPolicy = sync
    options.journalFormat = journal
    options.codec = codec
    if let fileSystem { options.fileSystem = fileSystem }
    return options
}

/// Runs `body` and returns the DictDBError it throws, or nil if it did not throw.
func captureError<T>(_ body: () throws -> T) -> DictDBError? {
    do {
        _ = try body()
        return nil
    } catch let error as DictDBError {
        return error
    } catch {
        Issue.record("expected a DictDBError, got \(error)")
        return nil
    }
}

/// Opens a database that the test released without `close()`: its last reference may still be going
/// away on another thread (a worker's closure context), which holds the lock for a moment longer.
func reopenAfterRelease(at path: String, options: OpenOptions = OpenOptions()) throws -> Database {
    let deadline = ContinuousClock.now + .seconds(10)
    while true {
        let result = Result { () throws(DictDBError) -> Database in try Database.open(at: path, options: options) }
        guard case .failure(let error) = result, error.code == .locked, ContinuousClock.now < deadline else {
            return try result.get()
        }
        Thread.sleep(forTimeInterval: 0.005)
    }
}

/// The real file system with a hook on its writable files: subclasses override ``wrap(_:)`` to slow or fail
/// what a test needs, everything else goes straight to ``PosixFileSystem``.
class WrappingFileSystem: FileSystem, @unchecked Sendable {
    // @unchecked: subclasses keep their own state thread-safe (atomics, LockedValue).
    let base = PosixFileSystem()

    /// The file the engine gets for a file opened for writing.
    func wrap(_ file: any WritableFile) -> any WritableFile { file }

    func openForReading(_ path: String) throws(DictDBError) -> any ReadableFile { try base.openForReading(path) }
    func createExclusive(_ path: String) throws(DictDBError) -> any WritableFile {
        wrap(try base.createExclusive(path))
    }
    func openForAppending(_ path: String, create: Bool) throws(DictDBError) -> any WritableFile {
        wrap(try base.openForAppending(path, create: create))
    }
    func rename(_ source: String, to destination: String) throws(DictDBError) {
        try base.rename(source, to: destination)
    }
    func removeFile(_ path: String) throws(DictDBError) { try base.removeFile(path) }
    func syncDirectory(_ path: String) throws(DictDBError) { try base.syncDirectory(path) }
    func createDirectory(_ path: String) throws(DictDBError) { try base.createDirectory(path) }
    func contentsOfDirectory(_ path: String) throws(DictDBError) -> [String] { try base.contentsOfDirectory(path) }
    func fileSize(_ path: String) throws(DictDBError) -> Int64? { try base.fileSize(path) }
    func lockExclusively(_ path: String) throws(DictDBError) -> any FileLock { try base.lockExclusively(path) }
}

/// A writable file that forwards every call; subclasses override the one they change.
class ForwardingFile: WritableFile {
    let base: any WritableFile

    init(_ base: any WritableFile) { self.base = base }

    var offset: Int64 { base.offset }
    func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) { try base.write(bytes) }
    func sync() throws(DictDBError) { try base.sync() }
    func truncate(to size: Int64) throws(DictDBError) { try base.truncate(to: size) }
    func close() throws(DictDBError) { try base.close() }
}
