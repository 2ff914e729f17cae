#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The real file system, one thin function per system call: each retries `EINTR` and turns a failure
/// into ``DictDBError/Code/io`` naming the call, the path and the system error.
public struct PosixFileSystem: FileSystem {
    /// Creates the file system.
    public init() {}

    /// Opens a file with `O_RDONLY | O_CLOEXEC`.
    public func openForReading(_ path: String) throws(DictDBError) -> any ReadableFile {
        PosixFile(descriptor: try Syscall.open(path, O_RDONLY | O_CLOEXEC, 0), path: path, offset: 0)
    }

    /// Creates a file with `O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC`, mode 0600.
    public func createExclusive(_ path: String) throws(DictDBError) -> any WritableFile {
        PosixFile(
            descriptor: try Syscall.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600), path: path, offset: 0)
    }

    /// Opens a file with `O_APPEND | O_WRONLY | O_CLOEXEC` (and `O_CREAT`, mode 0600, when asked).
    public func openForAppending(_ path: String, create: Bool) throws(DictDBError) -> any WritableFile {
        let flags = O_APPEND | O_WRONLY | O_CLOEXEC | (create ? O_CREAT : 0)
        let descriptor = try Syscall.open(path, flags, 0o600)
        let size: Int64
        do {
            size = try Syscall.fileSize(descriptor: descriptor, path: path)
        } catch {
            _ = Glibc.close(descriptor)
            throw error
        }
        return PosixFile(descriptor: descriptor, path: path, offset: size)
    }

    /// `rename(2)`.
    public func rename(_ source: String, to destination: String) throws(DictDBError) {
        try Syscall.check(Glibc.rename(source, destination), "rename", path: "\(source) -> \(destination)")
    }

    /// `unlink(2)`.
    public func removeFile(_ path: String) throws(DictDBError) {
        try Syscall.check(unlink(path), "unlink", path: path)
    }

    /// `open(O_DIRECTORY)` + `fsync(2)` + `close(2)`.
    public func syncDirectory(_ path: String) throws(DictDBError) {
        let descriptor = try Syscall.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0)
        defer { _ = Glibc.close(descriptor) }
        try Syscall.check(Syscall.retrying { fsync(descriptor) }, "fsync", path: path)
    }

    /// `mkdir(2)` for each missing component, mode 0700.
    public func createDirectory(_ path: String) throws(DictDBError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw Syscall.error("mkdir", path: prefix, errno: errno)
            }
            prefix += "/"
        }
    }

    /// `opendir(3)` / `readdir(3)`.
    public func contentsOfDirectory(_ path: String) throws(DictDBError) -> [String] {
        guard let directory = opendir(path) else { throw Syscall.error("opendir", path: path, errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// `stat(2)`; `nil` when the path does not exist.
    public func fileSize(_ path: String) throws(DictDBError) -> Int64? {
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw Syscall.error("stat", path: path, errno: errno)
        }
        return Int64(info.st_size)
    }

    /// `open(O_CREAT)` + `flock(LOCK_EX | LOCK_NB)`. Locks belong to the open file description, so a second
    /// open of the same database in this process is refused too.
    public func lockExclusively(_ path: String) throws(DictDBError) -> any FileLock {
        let descriptor = try Syscall.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if Syscall.retrying({ flock(descriptor, LOCK_EX | LOCK_NB) }) != 0 {
            let code = errno
            _ = Glibc.close(descriptor)
            if code == EWOULDBLOCK {
                throw DictDBError(
                    .locked, "\(path) is locked by another open database (in this or another process)",
                    context: .init(path: path))
            }
            throw Syscall.error("flock", path: path, errno: code)
        }
        return PosixFileLock(descriptor: descriptor)
    }
}

/// A `flock(2)` lock held through an open descriptor.
final class PosixFileLock: FileLock, @unchecked Sendable {
    // @unchecked: `descriptor` is only touched under `lock`.
    private let lock = Lock()
    private var descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { release() }

    func release() {
        lock.withLock {
            guard descriptor >= 0 else { return }
            _ = flock(descriptor, LOCK_UN)
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
    }
}

/// An open file descriptor.
final class PosixFile: ReadableFile, WritableFile {
    private var descriptor: Int32
    private let path: String
    private(set) var offset: Int64

    init(descriptor: Int32, path: String, offset: Int64) {
        self.descriptor = descriptor
        self.path = path
        self.offset = offset
    }

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    private func openDescriptor() throws(DictDBError) -> Int32 {
        guard descriptor >= 0 else {
            throw DictDBError(.invalidState, "file \(path) is closed", context: .init(path: path))
        }
        return descriptor
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DictDBError) -> Int {
        let fd = try openDescriptor()
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let n = Syscall.retrying { Glibc.read(fd, base, buffer.count) }
        if n < 0 { throw Syscall.error("read", path: path, errno: errno, offset: offset) }
        offset += Int64(n)
        return n
    }

    /// Writes everything, looping over partial writes; a failure after a partial write throws with the
    /// offset reached, so the caller can truncate back.
    func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) {
        let fd = try openDescriptor()
        guard var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let n = Syscall.retrying { Glibc.write(fd, base, remaining) }
            if n < 0 { throw Syscall.error("write", path: path, errno: errno, offset: offset) }
            if n == 0 { throw Syscall.error("write", path: path, errno: EIO, offset: offset) }
            offset += Int64(n)
            remaining -= n
            base += n
        }
    }

    func sync() throws(DictDBError) {
        let fd = try openDescriptor()
        try Syscall.check(Syscall.retrying { fdatasync(fd) }, "fdatasync", path: path)
    }

    func truncate(to size: Int64) throws(DictDBError) {
        let fd = try openDescriptor()
        try Syscall.check(Syscall.retrying { ftruncate(fd, off_t(size)) }, "ftruncate", path: path)
        offset = size
    }

    func close() throws(DictDBError) {
        let fd = try openDescriptor()
        descriptor = -1
        // Linux releases the descriptor even when close fails; never retry it.
        if Glibc.close(fd) != 0 { throw Syscall.error("close", path: path, errno: errno) }
    }
}

/// The system-call helpers: EINTR retries and typed errors.
enum Syscall {
    static func retrying<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }

    static func open(_ path: String, _ flags: Int32, _ mode: mode_t) throws(DictDBError) -> Int32 {
        let fd = retrying { Glibc.open(path, flags, mode) }
        if fd < 0 { throw error("open", path: path, errno: errno) }
        return fd
    }

    static func fileSize(descriptor: Int32, path: String) throws(DictDBError) -> Int64 {
        var info = stat()
        if fstat(descriptor, &info) != 0 { throw error("fstat", path: path, errno: errno) }
        return Int64(info.st_size)
    }

    static func check(_ result: Int32, _ call: String, path: String) throws(DictDBError) {
        if result != 0 { throw error(call, path: path, errno: errno) }
    }

    static func error(_ call: String, path: String, errno code: Int32, offset: Int64? = nil) -> DictDBError {
        let reason = String(cString: strerror(code))
        return DictDBError(
            .io, "\(call) failed for \(path): \(reason) (errno \(code))",
            context: .init(path: path, offset: offset, found: "errno \(code)"),
            underlying: SystemError(call: call, errno: code))
    }
}

/// A failed system call: its name and `errno`.
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed, such as `fsync`.
    public var call: String
    /// The `errno` it set.
    public var errno: Int32
    /// `fsync: errno 5`.
    public var description: String { "\(call): errno \(errno)" }
}
