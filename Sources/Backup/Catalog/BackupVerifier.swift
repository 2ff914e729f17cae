import DictDBAPI

/// What verifying a backup found: a complete snapshot with these counts.
public struct BackupVerification: Sendable, Hashable {
    /// The snapshot's `_meta` record (format, version, codec, created, generation, sequence, tableCount).
    public var meta: Record
    /// The number of tables.
    public var tables: Int
    /// The number of records, over all tables.
    public var records: Int
}

/// Streams a snapshot file through its codec's reader: every event is decoded and the checksum at the end
/// is checked, without keeping the records.
struct BackupVerifier {
    let fileSystem: any FileSystem
    let registry: Registry
    let limits: DecodingLimits

    func verify(_ path: String, codec codecName: String) throws(DictDBError) -> BackupVerification {
        let codec = try registry.codec(named: codecName)
        let file = try fileSystem.openForReading(path)
        defer { try? file.close() }
        do throws(DictDBError) {
            return try read(try codec.makeReader(from: file, limits: limits), path: path)
        } catch {
            var error = error
            if error.context.path == nil { error.context.path = path }
            throw error
        }
    }

    private func read(_ reader: any SnapshotReader, path: String) throws(DictDBError) -> BackupVerification {
        guard case .meta(let meta)? = try reader.next() else { throw corrupt("does not start with _meta", path) }
        guard meta["format"] == .string("dictdb") else {
            throw DictDBError(
                .unsupportedFormat, "\(path) is not a DictDB snapshot (format is \(meta["format"]))",
                context: .init(path: path, expected: "dictdb", found: meta["format"].description))
        }
        var tables = 0
        var records = 0
        var inTable: (expected: Int64?, found: Int64)?
        var ended = false
        while let event = try reader.next() {
            guard !ended else { throw corrupt("events follow the end marker", path) }
            switch event {
            case .beginTable(let header):
                guard inTable == nil else { throw corrupt("a table begins inside another", path) }
                inTable = (header["recordCount"].intValue, 0)
                tables += 1
            case .record:
                guard let table = inTable else { throw corrupt("a record lies outside any table", path) }
                inTable = (table.expected, table.found + 1)
                records += 1
            case .endTable:
                guard let table = inTable else { throw corrupt("a table ends that never began", path) }
                if let expected = table.expected, expected != table.found {
                    throw corrupt("a table header says \(expected) records, the file has \(table.found)", path)
                }
                inTable = nil
            case .end:
                guard inTable == nil else { throw corrupt("the snapshot ends inside a table", path) }
                ended = true
            case .meta:
                throw corrupt("_meta appears twice", path)
            }
        }
        guard ended else { throw corrupt("the snapshot has no end marker", path) }
        if let expected = meta["tableCount"].intValue, expected != Int64(tables) {
            throw corrupt("_meta says \(expected) tables, the file has \(tables)", path)
        }
        return BackupVerification(meta: meta, tables: tables, records: records)
    }

    private func corrupt(_ message: String, _ path: String) -> DictDBError {
        DictDBError(.corrupt, "\(path): \(message)", context: .init(path: path))
    }
}
