/// A ``FileSystem`` that forwards to another one and fails chosen calls, for testing how code that
/// writes files behaves under I/O errors (SQLite's I/O-error loop: fail call 1, 2, 3... until a run
/// completes without reaching the fault).
///
/// ```swift
/// let faulty = FaultInjectingFileSystem(faults: [.init(.sync, onCall: 1, errno: 5)])   // EIO on 1st fsync
/// #expect(throws: DictDBError.self) { try db.save(to: path, fileSystem: faulty) }
/// ```
public final class FaultInjectingFileSystem: FileSystem, @unchecked Sendable {
    // @unchecked: `state` is a LockedValue; `base` and `faults` are immutable.

    /// The calls a fault can target.
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        /// ``FileSystem/openForReading(_:)``.
        case openForReading
        /// ``FileSystem/createExclusive(_:)``.
        case createExclusive
        /// ``FileSystem/openForAppending(_:create:)``.
        case openForAppending
        /// ``ByteSource/read(into:)`` on a file.
        case read
        /// ``ByteSink/write(_:)`` on a file.
        case write
        /// ``WritableFile/sync()``.
        case sync
        /// ``WritableFile/truncate(to:)``.
        case truncate
        /// `close()` on a file.
        case close
        /// ``FileSystem/rename(_:to:)``.
        case rename
        /// ``FileSystem/removeFile(_:)``.
        case removeFile
        /// ``FileSystem/syncDirectory(_:)``.
        case syncDirectory
        /// ``FileSystem/createDirectory(_:)``.
        case createDirectory
    }

    /// One injected failure.
    public struct Fault: Sendable, Hashable {
        /// The call to fail.
        public var operation: Operation
        /// Which call of that kind fails first (1 = the first).
        public var call: Int
        /// The `errno` reported (5 = EIO, 28 = ENOSPC).
        public var errno: Int32
        /// Whether every later call of that kind fails too.
        public var persistent: Bool
        /// For writes: how many bytes reach the file before the failure (a short write).
        public var bytesWrittenFirst: Int

        /// Creates a fault.
        public init(
            _ operation: Operation, onCall call: Int, errno: Int32 = 5, persistent: Bool = false,
            bytesWrittenFirst: Int = 0
        ) {
            self.operation = operation
            self.call = call
            self.errno = errno
            self.persistent = persistent
            self.bytesWrittenFirst = bytesWrittenFirst
        }
    }

    private struct State {
        var counts: [Operation: Int] = [:]
        var triggered: [Fault] = []
    }

    private let base: any FileSystem
    private let faults: [Fault]
    private let state = LockedValue(State())

    /// Wraps `base` (the real file system by default) with `faults`.
    public init(base: any FileSystem = PosixFileSystem(), faults: [Fault]) {
        self.base = base
        self.faults = faults
    }

    /// How many calls of each kind were made.
    public var callCounts: [Operation: Int] { state.withLock { $0.counts } }

    /// The faults that fired, in order.
    public var triggeredFaults: [Fault] { state.withLock { $0.triggered } }

    /// Counts a call and returns the fault it hits, if any.
    func fault(for operation: Operation) -> Fault? {
        state.withLock { state in
            let n = state.counts[operation, default: 0] + 1
            state.counts[operation] = n
            guard
                let fault = faults.first(where: {
                    $0.operation == operation && (n == $0.call || ($0.persistent && n > $0.call))
                })
            else { return nil }
            state.triggered.append(fault)
            return fault
        }
    }

    func check(_ operation: Operation, path: String) throws(DictDBError) {
        if let fault = fault(for: operation) { throw Self.error(fault, path: path) }
    }

    static func error(_ fault: Fault, path: String) -> DictDBError {
        DictDBError(
            .io, "injected \(fault.operation.rawValue) failure for \(path) (errno \(fault.errno))",
            context: .init(path: path, found: "errno \(fault.errno)"),
            underlying: SystemError(call: fault.operation.rawValue, errno: fault.errno))
    }

    /// Opens through the base file system unless a fault fires.
    public func openForReading(_ path: String) throws(DictDBError) -> any ReadableFile {
        try check(.openForReading, path: path)
        return FaultInjectingFile(base: try base.openForReading(path), owner: self, path: path)
    }

    /// Creates through the base file system unless a fault fires.
    public func createExclusive(_ path: String) throws(DictDBError) -> any WritableFile {
        try check(.createExclusive, path: path)
        return FaultInjectingFile(base: try base.createExclusive(path), owner: self, path: path)
    }

    /// Opens through the base file system unless a fault fires.
    public func openForAppending(_ path: String, create: Bool) throws(DictDBError) -> any WritableFile {
        try check(.openForAppending, path: path)
        return FaultInjectingFile(base: try base.openForAppending(path, create: create), owner: self, path: path)
    }

    /// Renames unless a fault fires.
    public func rename(_ source: String, to destination: String) throws(DictDBError) {
        try check(.rename, path: source)
        try base.rename(source, to: destination)
    }

    /// Removes unless a fault fires.
    public func removeFile(_ path: String) throws(DictDBError) {
        try check(.removeFile, path: path)
        try base.removeFile(path)
    }

    /// Syncs unless a fault fires.
    public func syncDirectory(_ path: String) throws(DictDBError) {
        try check(.syncDirectory, path: path)
        try base.syncDirectory(path)
    }

    /// Creates unless a fault fires.
    public func createDirectory(_ path: String) throws(DictDBError) {
        try check(.createDirectory, path: path)
        try base.createDirectory(path)
    }

    /// Lists through the base file system (never faulted).
    public func contentsOfDirectory(_ path: String) throws(DictDBError) -> [String] {
        try base.contentsOfDirectory(path)
    }

    /// Sizes through the base file system (never faulted).
    public func fileSize(_ path: String) throws(DictDBError) -> Int64? {
        try base.fileSize(path)
    }

    /// Forwards without faults: locking is not an I/O path a fault can corrupt.
    public func lockExclusively(_ path: String) throws(DictDBError) -> any FileLock {
        try base.lockExclusively(path)
    }
}

