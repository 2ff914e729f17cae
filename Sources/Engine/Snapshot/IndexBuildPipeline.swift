@_spi(Storage) import DictDBAPI

/// Builds a table's indexes on a second thread while a snapshot's records are still being read.
///
/// Loading a table spends about as long deriving and building index entries as decoding its records,
/// and once a record is stored the two do not depend on each other. The loader hands the stored records
/// over in batches (``submit(_:)``); the pipeline's thread derives every index's entries from them as
/// they come, checking unique indexes. When the table ends (``finish()``), the loading thread and
/// the pipeline's thread build the indexes from their entries, each taking the next unbuilt index, so
/// two indexes are built at the same time. The indexes equal those ``TableStorage/addIndex(_:table:)``
/// builds from the same records.
///
/// Call ``finish()`` once the last record is submitted, or ``cancel()`` when loading fails; either one
/// ends the thread (cancelling after finishing does nothing).
final class IndexBuildPipeline: @unchecked Sendable {
    // @unchecked: `pending`, `closed`, `cancelled`, `drained`, `failure` and `nextToBuild` are guarded by
    // `monitor`. A slot's entries are touched only by the pipeline's thread until it reports `drained`
    // under the monitor; afterwards a slot belongs to whichever thread claimed it under the monitor, and
    // the loading thread reads the built indexes after joining the pipeline's thread.

    /// One index: the empty index it fills and the entries gathered for it.
    private final class Slot {
        var index: any TableIndex
        var entries: IndexEntries

        init(index: any TableIndex, entries: IndexEntries) {
            self.index = index
            self.entries = entries
        }
    }

    /// How many records the loader gathers before handing them over: enough that the hand-over (a lock
    /// and a wake-up) costs little per record, few enough that both threads start early.
    static let batchSize = 2_048

    /// Tables with fewer records than this are indexed on the loading thread alone: starting a thread
    /// costs more than it saves there.
    static let minimumRecords = 8_192

    private let slots: [Slot]
    private let monitor = Monitor()
    private var pending: [Batch] = []
    private var closed = false
    private var cancelled = false
    private var drained = false
    private var failure: DictDBError?
    private var nextToBuild = 0
    private var thread: BackgroundThread?

    /// Starts the pipeline's thread for `indexes` (empty, as their kinds make them) of `table`, which
    /// will hold about `expectedRecords` records; `nil` when the system refuses a thread (the loader then
    /// builds the indexes itself). `startThread` starts it (tests pass one that refuses, as the system may).
    init?(
        indexes: [any TableIndex], table: String, expectedRecords: Int,
        startThread: (@escaping @Sendable () -> Void) -> BackgroundThread? = { BackgroundThread($0) }
    ) {
        // The count comes from the file, so it only sizes the first allocation (at most 2 MB an index);
        // the entries grow past it as the records arrive.
        let capacity = min(max(expectedRecords, 0), 1 << 16)
        slots = indexes.map {
            Slot(index: $0, entries: IndexEntries(definition: $0.definition, table: table, capacity: capacity))
        }
        thread = startThread { [self] in run() }
        if thread == nil { return nil }
    }

    /// Hands over a batch of stored records.
    func submit(_ batch: Batch) {
        guard !batch.isEmpty else { return }
        monitor.withLock {
            pending.append(batch)
            monitor.broadcast()
        }
    }

    /// Waits for every submitted record's entries, builds the indexes (on both threads) and returns them
    /// in the order they were given.
    /// - Throws: ``DictDBError/Code/uniqueViolation`` when a unique index's records share a key.
    func finish() throws(DictDBError) -> [any TableIndex] {
        monitor.lock()
        closed = true
        monitor.broadcast()
        while !drained { monitor.wait() }
        let failure = self.failure
        monitor.unlock()
        if failure == nil { buildClaimedIndexes() }
        thread?.join()
        thread = nil
        if let failure { throw failure }
        return slots.map(\.index)
    }

    /// Stops the pipeline's thread without building anything; does nothing once ``finish()`` returned.
    func cancel() {
        guard let thread else { return }
        monitor.withLock {
            cancelled = true
            monitor.broadcast()
        }
        thread.join()
        self.thread = nil
    }

    // MARK: - The pipeline's thread

