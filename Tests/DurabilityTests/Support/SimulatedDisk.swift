import DictDB

/// A ``FileSystem`` in memory that knows what a power cut would keep: the only way without special hardware
/// to test the `batch` and `os` loss windows and the order of a checkpoint's steps.
///
/// Each file has durable bytes (what stable storage holds) and the changes written since its last `sync()`
/// (`fdatasync` semantics: the data and the size become durable, the directory entry does not). Creations,
/// renames and removals of directory entries stay pending until ``syncDirectory(_:)`` of their directory.
/// Reads see every change, as the page cache would.
///
/// ``powerLoss(seed:)`` returns the disk as a power cut would leave it: each pending write applied fully,
/// dropped, or (when it spans 512-byte sectors) torn at a sector boundary; each pending truncation applied
/// or dropped; each pending directory change applied or dropped in order, so that a later change to a name
/// never survives without the earlier ones to the same name. A file whose entry did not survive is gone.
///
/// ```swift
/// let disk = SimulatedDisk(recordingHistory: true)
/// let db = try Database.open(at: "/db", options: options(sync: "os", fileSystem: disk))
/// try db.createTable("t").insert(["a": 1])
/// let survivor = disk.powerLoss(seed: 7)            // or disk.image(afterCall: n)?.powerLoss(seed: 7)
/// let recovered = try Database.open(at: "/db", options: options(sync: "os", fileSystem: survivor))
/// ```
///
/// Thread-safe: the journal's flusher syncs from its own thread while writers append.
final class SimulatedDisk: FileSystem, @unchecked Sendable {
    // @unchecked: `image`, `history`, `calls`, `heldLocks` and the state of every file and lock handed out
    // are only touched while `lock` is held.

    /// The size of the unit a power cut cannot tear.
    static let sectorSize = 512

    /// An entry of the namespace.
    enum Node: Hashable, Sendable {
        case directory
        case file(Int)
    }

    /// A change to a file's data not yet forced to stable storage.
    enum DataChange: Hashable, Sendable {
        case write(offset: Int, bytes: [UInt8])
        case truncate(size: Int)
    }

    /// A change to the namespace not yet forced to stable storage.
    enum DirectoryChange: Hashable, Sendable {
        case link(String, Node)
        case rename(String, to: String)
        case unlink(String)

        /// The paths the change touches.
        var paths: [String] {
            switch self {
            case .link(let path, _), .unlink(let path): [path]
            case .rename(let source, let destination): [source, destination]
            }
        }

        /// The directory whose sync makes the change durable.
        var directory: String { FilePath.directory(of: paths[0]) }
    }

    /// One file's data.
    struct Inode: Hashable, Sendable {
        var durable: [UInt8] = []
        var current: [UInt8] = []
        var pending: [DataChange] = []
    }

    /// The whole disk at one moment: a value, so a history of moments is cheap (copy on write).
    struct Image: Sendable {
        var inodes: [Int: Inode] = [:]
        var nextInode = 1
        /// The namespace as reads see it.
        var names: [String: Node] = ["/": .directory]
        /// The namespace on stable storage.
        var durableNames: [String: Node] = ["/": .directory]
        var pendingDirectoryChanges: [DirectoryChange] = []

        /// How many changes (data and namespace) a power cut could still lose.
        var pendingChanges: Int {
            pendingDirectoryChanges.count + inodes.values.reduce(0) { $0 + $1.pending.count }
        }

        /// Changes one file's data in place.
        mutating func modify(_ id: Int, _ body: (inout Inode) -> Void) {
            body(&inodes[id, default: Inode()])
        }

        /// What a reader sees at `path` now, or nil when no file is there.
        func contents(of path: String) -> [UInt8]? {
            guard case .file(let id)? = names[path] else { return nil }
            return inodes[id]?.current
        }

