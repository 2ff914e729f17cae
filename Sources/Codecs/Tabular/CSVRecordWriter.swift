import DictDBAPI

/// Writes records as RFC 4180 CSV: a header row of column names, then one row per record.
///
/// Columns are ``RecordWriterOptions/csvColumns`` when given (the header is written with the first record,
/// or by ``finish()`` when there is none), else every field in first-seen order, learnt by holding the
/// records until ``finish()`` (no records and no columns: an empty file). Cells print as
/// ``ByteOutput/appendCSVCell(_:delimiter:)`` says. In a one-column file an empty cell is written `""`, so
/// that no row is a blank line (which readers skip).
final class CSVRecordWriter: RecordWriter {
    var format: RecordFileFormat { .csv }
    private(set) var recordsWritten = 0
    private var out: ByteOutput
    private var columns: [String]?
    private var pending: [Record] = []
    private let delimiter: UInt8
    private let lineEnding: CSVLineEnding
    private var wroteHeader = false
    private var state = TabularWriting.State.open

    /// Creates a writer to `sink`.
    /// - Throws: ``DictDBError/Code/invalidArgument`` for empty or repeated columns or a bad delimiter.
    init(to sink: any ByteSink, options: RecordWriterOptions) throws(DictDBError) {
        delimiter = try CSVOptionChecks.delimiter(options.csvDelimiter)
        if let columns = options.csvColumns { try CSVOptionChecks.columns(columns, what: "the CSV columns") }
        columns = options.csvColumns
        lineEnding = options.csvLineEnding
        out = ByteOutput(to: sink)
        _ = out.sealChecksum()
    }

    func write(_ record: Record) throws(DictDBError) {
        try state.checkOpen(format)
        try Value.object(record).validate()
        guard let columns else {
            pending.append(record)
            recordsWritten += 1
            return
        }
        try guarded { () throws(DictDBError) in
            if !wroteHeader { try writeHeader(columns) }
            try writeRow(record, columns)
        }
        recordsWritten += 1
    }

    func finish() throws(DictDBError) {
        try state.checkOpen(format)
        try guarded { () throws(DictDBError) in
            if let columns {
                if !wroteHeader { try writeHeader(columns) }
            } else {
                let columns = RecordWriterOptions.firstSeenColumns(of: pending)
                if !columns.isEmpty {
                    try writeHeader(columns)
                    for record in pending { try writeRow(record, columns) }
                }
                pending = []
            }
            try out.flush()
        }
        state = .finished
    }

    /// Runs `body`; a failure marks the writer failed (its output is incomplete).
    private func guarded(_ body: () throws(DictDBError) -> Void) throws(DictDBError) {
        do {
            try body()
        } catch {
            state = .failed
            throw error
        }
    }

    private func writeHeader(_ columns: [String]) throws(DictDBError) {
        for (index, name) in columns.enumerated() {
            if index > 0 { try out.append(delimiter) }
            try out.appendCSVText(name, delimiter: delimiter)
        }
        try endRow()
        wroteHeader = true
    }

    private func writeRow(_ record: Record, _ columns: [String]) throws(DictDBError) {
        if columns.count == 1 {
            let value = record[field: columns[0]]
            switch value {
            case nil, .null?, .string("")?: try out.append(ascii: "\"\"")
            default: try out.appendCSVCell(value, delimiter: delimiter)
            }
            return try endRow()
        }
        for (index, name) in columns.enumerated() {
            if index > 0 { try out.append(delimiter) }
            try out.appendCSVCell(record[field: name], delimiter: delimiter)
        }
        try endRow()
    }

    private func endRow() throws(DictDBError) {
        switch lineEnding {
        case .crlf: try out.append(ascii: "\r\n")
        case .lf: try out.append(UInt8(ascii: "\n"))
        }
    }
}
