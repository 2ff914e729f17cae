import DictDB

#if canImport(Glibc)
import Glibc
#endif

/// The few file operations the fuzzer needs, through DictDB's own ``PosixFileSystem`` where it has them.
enum FileIO {
    /// The whole content of the file at `path`.
    static func read(_ path: String, fileSystem: any FileSystem = PosixFileSystem()) throws(DictDBError) -> [UInt8] {
        let file = try fileSystem.openForReading(path)
        defer { try? file.close() }
        return try file.readAll()
    }

    /// Replaces the file at `path` with `bytes` (no fsync: the files are scratch).
    static func write(
        _ bytes: [UInt8], to path: String, fileSystem: any FileSystem = PosixFileSystem()
    ) throws(DictDBError) {
        if fileSystem.exists(path) { try fileSystem.removeFile(path) }
        let file = try fileSystem.createExclusive(path)
        do {
            try file.write(bytes)
            try file.close()
        } catch {
            try? file.close()
            throw error
        }
    }

    /// Creates a fresh private directory under `$TMPDIR` (or `/tmp`) and returns its path.
    static func makeTemporaryDirectory(prefix: String) throws(DictDBError) -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base.isEmpty ? "/tmp" : base)/\(prefix).XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let made else {
            throw DictDBError(.io, "mkdtemp failed in \(base) (errno \(errno))", context: .init(path: base))
        }
        return made
    }

    /// Removes `directory` and the plain files directly inside it (the fuzzer makes no deeper trees).
    static func removeDirectory(_ directory: String, fileSystem: any FileSystem = PosixFileSystem()) {
        for name in (try? fileSystem.contentsOfDirectory(directory)) ?? [] {
            try? fileSystem.removeFile(FilePath.join(directory, name))
        }
        _ = rmdir(directory)
    }

    /// Creates `directory` unless it exists.
    static func ensureDirectory(_ directory: String, fileSystem: any FileSystem = PosixFileSystem()) throws(DictDBError)
    {
        if !fileSystem.exists(directory) { try fileSystem.createDirectory(directory) }
    }
}
