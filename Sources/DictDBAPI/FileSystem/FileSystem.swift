/// The file operations DictDB's durable parts (snapshots, journals, backups) perform, and nothing else.
///
/// Everything that writes to disk goes through this protocol, so tests can replace the real file system
/// (``PosixFileSystem``) with one that injects faults (short writes, EIO, ENOSPC) or simulates power loss.
///
/// ## Contract
///
/// An implementation must guarantee:
/// - Each method either does all it says or throws ``DictDBError/Code/io`` (with the path and the system
///   error) having done nothing that a later call could observe, except where noted (a short write).
/// - ``createExclusive(_:)`` fails if the path exists.
/// - ``rename(_:to:)`` atomically replaces the target, and is durable after ``syncDirectory(_:)`` of the
///   target's directory.
public protocol FileSystem: Sendable {
    /// Opens an existing file for reading.
    func openForReading(_ path: String) throws(DictDBError) -> any ReadableFile
    /// Creates a new file for writing (owner read/write only); fails if it exists.
    func createExclusive(_ path: String) throws(DictDBError) -> any WritableFile
    /// Opens a file for appending, creating it if `create` is true.
    func openForAppending(_ path: String, create: Bool) throws(DictDBError) -> any WritableFile
    /// Renames `source` to `destination`, atomically replacing it.
    func rename(_ source: String, to destination: String) throws(DictDBError)
    /// Removes a file.
    func removeFile(_ path: String) throws(DictDBError)
    /// Flushes a directory's entries (creations, renames, removals) to stable storage.
    func syncDirectory(_ path: String) throws(DictDBError)
    /// Creates a directory (and missing parents); succeeds if it already exists.
    func createDirectory(_ path: String) throws(DictDBError)
    /// The names of the entries of a directory, sorted, without `.` and `..`.
    func contentsOfDirectory(_ path: String) throws(DictDBError) -> [String]
    /// The size of a file in bytes, or `nil` if nothing exists at `path`.
    func fileSize(_ path: String) throws(DictDBError) -> Int64?
    /// Takes an exclusive advisory lock on `path` (created if missing) without waiting; the lock lasts
    /// until ``FileLock/release()`` or the process ends.
    /// - Throws: ``DictDBError/Code/locked`` when another holder has it, ``DictDBError/Code/io``.
    func lockExclusively(_ path: String) throws(DictDBError) -> any FileLock
}

/// An exclusive lock on a file, held until released (or the process ends, whatever the way).
public protocol FileLock: AnyObject, Sendable {
    /// Releases the lock; calling it again does nothing.
    func release()
}

/// A file open for reading: a ``ByteSource`` that can be closed.
public protocol ReadableFile: ByteSource {
    /// Closes the file; later reads throw ``DictDBError/Code/invalidState``.
    func close() throws(DictDBError)
}

/// A file open for writing: a ``ByteSink`` that can be synced, truncated and closed.
public protocol WritableFile: ByteSink {
    /// The number of bytes written through this handle (for appending: the file size at open plus writes).
    var offset: Int64 { get }
    /// Forces written data to stable storage (`fdatasync`).
    func sync() throws(DictDBError)
    /// Cuts the file to `size` bytes (after a failed append).
    func truncate(to size: Int64) throws(DictDBError)
    /// Closes the file; later calls throw ``DictDBError/Code/invalidState``.
    func close() throws(DictDBError)
}

extension FileSystem {
    /// Whether anything exists at `path`.
    public func exists(_ path: String) -> Bool {
        ((try? fileSize(path)) ?? nil) != nil
    }
}

/// Splits and joins slash-separated paths without touching the file system.
public enum FilePath {
    /// The directory part of `path` (`"."` when it has none).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component of `path`.
    public static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `directory/name`.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
