import DictDBAPI

/// What a save wrote.
public struct SnapshotInfo: Sendable, Hashable {
    /// The file written.
    public var path: String
    /// The codec that wrote it, such as `msgpack+lz4`.
    public var codec: String
    /// The file's size in bytes.
    public var bytes: Int64
    /// The number of tables saved.
    public var tables: Int
    /// The number of records saved, over all tables.
    public var records: Int
}

extension Database {
    /// Saves every table (records, primary-key generator state, schema, index definitions) to one file.
    ///
    /// ```swift
    /// try db.save(to: "/var/lib/app/data.dictdb", codec: "msgpack+lz4")
    /// let copy = try Database.load(from: "/var/lib/app/data.dictdb", registry: .standard)
    /// ```
    ///
    /// The tables are cut under brief read locks (an O(1) copy-on-write copy each, taken together in name
    /// order), then written without any lock: writers are never blocked by the disk. The file is replaced
    /// atomically: a temporary file in the same directory (created exclusively) is written, fsynced, renamed
    /// over `path`, and the directory is fsynced. On any failure the temporary file is removed and the
    /// previous file at `path`, if any, is intact.
    ///
    /// - Parameters:
    ///   - path: the file to write (replaced atomically).
    ///   - codecName: a registered codec name, optionally with a compressor: `json`, `msgpack`, `json+gzip`,
    ///     `msgpack+lz4`, ...
    ///   - generation: the generation number written into `_meta` (checkpoints count them).
    ///   - sequence: the last journal sequence the snapshot includes (0 without a journal).
    ///   - fileSystem: where the file is written (tests pass a fault-injecting one).
    /// - Throws: `DictDBError.Code.unknownPlugin` for an unregistered codec, `DictDBError.Code.io` with
    ///   the path and system error, the codec's errors.
    @discardableResult
    public func save(
        to path: String, codec codecName: String = "json", generation: Int64 = 0, sequence: Int64 = 0,
        fileSystem: any FileSystem = PosixFileSystem()
    ) throws(DictDBError) -> SnapshotInfo {
        let codec = try registry.codec(named: codecName)
        return try Self.writeSnapshot(
            consistentCut(), to: path, codec: codec, generation: generation, sequence: sequence, fileSystem: fileSystem)
    }

    /// Writes a cut of the tables to `path`, atomically.
    static func writeSnapshot(
        _ cut: ConsistentCut, to path: String, codec: any StorageCodec, generation: Int64,
        sequence: Int64, fileSystem: any FileSystem
    ) throws(DictDBError) -> SnapshotInfo {
        let records = try fileSystem.replaceAtomically(path) { (file) throws(DictDBError) -> Int in
            let sink = BufferedSink(file: file)
            let writer = try codec.makeWriter(to: sink)
            let meta = SnapshotFormat.Meta(
                codec: codec.name, createdMillis: WallClock.nowMillis(), generation: generation, sequence: sequence,
                tableCount: cut.count)
            try writer.write(.meta(meta.record))
            var records = 0
            for (table, storage) in cut {
                let header = SnapshotFormat.TableHeader(
                    name: table.name, primaryKey: table.primaryKey, keyGenerator: table.keyGenerator.name,
                    keyState: storage.keyState, schema: table.schema?.storedValue ?? .null,
                    indexes: storage.indexes.map(\.definition), recordCount: storage.liveCount)
                try writer.write(.beginTable(header.record))
                for case let record? in storage.rows {
                    try writer.write(.record(record))
                }
                records += storage.liveCount
                try writer.write(.endTable)
            }
            try writer.write(.end)
            try sink.flush()
            return records
        }
        let bytes = (try? fileSystem.fileSize(path)) ?? nil
        return SnapshotInfo(path: path, codec: codec.name, bytes: bytes ?? 0, tables: cut.count, records: records)
    }
}
