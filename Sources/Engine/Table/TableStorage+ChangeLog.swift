import DictDBAPI

/// What a stretch of changes to a ``TableStorage`` did, relative to the state where it began: enough to
/// describe the changes by key for the journal (``JournalTableChange``) and to undo them exactly.
///
/// Row-level changes are cheap to track: the first old value of each pre-existing row the stretch changed,
/// and where the appended rows begin (row ids are stable while a log is open: compaction waits). A change
/// to the index set or a clear of the table is *structural*: the log then keeps a copy of the storage as it
/// was just before the first one (O(1), copy-on-write), and undo restores that copy wholesale.
struct ChangeLog {
    /// The row count when the log began (or when the table was last cleared): rows at or past it are new.
    var baseRowCount: Int
    var baseLiveCount: Int
    var baseKeyState: Value
    var baseVersion: UInt64
    /// The first value of each pre-existing row the stretch replaced or deleted.
    var originals: [RowID: Record] = [:]
    /// The index definitions when the log began, noted at the first structural change.
    var baseIndexes: [IndexDefinition]?
    /// The storage just before the first structural change (carrying the log up to then).
    var beforeStructuralChange: StorageBox?
    /// Whether the table was cleared: the journal then says so, and lists the live rows as inserts.
    var cleared = false

    /// Whether anything changed since the log began.
    func hasChanges(_ storage: TableStorage) -> Bool {
        storage.version != baseVersion || storage.keyState != baseKeyState
    }
}

/// A heap cell for a storage value, so a ``ChangeLog`` (itself inside a storage) can hold one.
final class StorageBox {
    let storage: TableStorage
    init(_ storage: TableStorage) { self.storage = storage }
}

extension TableStorage {
    /// Starts logging changes (for a durable write or a transaction's working copy).
    mutating func beginLog() {
        changeLog = ChangeLog(
            baseRowCount: rows.count, baseLiveCount: liveCount, baseKeyState: keyState, baseVersion: version)
    }

    /// Stops logging and returns the log, or `nil` when nothing changed.
    mutating func endLog() -> ChangeLog? {
        guard let log = changeLog else { return nil }
        changeLog = nil
        return log.hasChanges(self) ? log : nil
    }

    /// Notes the old value of `row` the first time the open log sees it change.
    mutating func noteOriginal(_ row: RowID?) {
        guard let row, changeLog != nil, row < changeLog?.baseRowCount ?? 0 else { return }
        guard changeLog?.originals[row] == nil, let old = rows[row] else { return }
        changeLog?.originals[row] = old
    }

    /// Notes a change to the index set, or a clear: the first one keeps a copy for undo.
    mutating func noteStructuralChange(clearing: Bool = false) {
        guard var log = changeLog else { return }
        if log.beforeStructuralChange == nil {
            log.baseIndexes = indexes.map(\.definition)
            log.beforeStructuralChange = StorageBox(self)
        }
        if clearing {
            log.cleared = true
            log.originals = [:]
            log.baseRowCount = 0
        }
        changeLog = log
    }

    /// Undoes everything `log` recorded, returning the storage to its state when the log began.
    mutating func rollBack(_ log: ChangeLog) {
        if let before = log.beforeStructuralChange {
            self = before.storage
            let inner = changeLog
            changeLog = nil
            if let inner { rollBack(inner) }
            return
        }
        for (row, _) in log.originals {
            if let current = rows[row] { removeEntries(of: current, at: row) }
        }
        if log.baseRowCount < rows.count {
            for row in log.baseRowCount..<rows.count {
                if let current = rows[row] { removeEntries(of: current, at: row) }
            }
            truncateRows(to: log.baseRowCount)
        }
        for (row, old) in log.originals {
            setRow(row, to: old)
            addEntries(of: old, at: row)
        }
        restoreCounters(liveCount: log.baseLiveCount, keyState: log.baseKeyState, version: log.baseVersion)
        changeLog = nil
    }
}
