import DictDBAPI

/// One backup file in a directory, with what its name says.
public struct BackupInfo: Sendable, Hashable, CustomStringConvertible {
    /// Its name: time, generation, sequence, codec.
    public var name: BackupFileName
    /// Its path.
    public var path: String
    /// Its size in bytes.
    public var bytes: Int64

    /// Creates a description of a backup file.
    public init(name: BackupFileName, path: String, bytes: Int64) {
        self.name = name
        self.path = path
        self.bytes = bytes
    }

    /// When it was taken, in milliseconds since 1970 (UTC).
    public var timestampMillis: Int64 { name.timestampMillis }
    /// The journal sequence (on disk) or change counter (in memory) it holds.
    public var sequence: Int64 { name.sequence }
    /// The generation it was cut from (0 for an in-memory database).
    public var generation: Int64 { name.generation }
    /// The codec that wrote it.
    public var codec: String { name.codec }

    /// `dictdb-...msgpack+lz4 (1234 bytes)`.
    public var description: String { "\(name) (\(bytes) bytes)" }
}

/// A backup that restore passed over, and why.
public struct SkippedBackup: Sendable, CustomStringConvertible {
    /// The backup.
    public var backup: BackupInfo
    /// What was wrong with it (`DictDBError.Code.corrupt`, `DictDBError.Code.io`...).
    public var error: DictDBError

    /// Records that `backup` was passed over because of `error`.
    public init(backup: BackupInfo, error: DictDBError) {
        self.backup = backup
        self.error = error
    }

    /// `name: error`.
    public var description: String { "\(backup.name): \(error)" }
}

/// The backup a selection chose, what opening it gave, and the newer backups it passed over.
public struct BackupSelection<Value> {
    /// What opening the chosen backup gave (its verification, or a loaded database).
    public var value: Value
    /// The chosen backup.
    public var backup: BackupInfo
    /// Newer candidates that could not be read, newest first, each with its error.
    public var skipped: [SkippedBackup]
}

extension BackupSelection: Sendable where Value: Sendable {}

/// The backups in a directory: listing, verifying, and choosing one to restore.
///
/// ```swift
/// let backups = BackupDirectory("/var/backups/app")
/// for backup in try backups.list() { print(backup.name, backup.bytes) }
/// let chosen = try backups.newestValid(registry: .standard)     // skips damaged ones
/// print(chosen.backup.path, chosen.skipped)
/// ```
///
/// Only files whose names parse as a ``BackupFileName`` are backups; nothing else is read or touched.
public struct BackupDirectory: Sendable {
    /// The directory.
    public let path: String
    /// The file system it is read through.
    public let fileSystem: any FileSystem

    /// A directory of backups, read through `fileSystem`.
    public init(_ path: String, fileSystem: any FileSystem = PosixFileSystem()) {
        self.path = path
        self.fileSystem = fileSystem
    }

    /// The backups, oldest first (by time, then generation, then sequence). A missing directory has none.
    /// - Throws: `DictDBError.Code.io` when the directory cannot be read.
    public func list() throws(DictDBError) -> [BackupInfo] {
        guard try fileSystem.fileSize(path) != nil else { return [] }
        var backups: [BackupInfo] = []
        for entry in try fileSystem.contentsOfDirectory(path) {
            guard let name = BackupFileName(parsing: entry) else { continue }
            let file = FilePath.join(path, entry)
            guard let bytes = try fileSystem.fileSize(file) else { continue }
            backups.append(BackupInfo(name: name, path: file, bytes: bytes))
        }
        return backups.sorted { $0.name < $1.name }
    }

    /// Reads a whole backup through its codec, so every byte is checked (the checksum at the end included),
    /// and checks that its table and record counts agree with its `_meta` and table headers.
    /// - Throws: `DictDBError.Code.corrupt` (with the path), `DictDBError.Code.unsupportedFormat`,
    ///   `DictDBError.Code.limitExceeded`, `DictDBError.Code.io`, and
    ///   `DictDBError.Code.unknownPlugin` when the registry lacks the codec in its name.
    public func verify(
        _ backup: BackupInfo, registry: Registry, limits: DecodingLimits = .default
    ) throws(DictDBError) -> BackupVerification {
        try BackupVerifier(fileSystem: fileSystem, registry: registry, limits: limits)
            .verify(backup.path, codec: backup.codec)
    }

    /// The newest backup that verifies, taken at or before `atOrBeforeMillis` when given; damaged ones are
    /// passed over and reported in ``BackupSelection/skipped``.
    /// - Throws: `DictDBError.Code.invalidArgument` when no backup is a candidate,
    ///   `DictDBError.Code.corrupt` listing the errors when every candidate is damaged,
    ///   `DictDBError.Code.unknownPlugin` when the registry lacks a backup's codec (that is not damage).
    public func newestValid(
        registry: Registry, atOrBefore atOrBeforeMillis: Int64? = nil, limits: DecodingLimits = .default
    ) throws(DictDBError) -> BackupSelection<BackupVerification> {
        try newestValid(atOrBefore: atOrBeforeMillis) { (backup) throws(DictDBError) in
            try verify(backup, registry: registry, limits: limits)
        }
    }

    /// The newest candidate backup that `open` accepts, trying newer ones first: restore passes a closure
    /// that loads the database, so each backup is read once.
    ///
    /// A candidate is taken at or before `atOrBeforeMillis` (when given) and passes `isCandidate`. When
    /// `open` throws `DictDBError.Code.corrupt`, `DictDBError.Code.unsupportedFormat`,
    /// `DictDBError.Code.limitExceeded`, `DictDBError.Code.compression` or `DictDBError.Code.io`, the
    /// backup is passed over and reported; any other error (a missing plugin, say) is thrown at once.
    /// - Throws: `DictDBError.Code.invalidArgument` when there is no candidate,
    ///   `DictDBError.Code.corrupt` when every candidate failed, listing why.
    public func newestValid<Value>(
        atOrBefore atOrBeforeMillis: Int64? = nil, where isCandidate: (BackupInfo) -> Bool = { _ in true },
        open: (BackupInfo) throws(DictDBError) -> Value
    ) throws(DictDBError) -> BackupSelection<Value> {
        let candidates = try list().reversed().filter { backup in
            (atOrBeforeMillis.map { backup.timestampMillis <= $0 } ?? true) && isCandidate(backup)
        }
        guard !candidates.isEmpty else {
            let when = atOrBeforeMillis.map { " taken at or before \(UTCTimestamp.format($0))" } ?? ""
            throw DictDBError(
                .invalidArgument, "\(path) holds no suitable backup\(when)", context: .init(path: path))
        }
        var skipped: [SkippedBackup] = []
        for backup in candidates {
            do throws(DictDBError) {
                return BackupSelection(value: try open(backup), backup: backup, skipped: skipped)
            } catch  where Self.isDamage(error) {
                skipped.append(SkippedBackup(backup: backup, error: error))
            }
        }
        let reasons = skipped.map(\.description).joined(separator: "; ")
        throw DictDBError(
            .corrupt, "no backup in \(path) could be read: \(reasons)", context: .init(path: path),
            underlying: skipped.first?.error)
    }

    /// Whether an error means the backup itself is bad (so an older one may do), rather than a problem
    /// that an older backup would meet too.
    static func isDamage(_ error: DictDBError) -> Bool {
        [.corrupt, .unsupportedFormat, .limitExceeded, .compression, .io].contains(error.code)
    }
}