        /// The disk a power cut at this moment leaves, chosen by `seed`.
        func powerLoss(seed: UInt64, recordingHistory: Bool = false) -> SimulatedDisk {
            var random = SeededRandom(seed: seed)
            var survivors: [Int: Inode] = [:]
            for id in inodes.keys.sorted() {
                guard let inode = inodes[id] else { continue }
                var bytes = inode.durable
                for change in inode.pending {
                    switch change {
                    case .truncate(let size):
                        if Bool.random(using: &random) { Self.resize(&bytes, to: size) }
                    case .write(let offset, let data):
                        let end = offset + data.count
                        let firstBoundary = (offset / SimulatedDisk.sectorSize + 1) * SimulatedDisk.sectorSize
                        let tearable = firstBoundary < end
                        switch Int.random(in: 0..<(tearable ? 3 : 2), using: &random) {
                        case 0:
                            Self.write(data[...], at: offset, into: &bytes)
                        case 1:
                            break
                        default:
                            let boundaries = Array(stride(from: firstBoundary, to: end, by: SimulatedDisk.sectorSize))
                            let cut = boundaries.randomElement(using: &random) ?? firstBoundary
                            Self.write(data[..<(cut - offset)], at: offset, into: &bytes)
                        }
                    }
                }
                survivors[id] = Inode(durable: bytes, current: bytes, pending: [])
            }
            var namespace = durableNames
            var blocked: Set<String> = []
            for change in pendingDirectoryChanges {
                let paths = change.paths
                if paths.contains(where: blocked.contains) || !Bool.random(using: &random) {
                    blocked.formUnion(paths)
                    continue
                }
                Self.apply(change, to: &namespace)
            }
            namespace = namespace.filter { Self.ancestorsExist(of: $0.key, in: namespace) }
            let referenced = Set(
                namespace.values.compactMap { node -> Int? in
                    if case .file(let id) = node { return id }
                    return nil
                })
            var image = Image()
            image.inodes = survivors.filter { referenced.contains($0.key) }
            image.nextInode = nextInode
            image.names = namespace
            image.durableNames = namespace
            return SimulatedDisk(image: image, recordingHistory: recordingHistory)
        }

