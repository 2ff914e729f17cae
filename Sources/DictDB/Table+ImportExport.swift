import Codecs
import DictDBAPI
import Engine

/// How ``Engine/Table/importRecords(from:format:options:batchSize:fileSystem:progress:)`` reads and inserts.
public struct RecordImportOptions: Sendable, Hashable {
    /// How the file is read (CSV columns and typing).
    public var reader: RecordReaderOptions
    /// The limits the reader checks (line and cell length, nesting depth).
    public var limits: DecodingLimits
    /// Whether the import is all-or-nothing (the default): every record is read first, then inserted in
    /// one batch, so a bad row leaves the table unchanged. When false, records are inserted `batchSize` at
    /// a time as they are read: memory stays bounded, but a failure keeps the batches before it.
    public var isAtomic: Bool

    /// Creates options.
    public init(
        reader: RecordReaderOptions = RecordReaderOptions(), limits: DecodingLimits = .default, atomic: Bool = true
    ) {
        self.reader = reader
        self.limits = limits
        self.isAtomic = atomic
    }
}

/// What ``Engine/Table/importRecords(from:format:options:batchSize:fileSystem:progress:)`` did.
public struct ImportReport: Sendable, Hashable {
    /// The file read.
    public var path: String
    /// Its format.
    public var format: RecordFileFormat
    /// The records inserted (every record of the file: an import that fails throws).
    public var records: Int
    /// The `insertBatch` calls made (1 for an atomic import of a non-empty file).
    public var batches: Int

    /// Creates a report.
    public init(path: String, format: RecordFileFormat, records: Int, batches: Int) {
        self.path = path
        self.format = format
        self.records = records
        self.batches = batches
    }
}

/// How far an import or export has got, reported every 1,000 records and at the end.
public struct TransferProgress: Sendable, Hashable {
    /// Records read (import) or written (export) so far.
    public var records: Int
    /// Bytes of the file read so far (import), or `nil` (export).
    public var bytes: Int64?
    /// The record total when known in advance (export), else `nil`.
    public var totalRecords: Int?

    /// Creates a progress report.
    public init(records: Int, bytes: Int64? = nil, totalRecords: Int? = nil) {
        self.records = records
        self.bytes = bytes
        self.totalRecords = totalRecords
    }
}

extension Table {
    /// Inserts the records of an NDJSON, CSV or JSON file.
    ///
    /// ```swift
    /// let report = try users.importRecords(from: "users.csv", format: .csv)
    /// print("imported \(report.records) records")
    /// ```
    ///
    /// By default the import is all-or-nothing: the whole file is read and checked, then inserted with one
    /// `insertBatch(_:durability:)`; a malformed row or a record the table refuses (schema, duplicate key, unique
    /// index) leaves the table exactly as it was, and the error names the file and the row (`line 7`,
    /// `row 6 (line 7)`, `record 6 (byte 210)`), with `context.path` and `context.offset` set. With
    /// `options.isAtomic` false, records go in `batchSize` at a time as they are read, and a failure keeps
    /// the batches inserted before it (the error says how many records that is).
    ///
    /// Records without the primary key get one from the table's generator, as `insert(_:durability:)` does. For CSV,
    /// see `RecordReaderOptions` for how cells become values.
    ///
    /// - Parameters:
    ///   - path: the file, used as given.
    ///   - format: how the file is written: `.json`, `.ndjson` or `.csv`.
    ///   - options: all-or-nothing or not, how CSV cells become values, and the reader's limits.
    ///   - batchSize: records per `insertBatch(_:durability:)` when the import is not atomic (at least 1).
    ///   - fileSystem: where the file is read from.
    ///   - progress: called every 1,000 records read with the records and bytes read so far, and at the end.
    /// - Throws: `DictDBError.Code.io` (the file cannot be read), `DictDBError.Code.corrupt` or
    ///   `DictDBError.Code.limitExceeded` (malformed input), `DictDBError.Code.invalidArgument` (bad
    ///   options), and the table's errors: `DictDBError.Code.schemaViolation`,
    ///   `DictDBError.Code.duplicateKey`, `DictDBError.Code.uniqueViolation`...
    @discardableResult
    public func importRecords(
        from path: String, format: RecordFileFormat, options: RecordImportOptions = RecordImportOptions(),
        batchSize: Int = 10_000, fileSystem: any FileSystem = PosixFileSystem(),
        progress: ((TransferProgress) -> Void)? = nil
    ) throws(DictDBError) -> ImportReport {
        guard batchSize >= 1 else {
            throw DictDBError(
                .invalidArgument, "the import batch size must be at least 1, not \(batchSize)",
                context: .init(table: name, path: path))
        }
        let file = try fileSystem.openForReading(path)
        defer { try? file.close() }
        let reader = try makeRecordReader(format: format, from: file, options: options.reader, limits: options.limits)
        var report = ImportReport(path: path, format: format, records: 0, batches: 0)
        var batch: [Record] = []
        var locations: [RecordLocation] = []
        let limit = options.isAtomic ? Int.max : batchSize
        while true {
            let record: Record?
            do {
                record = try reader.next()
            } catch {
                throw ImportFailure.reading(error, path: path, table: name, inserted: report.records)
            }
            if let record {
                batch.append(record)
                let location = reader.location ?? RecordLocation(format: format, record: 0, line: nil, offset: 0)
                locations.append(location)
                if let progress, location.record % 1_000 == 0 {
                    progress(TransferProgress(records: location.record, bytes: location.offset))
                }
            } else if let progress {
                progress(
                    TransferProgress(
                        records: report.records + batch.count, bytes: (try? fileSystem.fileSize(path)) ?? nil))
            }
            if batch.count >= limit || (record == nil && !batch.isEmpty) {
                do {
                    try insertBatch(batch)
                } catch {
                    let culprit = ImportFailure.locate(error, in: batch, table: self)
                    throw ImportFailure.inserting(
                        error, at: culprit.map { locations[$0] }, path: path, inserted: report.records)
                }
                report.records += batch.count
                report.batches += 1
                batch.removeAll(keepingCapacity: true)
                locations.removeAll(keepingCapacity: true)
            }
            if record == nil { return report }
        }
    }