    private func run() {
        while let batch = nextBatch() {
            gatherEntries(of: batch)
        }
        let buildsToo = monitor.withLock { () -> Bool in
            guard !cancelled else { return false }
            drained = true
            monitor.broadcast()
            return failure == nil
        }
        if buildsToo { buildClaimedIndexes() }
    }

    /// The next batch, waiting for one; `nil` once the loader finished and every batch was taken, or
    /// when the pipeline is cancelled.
    private func nextBatch() -> Batch? {
        monitor.lock()
        defer { monitor.unlock() }
        while pending.isEmpty && !closed && !cancelled { monitor.wait() }
        if cancelled || pending.isEmpty { return nil }
        let batch = pending.removeFirst()
        // After a failure the rest is only drained: the load fails whatever the other entries are.
        return failure == nil ? batch : Batch(firstRow: batch.firstRow)
    }

    private func gatherEntries(of batch: Batch) {
        do {
            for slot in slots {
                try batch.forEachKey(fields: slot.entries.definition.fields) { key, row throws(DictDBError) in
                    try slot.entries.add(key: key, row: row)
                }
            }
        } catch {
            monitor.withLock { if failure == nil { failure = error } }
        }
    }

    // MARK: - Building

    /// Builds indexes until none is left unclaimed; both threads run it once the entries are gathered.
    private func buildClaimedIndexes() {
        while let slot = claimNextSlot() {
            slot.entries.build(&slot.index)
        }
    }

    private func claimNextSlot() -> Slot? {
        monitor.withLock {
            guard nextToBuild < slots.count else { return nil }
            defer { nextToBuild += 1 }
            return slots[nextToBuild]
        }
    }
}

extension IndexBuildPipeline {
    /// Stored records as the loader hands them over: each record's values, and its field names once per
    /// run of records that have the same ones.
    ///
    /// Records of one shape share one field-name array, whose reference count the loading thread changes
    /// with every record it stores; the pipeline's thread reads the names once per run and the values by
    /// position, so the two threads do not pass that array's memory back and forth.
    struct Batch {
        /// The row of the first record.
        let firstRow: RowID
        /// Each record's values, in row order.
        private(set) var values: [[Value]] = []
        /// Where each run of records with the same field names starts in ``values``, and those names.
        private(set) var shapes: [(start: Int, fieldNames: [String])] = []

        /// An empty batch whose first record is stored at `firstRow`.
        init(firstRow: RowID) {
            self.firstRow = firstRow
        }

        /// Whether the batch holds no record.
        var isEmpty: Bool { values.isEmpty }

        /// Whether the batch holds ``IndexBuildPipeline/batchSize`` records.
        var isFull: Bool { values.count >= IndexBuildPipeline.batchSize }

        /// Adds the next record's values; `fieldNames` must be its field names when it is the batch's
        /// first record or its field names differ from the previous record's, and may be `nil` otherwise.
        mutating func append(_ values: [Value], fieldNames: [String]?) {
            // Room for a whole batch at the first record: a loader without a pipeline, and the empty
            // batches a failed load drains, never allocate.
            if self.values.isEmpty { self.values.reserveCapacity(IndexBuildPipeline.batchSize) }
            if let fieldNames {
                shapes.append((self.values.count, fieldNames))
            }
            self.values.append(values)
        }

        /// Calls `body` with each record's key in an index over `fields` (as ``IndexDefinition/key(for:)``
        /// derives it: the field's value, null when missing, or an array for several fields) and its row.
        func forEachKey<E: Error>(fields: [String], _ body: (Value, RowID) throws(E) -> Void) throws(E) {
            for run in shapes.indices {
                let start = shapes[run].start
                let end = run + 1 < shapes.count ? shapes[run + 1].start : values.count
                let positions = fields.map { shapes[run].fieldNames.firstIndex(of: $0) }
                for i in start..<end {
                    try body(Self.key(values[i], at: positions), firstRow + i)
                }
            }
        }

        private static func key(_ values: [Value], at positions: [Int?]) -> Value {
            if positions.count == 1 { return positions[0].map { values[$0] } ?? .null }
            return .array(positions.map { $0.map { values[$0] } ?? .null })
        }
    }
}