/// A file whose calls may fail as its ``FaultInjectingFileSystem`` says.
final class FaultInjectingFile: ReadableFile, WritableFile {
    private let readable: (any ReadableFile)?
    private let writable: (any WritableFile)?
    private unowned let owner: FaultInjectingFileSystem
    private let path: String

    init(base: any ReadableFile, owner: FaultInjectingFileSystem, path: String) {
        readable = base
        writable = nil
        self.owner = owner
        self.path = path
    }

    init(base: any WritableFile, owner: FaultInjectingFileSystem, path: String) {
        readable = nil
        writable = base
        self.owner = owner
        self.path = path
    }

    var offset: Int64 { writable?.offset ?? 0 }

    private func writer() throws(DictDBError) -> any WritableFile {
        guard let writable else { throw DictDBError(.invalidState, "\(path) is open for reading only") }
        return writable
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DictDBError) -> Int {
        guard let readable else { throw DictDBError(.invalidState, "\(path) is open for writing only") }
        try owner.check(.read, path: path)
        return try readable.read(into: buffer)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) {
        let file = try writer()
        if let fault = owner.fault(for: .write) {
            let partial = min(fault.bytesWrittenFirst, bytes.count)
            if partial > 0 { try file.write(UnsafeRawBufferPointer(rebasing: bytes[..<partial])) }
            throw FaultInjectingFileSystem.error(fault, path: path)
        }
        try file.write(bytes)
    }

    func sync() throws(DictDBError) {
        let file = try writer()
        try owner.check(.sync, path: path)
        try file.sync()
    }

    func truncate(to size: Int64) throws(DictDBError) {
        let file = try writer()
        try owner.check(.truncate, path: path)
        try file.truncate(to: size)
    }

    func close() throws(DictDBError) {
        if let fault = owner.fault(for: .close) {
            // A failed close still releases the descriptor, as on Linux.
            try? readable?.close()
            try? writable?.close()
            throw FaultInjectingFileSystem.error(fault, path: path)
        }
        if let readable { try readable.close() }
        if let writable { try writable.close() }
    }
}