    /// Writes the records a query selects to an NDJSON, CSV or JSON file, replacing it atomically, and
    /// returns how many were written.
    ///
    /// ```swift
    /// try users.exportRecords(to: "adults.ndjson", format: .ndjson, query: Query(Field("age") >= 18))
    /// ```
    ///
    /// The file is written like a snapshot: to a temporary file in the same directory (created exclusively,
    /// mode 0600), fsynced, renamed over `path`, then the directory is fsynced. If anything fails before the
    /// rename, the temporary file is removed and a file already at `path` is left untouched; if only the
    /// final directory fsync fails, the new file is in place but its durability is unknown, and the call
    /// throws. For CSV without `RecordWriterOptions.csvColumns`, the columns are every field of the
    /// selected records in first-seen order.
    ///
    /// `progress` is called every 1,000 records written, and at the end.
    ///
    /// - Throws: `DictDBError.Code.io` with the path and system error, `DictDBError.Code.invalidArgument`
    ///   for bad options, the query's errors.
    @discardableResult
    public func exportRecords(
        to path: String, format: RecordFileFormat, query: Query = Query(),
        options: RecordWriterOptions = RecordWriterOptions(), fileSystem: any FileSystem = PosixFileSystem(),
        progress: ((TransferProgress) -> Void)? = nil
    ) throws(DictDBError) -> Int {
        let records = try select(query)
        var options = options
        if format == .csv && options.csvColumns == nil {
            let columns = RecordWriterOptions.firstSeenColumns(of: records)
            options.csvColumns = columns.isEmpty ? nil : columns
        }
        do {
            try fileSystem.replaceAtomically(path) { (file) throws(DictDBError) in
                let writer = try makeRecordWriter(format: format, to: file, options: options)
                for (index, record) in records.enumerated() {
                    try writer.write(record)
                    if let progress, (index + 1) % 1_000 == 0 {
                        progress(TransferProgress(records: index + 1, totalRecords: records.count))
                    }
                }
                try writer.finish()
                progress?(TransferProgress(records: records.count, totalRecords: records.count))
            }
        } catch {
            var error = error
            if error.context.path == nil { error.context.path = path }
            if error.context.table == nil { error.context.table = name }
            throw error
        }
        return records.count
    }
}

/// The errors of a failed import, naming the file and the row.
enum ImportFailure {
    /// A reader error: the message gains the path.
    static func reading(_ error: DictDBError, path: String, table: String, inserted: Int) -> DictDBError {
        var error = error
        error.message = "cannot import \(path): \(error.message)\(keptNote(inserted))"
        error.context.path = path
        if error.context.table == nil { error.context.table = table }
        return error
    }

    /// A table error for the record at `location` (when it could be found).
    static func inserting(
        _ error: DictDBError, at location: RecordLocation?, path: String, inserted: Int
    ) -> DictDBError {
        var error = error
        let place = location.map { " at \($0)" } ?? ""
        error.message = "cannot import \(path)\(place): \(error.message)\(keptNote(inserted))"
        error.context.path = path
        if let location { error.context.offset = location.offset }
        return error
    }

    private static func keptNote(_ inserted: Int) -> String {
        inserted == 0 ? "; nothing was imported" : "; the \(inserted) records of earlier batches stay imported"
    }

    /// The position in `batch` of the record that made `insertBatch` throw `error`, or `nil`.
    ///
    /// Replays the batch, one record at a time, into a scratch table with the same primary key, generator,
    /// schema and unique indexes (and, for key conflicts, the table's records), and returns the first record
    /// that fails with the same error. Runs only after a failure.
    static func locate(_ failure: DictDBError, in batch: [Record], table: Table) -> Int? {
        let keyConflict = failure.code == .duplicateKey || failure.code == .uniqueViolation
        guard let scratch = scratchTable(like: table, withRecords: keyConflict) else { return nil }
        var sameCode: Int?
        for (index, record) in batch.enumerated() {
            do {
                try scratch.insert(record)
            } catch {
                if error.code == failure.code && error.message == failure.message { return index }
                if error.code == failure.code && sameCode == nil { sameCode = index }
            }
        }
        return sameCode
    }

    /// An empty in-memory table shaped like `table`, holding its records when `withRecords` is true.
    private static func scratchTable(like table: Table, withRecords: Bool) -> Table? {
        var registry = Registry.standard
        registry.register(keyGenerator: table.keyGenerator)
        let database = Database(registry: registry)
        guard
            let scratch = try? database.createTable(
                table.name, primaryKey: table.primaryKey, keyGenerator: table.keyGenerator.name, schema: table.schema)
        else { return nil }
        let existing = Set(scratch.indexes.map(\.name))
        for definition in table.indexes where definition.unique && !existing.contains(definition.name) {
            let kind = (try? registry.indexKind(named: definition.kind)) != nil ? definition.kind : "unique"
            _ = try? scratch.createIndex(
                on: definition.fields, kind: kind, name: definition.name, unique: true, options: definition.options)
        }
        if withRecords {
            guard let records = try? table.select(), (try? scratch.insertBatch(records)) != nil else { return nil }
        }
        return scratch
    }
}