        static func resize(_ bytes: inout [UInt8], to size: Int) {
            if size < bytes.count {
                bytes.removeSubrange(size...)
            } else if size > bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: size - bytes.count))
            }
        }

        static func write(_ data: ArraySlice<UInt8>, at offset: Int, into bytes: inout [UInt8]) {
            if offset > bytes.count { resize(&bytes, to: offset) }
            let overlap = min(data.count, bytes.count - offset)
            if overlap > 0 {
                bytes.replaceSubrange(offset..<(offset + overlap), with: data.prefix(overlap))
            }
            bytes.append(contentsOf: data.dropFirst(overlap))
        }

        static func apply(_ change: DirectoryChange, to namespace: inout [String: Node]) {
            switch change {
            case .link(let path, let node):
                namespace[path] = node
            case .rename(let source, let destination):
                if let node = namespace.removeValue(forKey: source) { namespace[destination] = node }
            case .unlink(let path):
                namespace.removeValue(forKey: path)
            }
        }

        static func ancestorsExist(of path: String, in namespace: [String: Node]) -> Bool {
            var current = path
            while current != "/" {
                current = FilePath.directory(of: current)
                guard namespace[current] == .directory else { return false }
            }
            return true
        }
    }

    let lock = Lock()
    fileprivate var image: Image
    private var history: [Image]?
    private var calls = 0
    fileprivate var heldLocks: Set<String> = []

    /// An empty disk (only `/`). With `recordingHistory`, the disk keeps the image after every call that
    /// changes or syncs something, for ``image(afterCall:)``.
    init(recordingHistory: Bool = false) {
        image = Image()
        history = recordingHistory ? [image] : nil
    }

    /// A disk holding `image` (with nothing pending, as after a power cut).
    init(image: Image, recordingHistory: Bool = false) {
        self.image = image
        history = recordingHistory ? [image] : nil
    }

    /// How many calls that change or sync something were made (each is a moment a power cut can hit).
    var mutatingCalls: Int { lock.withLock { calls } }

    /// The disk now.
    var currentImage: Image { lock.withLock { image } }

    /// The disk right after call `call` (0: when the disk was made), when recording.
    func image(afterCall call: Int) -> Image? {
        lock.withLock {
            guard let history, history.indices.contains(call) else { return nil }
            return history[call]
        }
    }

    /// The disk a power cut now leaves.
    func powerLoss(seed: UInt64, recordingHistory: Bool = false) -> SimulatedDisk {
        currentImage.powerLoss(seed: seed, recordingHistory: recordingHistory)
    }

    // MARK: - Helpers (call with `lock` held)

    static func failure(_ call: String, _ path: String, errno: Int32, _ reason: String) -> DictDBError {
        DictDBError(
            .io, "\(call) failed for \(path): \(reason) (errno \(errno))",
            context: .init(path: path, found: "errno \(errno)"))
    }

    /// Runs one call that changes or syncs something, then counts it and records the moment.
    func mutate<T>(_ body: (inout Image) throws(DictDBError) -> T) throws(DictDBError) -> T {
        try lock.withLock { () throws(DictDBError) -> T in
            let result = try body(&image)
            calls += 1
            history?.append(image)
            return result
        }
    }

    private static func checkParent(of path: String, in image: Image, call: String) throws(DictDBError) {
        let parent = FilePath.directory(of: path)
        guard let node = image.names[parent] else {
            throw failure(call, path, errno: 2, "No such file or directory")
        }
        guard node == .directory else { throw failure(call, path, errno: 20, "Not a directory") }
    }

    private static func createFile(_ path: String, in image: inout Image) -> Int {
        let id = image.nextInode
        image.nextInode += 1
        image.inodes[id] = Inode()
        image.names[path] = .file(id)
        image.pendingDirectoryChanges.append(.link(path, .file(id)))
        return id
    }

    // MARK: - FileSystem

    func openForReading(_ path: String) throws(DictDBError) -> any ReadableFile {
        let id = try lock.withLock { () throws(DictDBError) -> Int in
            switch image.names[path] {
            case .file(let id)?: return id
            case .directory?: throw Self.failure("open", path, errno: 21, "Is a directory")
            case nil: throw Self.failure("open", path, errno: 2, "No such file or directory")
            }
        }
        return SimulatedFile(disk: self, inode: id, path: path, mode: .read, offset: 0)
    }

    func createExclusive(_ path: String) throws(DictDBError) -> any WritableFile {
        let id = try mutate { (image) throws(DictDBError) -> Int in
            try Self.checkParent(of: path, in: image, call: "open")
            guard image.names[path] == nil else { throw Self.failure("open", path, errno: 17, "File exists") }
            return Self.createFile(path, in: &image)
        }
        return SimulatedFile(disk: self, inode: id, path: path, mode: .write, offset: 0)
    }

    func openForAppending(_ path: String, create: Bool) throws(DictDBError) -> any WritableFile {
        let (id, size) = try mutate { (image) throws(DictDBError) -> (Int, Int) in
            switch image.names[path] {
            case .file(let id)?:
                return (id, image.inodes[id]?.current.count ?? 0)
            case .directory?:
                throw Self.failure("open", path, errno: 21, "Is a directory")
            case nil:
                guard create else { throw Self.failure("open", path, errno: 2, "No such file or directory") }
                try Self.checkParent(of: path, in: image, call: "open")
                return (Self.createFile(path, in: &image), 0)
            }
        }
        return SimulatedFile(disk: self, inode: id, path: path, mode: .append, offset: Int64(size))
    }

    func rename(_ source: String, to destination: String) throws(DictDBError) {
        try mutate { (image) throws(DictDBError) in
            let path = "\(source) -> \(destination)"
            guard case .file? = image.names[source] else {
                throw Self.failure("rename", path, errno: 2, "No such file")
            }
            guard FilePath.directory(of: source) == FilePath.directory(of: destination) else {
                throw DictDBError(.invalidArgument, "the simulated disk does not model renames across directories")
            }
            if image.names[destination] == .directory {
                throw Self.failure("rename", path, errno: 21, "Is a directory")
            }
            Image.apply(.rename(source, to: destination), to: &image.names)
            image.pendingDirectoryChanges.append(.rename(source, to: destination))
        }
    }

    func removeFile(_ path: String) throws(DictDBError) {
        try mutate { (image) throws(DictDBError) in
            switch image.names[path] {
            case .file?:
                image.names.removeValue(forKey: path)
                image.pendingDirectoryChanges.append(.unlink(path))
            case .directory?:
                throw Self.failure("unlink", path, errno: 21, "Is a directory")
            case nil:
                throw Self.failure("unlink", path, errno: 2, "No such file or directory")
            }
        }
    }

    func syncDirectory(_ path: String) throws(DictDBError) {
        try mutate { (image) throws(DictDBError) in
            guard image.names[path] == .directory else {
                throw Self.failure("open", path, errno: 2, "No such directory")
            }
            var kept: [DirectoryChange] = []
            for change in image.pendingDirectoryChanges {
                if change.directory == path {
                    Image.apply(change, to: &image.durableNames)
                } else {
                    kept.append(change)
                }
            }
            image.pendingDirectoryChanges = kept
        }
    }

    func createDirectory(_ path: String) throws(DictDBError) {
        try mutate { (image) throws(DictDBError) in
            var prefix = ""
            for component in path.split(separator: "/") {
                prefix += "/" + component
                switch image.names[prefix] {
                case .directory?:
                    continue
                case .file?:
                    throw Self.failure("mkdir", prefix, errno: 17, "File exists")
                case nil:
                    image.names[prefix] = .directory
                    image.pendingDirectoryChanges.append(.link(prefix, .directory))
                }
            }
        }
    }

    func contentsOfDirectory(_ path: String) throws(DictDBError) -> [String] {
        try lock.withLock { () throws(DictDBError) -> [String] in
            guard image.names[path] == .directory else {
                throw Self.failure("opendir", path, errno: 2, "No such directory")
            }
            return image.names.keys.filter { $0 != "/" && FilePath.directory(of: $0) == path }
                .map { FilePath.fileName(of: $0) }.sorted()
        }
    }

    func fileSize(_ path: String) throws(DictDBError) -> Int64? {
        lock.withLock {
            switch image.names[path] {
            case .file(let id)?: Int64(image.inodes[id]?.current.count ?? 0)
            case .directory?: 4096
            case nil: nil
            }
        }
    }

    func lockExclusively(_ path: String) throws(DictDBError) -> any FileLock {
        try mutate { (image) throws(DictDBError) in
            switch image.names[path] {
            case .file?:
                break
            case .directory?:
                throw Self.failure("open", path, errno: 21, "Is a directory")
            case nil:
                try Self.checkParent(of: path, in: image, call: "open")
                _ = Self.createFile(path, in: &image)
            }
            guard !heldLocks.contains(path) else {
                throw DictDBError(.locked, "\(path) is locked by another open database", context: .init(path: path))
            }
            heldLocks.insert(path)
        }
        return SimulatedLock(disk: self, path: path)
    }

}

