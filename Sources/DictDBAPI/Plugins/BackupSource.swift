/// A database as a backup manager sees it: something that writes consistent snapshots of itself and says
/// whether it changed.
///
/// The Backup module reaches a database only through this protocol, so it never depends on the engine;
/// the engine's `Database` conforms, and a test can supply its own source.
///
/// ```swift
/// let marker = source.backupChangeMarker
/// let written = try source.writeBackupSnapshot(codec: "msgpack+lz4", fileSystem: PosixFileSystem()) { cut in
///     "/backups/.staging-g\(cut.generation)-s\(cut.sequence)"
/// }
/// ```
///
/// ## Contract
///
/// An implementation must guarantee:
/// - **A consistent cut**: ``writeBackupSnapshot(codec:fileSystem:path:)`` writes the state after some
///   committed change and before the next one (never half a transaction), and the marker it passes to
///   `path` and reports describes exactly that state. Writers should not wait for the disk while it writes.
/// - **Atomic files**: the file appears at the returned path complete or not at all (see
///   ``FileSystem/replaceAtomically(_:_:)``), written through the given ``FileSystem``.
/// - **A change marker that moves**: ``backupChangeMarker`` changes its ``BackupChangeMarker/sequence``
///   with every committed change, never goes back while the source lives, and is cheap to read, so that
///   "nothing changed since the last backup" is one comparison.
public protocol BackupSource: Sendable {
    /// The plugins the source's snapshots are written and read with (codecs, compressors...).
    var registry: Registry { get }

    /// Where the source stands now: its generation and its journal sequence or change counter.
    var backupChangeMarker: BackupChangeMarker { get }

    /// Writes a consistent snapshot with the codec named `codec`, atomically, to the path that `path`
    /// returns for the marker of the cut (so a file name can carry the cut's generation and sequence).
    ///
    /// - Parameters:
    ///   - codec: a registered codec name, optionally with a compressor: `json`, `msgpack+lz4`, ...
    ///   - fileSystem: every file call goes through it.
    ///   - path: the file to write, given the marker of the cut; called once, without any lock held.
    /// - Returns: what was written.
    /// - Throws: ``DictDBError/Code/unknownPlugin`` for an unregistered codec, ``DictDBError/Code/io`` with
    ///   the path and system error, the codec's errors. Nothing is left at the path on failure.
    func writeBackupSnapshot(
        codec: String, fileSystem: any FileSystem, path: (BackupChangeMarker) -> String
    ) throws(DictDBError) -> BackupSnapshot
}

/// Where a ``BackupSource`` stands: the generation and the sequence (or change counter) of its state.
///
/// For an on-disk database, ``generation`` is its checkpoint generation and ``sequence`` the last journal
/// sequence applied: both survive reopening, and a sequence names a point in the journal that
/// point-in-time restore can replay to. For an in-memory database, ``generation`` is 0 and ``sequence`` a
/// change counter that grows with every committed change while the database lives (it means nothing
/// across processes).
public struct BackupChangeMarker: Sendable, Hashable, CustomStringConvertible {
    /// The checkpoint generation (0 in memory).
    public var generation: Int64
    /// The last journal sequence applied (on disk) or the change counter (in memory).
    public var sequence: Int64

    /// Creates a marker.
    public init(generation: Int64, sequence: Int64) {
        self.generation = generation
        self.sequence = sequence
    }

    /// Whether the source holds the same data as when `other` was read: the sequences are equal (a
    /// checkpoint changes the generation, not the data).
    public func hasSameContent(as other: BackupChangeMarker) -> Bool {
        sequence == other.sequence
    }

    /// `g3 s1024`.
    public var description: String { "g\(generation) s\(sequence)" }
}

/// What ``BackupSource/writeBackupSnapshot(codec:fileSystem:path:)`` wrote.
public struct BackupSnapshot: Sendable, Hashable {
    /// The file written.
    public var path: String
    /// The codec that wrote it, such as `msgpack+lz4`.
    public var codec: String
    /// The file's size in bytes.
    public var bytes: Int64
    /// Where the source stood at the cut.
    public var marker: BackupChangeMarker
    /// The number of tables written.
    public var tables: Int
    /// The number of records written, over all tables.
    public var records: Int

    /// Creates a description of a written snapshot.
    public init(
        path: String, codec: String, bytes: Int64, marker: BackupChangeMarker, tables: Int, records: Int
    ) {
        self.path = path
        self.codec = codec
        self.bytes = bytes
        self.marker = marker
        self.tables = tables
        self.records = records
    }
}
