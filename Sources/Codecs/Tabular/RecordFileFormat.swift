import DictDBAPI

// Record files: the records of one table as NDJSON, CSV or a JSON array, for import, export and the CLI.
// Unlike snapshots they carry no metadata and no checksum; they are meant for other tools.

/// The file formats records of one table can be written to and read from.
///
/// | format | shape | types |
/// |---|---|---|
/// | `ndjson` | one compact JSON object per line (`\n`), UTF-8 | exact: ints, doubles, nesting, field order |
/// | `csv` | RFC 4180: a header row of field names, then one row per record | inferred per cell (see below) |
/// | `json` | one JSON array of objects, one object per line | exact, like `ndjson` |
///
/// NDJSON and JSON keep every `Value` exactly (`30103.0` stays a double, `12` an int). CSV holds text:
/// the writer prints numbers in JSON form, Booleans as `true`/`false`, arrays and objects as compact JSON
/// and null as an empty cell, and the reader infers types back (``RecordReaderOptions/csvInfersTypes``), so
/// a string that looks like a number (`"12"`) comes back as a number and null or `""` as a missing field.
///
/// ```swift
/// let sink = BufferSink()
/// let writer = try makeRecordWriter(format: .ndjson, to: sink)
/// try writer.write(["id": 1, "name": "Ada"])
/// try writer.finish()
/// let reader = try makeRecordReader(format: .ndjson, from: BufferSource(sink.bytes))
/// while let record = try reader.next() { print(record) }
/// ```
public enum RecordFileFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Newline-delimited JSON (also called JSON Lines): one JSON object per line.
    case ndjson
    /// Comma-separated values (RFC 4180) with a header row.
    case csv
    /// A JSON array of objects.
    case json

    /// The format a file name's extension names: `.ndjson`/`.jsonl` → ``ndjson``, `.csv` → ``csv``,
    /// `.json` → ``json`` (case-insensitive); `nil` for anything else.
    public init?(pathExtensionOf path: String) {
        let name = FilePath.fileName(of: path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "ndjson", "jsonl": self = .ndjson
        case "csv": self = .csv
        case "json": self = .json
        default: return nil
        }
    }

    /// The format's name: `ndjson`, `csv` or `json`.
    public var description: String { rawValue }
}

/// Writes records to a `ByteSink` in one ``RecordFileFormat``, through a 64 KiB buffer.
///
/// Call ``write(_:)`` for each record, then ``finish()``, which writes what remains buffered (and, for
/// CSV without explicit columns, everything: see ``RecordWriterOptions/csvColumns``). A writer is used by
/// one thread at a time.
public protocol RecordWriter: AnyObject {
    /// The format written.
    var format: RecordFileFormat { get }
    /// The number of records accepted by ``write(_:)`` so far.
    var recordsWritten: Int { get }
    /// Writes one record.
    /// - Throws: `DictDBError.Code.invalidValue` for a NaN or infinite double (nothing of the record is
    ///   written), `DictDBError.Code.invalidState` after ``finish()``, or the sink's error.
    func write(_ record: Record) throws(DictDBError)
    /// Writes out everything buffered and closes the format (a JSON array's `]`). The sink stays open.
    /// - Throws: the sink's error; `DictDBError.Code.invalidState` when called twice.
    func finish() throws(DictDBError)
}

/// Reads records from a `ByteSource` in one ``RecordFileFormat``, 64 KiB at a time.
///
/// After an error every call throws `DictDBError.Code.invalidState`: start a new reader.
public protocol RecordReader: AnyObject {
    /// The format read.
    var format: RecordFileFormat { get }
    /// Where the record last returned by ``next()`` starts, or `nil` before the first one.
    var location: RecordLocation? { get }
    /// The next record, or `nil` at the end of the input.
    /// - Throws: `DictDBError.Code.corrupt` for malformed input (the message names the line or row,
    ///   `context.offset` holds the byte offset), `DictDBError.Code.limitExceeded` past a
    ///   `DecodingLimits` limit, `DictDBError.Code.invalidValue` for a JSON number out of range, or the
    ///   source's error.
    func next() throws(DictDBError) -> Record?
}

/// Where a record starts in a record file, for error messages: `line 7` (NDJSON), `row 6 (line 7)` (CSV),
/// `record 6 (byte 210)` (JSON).
public struct RecordLocation: Sendable, Hashable, CustomStringConvertible {
    /// The format of the file.
    public var format: RecordFileFormat
    /// The record's number among the records of the file, from 1 (a CSV header is not a record).
    public var record: Int
    /// The line the record starts on, from 1 (NDJSON and CSV; `nil` for JSON).
    public var line: Int?
    /// The byte offset where the record starts.
    public var offset: Int64

    /// Creates a location.
    public init(format: RecordFileFormat, record: Int, line: Int?, offset: Int64) {
        self.format = format
        self.record = record
        self.line = line
        self.offset = offset
    }

    /// `line 7` (NDJSON), `row 6 (line 7)` (CSV) or `record 6 (byte 210)` (JSON).
    public var description: String {
        switch (format, line) {
        case (.ndjson, let line?): return "line \(line)"
        case (.csv, let line?): return "row \(record) (line \(line))"
        default: return "record \(record) (byte \(offset))"
        }
    }
}

/// Starts writing records in `format` to `sink`.
///
/// ```swift
/// let writer = try makeRecordWriter(format: .csv, to: sink, options: .init(csvColumns: ["id", "name"]))
/// for record in records { try writer.write(record) }
/// try writer.finish()
/// ```
///
/// - Throws: `DictDBError.Code.invalidArgument` for unusable options (an empty or repeated CSV column, a
///   delimiter that is not one ASCII character other than `"`, CR or LF).
public func makeRecordWriter(
    format: RecordFileFormat, to sink: any ByteSink, options: RecordWriterOptions = RecordWriterOptions()
) throws(DictDBError) -> any RecordWriter {
    switch format {
    case .ndjson: return JSONRecordWriter(to: sink, array: false)
    case .json: return JSONRecordWriter(to: sink, array: true)
    case .csv: return try CSVRecordWriter(to: sink, options: options)
    }
}

/// Starts reading records in `format` from `source`, within `limits`.
///
/// ```swift
/// let reader = try makeRecordReader(format: .csv, from: file, options: .init(csvInfersTypes: false))
/// while let record = try reader.next() { ... }
/// ```
///
/// - Throws: `DictDBError.Code.invalidArgument` for unusable options (an empty or repeated CSV column, a
///   bad delimiter).
public func makeRecordReader(
    format: RecordFileFormat, from source: any ByteSource, options: RecordReaderOptions = RecordReaderOptions(),
    limits: DecodingLimits = .default
) throws(DictDBError) -> any RecordReader {
    switch format {
    case .ndjson: return NDJSONRecordReader(from: source, limits: limits)
    case .json: return JSONArrayRecordReader(from: source, limits: limits)
    case .csv: return try CSVRecordReader(from: source, options: options, limits: limits)
    }
}
