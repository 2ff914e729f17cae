import DictDBAPI

/// A database is a source of consistent snapshots for the backup manager.
///
/// On disk, the change marker is the checkpoint generation and the last journal sequence. In memory it is
/// a change counter: the sum of every live table's storage version (each committed change raises one) plus
/// the catalog's epoch (which rises with every table created or dropped, and takes over a dropped table's
/// version), so it grows with every committed change and never goes back.
extension Database: BackupSource {
    /// Where the database stands now; see `BackupChangeMarker`. On disk it reads two counters; in memory
    /// it takes the tables' read locks for a moment.
    public var backupChangeMarker: BackupChangeMarker {
        if let durable {
            return BackupChangeMarker(
                generation: Int64(clamping: durable.log.journalInfo.generation),
                sequence: Int64(clamping: durable.log.lastSequence))
        }
        var epoch: UInt64 = 0
        let cut = consistentCut { epoch = catalogEpoch }
        return Self.memoryMarker(epoch: epoch, cut: cut)
    }

    /// Writes every table from one consistent cut (an O(1) copy-on-write copy of each, taken together under
    /// brief read locks), atomically, to the path `path` gives for the cut's marker; writers keep going
    /// while the file is written.
    ///
    /// On disk, the file's `_meta` carries the cut's generation and journal sequence, so point-in-time
    /// restore can replay the journal from there. In memory, `_meta` says generation 0 and sequence 0 (there
    /// is no journal), and the marker's sequence is the change counter.
    ///
    /// - Throws: `DictDBError.Code.unknownPlugin` for an unregistered codec, `DictDBError.Code.io`, the
    ///   codec's errors; nothing is left at the path on failure.
    public func writeBackupSnapshot(
        codec codecName: String, fileSystem: any FileSystem, path: (BackupChangeMarker) -> String
    ) throws(DictDBError) -> BackupSnapshot {
        let codec = try registry.codec(named: codecName)
        var marker = BackupChangeMarker(generation: 0, sequence: 0)
        var epoch: UInt64 = 0
        let durable = self.durable
        // Every change reaches the journal while its tables (or, for the catalog, the catalog) are locked,
        // so with all of them read-locked the last sequence written is exactly the cut's.
        let cut = consistentCut {
            if let durable {
                marker = BackupChangeMarker(
                    generation: Int64(clamping: durable.log.journalInfo.generation),
                    sequence: Int64(clamping: durable.log.lastSequence))
            } else {
                epoch = catalogEpoch
            }
        }
        if durable == nil { marker = Self.memoryMarker(epoch: epoch, cut: cut) }
        let target = path(marker)
        let journalMarker = durable == nil ? BackupChangeMarker(generation: 0, sequence: 0) : marker
        let info = try Self.writeSnapshot(
            cut, to: target, codec: codec, generation: journalMarker.generation, sequence: journalMarker.sequence,
            fileSystem: fileSystem)
        return BackupSnapshot(
            path: info.path, codec: info.codec, bytes: info.bytes, marker: marker, tables: info.tables,
            records: info.records)
    }

    /// The in-memory change counter of a cut: the catalog epoch plus every table's storage version.
    private static func memoryMarker(epoch: UInt64, cut: ConsistentCut) -> BackupChangeMarker {
        var counter = epoch
        for (_, storage) in cut { counter &+= storage.version }
        return BackupChangeMarker(generation: 0, sequence: Int64(bitPattern: counter & UInt64(Int64.max)))
    }
}