/// A lock on a ``SimulatedDisk`` path.
final class SimulatedLock: FileLock, @unchecked Sendable {
    // @unchecked: `released` is only touched while the disk's `lock` is held.
    private let disk: SimulatedDisk
    private let path: String
    private var released = false

    init(disk: SimulatedDisk, path: String) {
        self.disk = disk
        self.path = path
    }

    func release() {
        disk.lock.withLock {
            guard !released else { return }
            released = true
            disk.heldLocks.remove(path)
        }
    }
}

/// An open file of a ``SimulatedDisk``: it names an inode, so renames and removals do not affect it.
final class SimulatedFile: ReadableFile, WritableFile {
    enum Mode {
        case read
        case write
        case append
    }

    private let disk: SimulatedDisk
    private let inode: Int
    private let path: String
    private let mode: Mode
    // Guarded by the disk's lock (the flusher thread syncs while another thread appends).
    private var position: Int64
    private var closed = false

    init(disk: SimulatedDisk, inode: Int, path: String, mode: Mode, offset: Int64) {
        self.disk = disk
        self.inode = inode
        self.path = path
        self.mode = mode
        self.position = offset
    }

    var offset: Int64 { disk.lock.withLock { position } }

    private func checkOpen(writing: Bool) throws(DictDBError) {
        if closed { throw DictDBError(.invalidState, "file \(path) is closed", context: .init(path: path)) }
        if writing && mode == .read {
            throw DictDBError(.invalidState, "\(path) is open for reading only", context: .init(path: path))
        }
        if !writing && mode != .read {
            throw DictDBError(.invalidState, "\(path) is open for writing only", context: .init(path: path))
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DictDBError) -> Int {
        try disk.lock.withLock { () throws(DictDBError) -> Int in
            try checkOpen(writing: false)
            let bytes = disk.image.inodes[inode]?.current ?? []
            let start = Int(position)
            guard start < bytes.count, buffer.count > 0 else { return 0 }
            let count = min(buffer.count, bytes.count - start)
            bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<(start + count)]))
            }
            position += Int64(count)
            return count
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) {
        let data = Array(bytes)
        try disk.mutate { (image) throws(DictDBError) in
            try checkOpen(writing: true)
            let at = mode == .append ? (image.inodes[inode]?.current.count ?? 0) : Int(position)
            image.modify(inode) { file in
                SimulatedDisk.Image.write(data[...], at: at, into: &file.current)
                file.pending.append(.write(offset: at, bytes: data))
            }
            position = Int64(at + data.count)
        }
    }

    func sync() throws(DictDBError) {
        try disk.mutate { (image) throws(DictDBError) in
            try checkOpen(writing: true)
            image.modify(inode) { file in
                file.durable = file.current
                file.pending = []
            }
        }
    }

    func truncate(to size: Int64) throws(DictDBError) {
        try disk.mutate { (image) throws(DictDBError) in
            try checkOpen(writing: true)
            image.modify(inode) { file in
                SimulatedDisk.Image.resize(&file.current, to: Int(size))
                file.pending.append(.truncate(size: Int(size)))
            }
            position = size
        }
    }

    func close() throws(DictDBError) {
        try disk.lock.withLock { () throws(DictDBError) in
            if closed { throw DictDBError(.invalidState, "file \(path) is closed", context: .init(path: path)) }
            closed = true
        }
    }
}

/// A small deterministic generator (SplitMix64): a power cut or a workload is fully determined by its seed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
