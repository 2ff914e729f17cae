import DictDBAPI

/// Reads RFC 4180 CSV: a header row of column names (unless ``RecordReaderOptions/csvColumns`` gives
/// them), then one record per row.
///
/// - Rows end in `\r\n`, `\n` or `\r`; a UTF-8 byte order mark at the start is skipped; blank lines are
///   skipped.
/// - A cell starting with `"` is quoted: it may hold the delimiter, newlines and `""` (one quote), and must
///   be followed by the delimiter or the end of the row. A `"` inside an unquoted cell is kept as it is.
/// - A row with more cells than the header has columns is ``DictDBError/Code/corrupt``; a shorter row
///   leaves the last columns out of its record.
/// - Cells become values as ``RecordReaderOptions`` describes; an empty cell (with type inference) leaves
///   its column out of the record.
/// - Cells longer than ``DecodingLimits/maxStringBytes`` or rows of more than
///   ``DecodingLimits/maxContainerCount`` cells are ``DictDBError/Code/limitExceeded``.
///
/// Every error names the row (records count from 1 after the header) and the line it starts on.
final class CSVRecordReader: RecordReader {
    var format: RecordFileFormat { .csv }
    private(set) var location: RecordLocation?
    private var input: ByteInput
    private let options: RecordReaderOptions
    private let limits: DecodingLimits
    private let delimiter: UInt8
    private var header: [String]?
    /// The bytes of the current row's cells, one after another.
    private var row: [UInt8] = []
    /// Where each cell of the current row ends in ``row``.
    private var cellEnds: [Int] = []
    /// The line the input position is on, from 1.
    private var lineNumber = 1
    private var recordNumber = 0
    private var atStart = true
    private var failed = false

    private static let quote = UInt8(ascii: "\"")
    private static let cr: UInt8 = 0x0D
    private static let lf: UInt8 = 0x0A

    /// Creates a reader of `source`.
    /// - Throws: ``DictDBError/Code/invalidArgument`` for empty or repeated columns or a bad delimiter.
    init(from source: any ByteSource, options: RecordReaderOptions, limits: DecodingLimits) throws(DictDBError) {
        delimiter = try CSVOptionChecks.delimiter(options.csvDelimiter)
        if let columns = options.csvColumns {
            try CSVOptionChecks.columns(columns, what: "the CSV columns")
            header = columns
        }
        self.options = options
        self.limits = limits
        input = ByteInput(from: source)
        _ = input.sealChecksum()
    }

    func next() throws(DictDBError) -> Record? {
        guard !failed else { throw TabularReading.unusable(format) }
        do {
            return try readRecord()
        } catch {
            failed = true
            throw error
        }
    }

    private func readRecord() throws(DictDBError) -> Record? {
        if atStart {
            try TabularReading.skipByteOrderMark(&input)
            atStart = false
        }
        let known: [String]?
        if let header { known = header } else { known = try readHeader() }
        guard let header = known else { return nil }
        while true {
            let place = Place(what: "row \(recordNumber + 1)", line: lineNumber, offset: input.offset)
            guard let isBlank = try readRow(place) else { return nil }
            if isBlank { continue }
            let record = try makeRecord(header, place)
            recordNumber += 1
            location = RecordLocation(format: .csv, record: recordNumber, line: place.line, offset: place.offset)
            return record
        }
    }

    /// Reads the header row: non-empty, distinct names. `nil` for an input without rows.
    private func readHeader() throws(DictDBError) -> [String]? {
        while true {
            let place = Place(what: "the header row", line: lineNumber, offset: input.offset)
            guard let isBlank = try readRow(place) else { return nil }
            if isBlank { continue }
            var names: [String] = []
            var seen = Set<String>()
            for index in cellEnds.indices {
                guard case .value(.string(let name)) = cell(index, typed: false) else {
                    throw place.error(.corrupt, "column \(index + 1) is not valid UTF-8")
                }
                guard !name.isEmpty else {
                    throw place.error(.corrupt, "column \(index + 1) has no name", expected: "a field name")
                }
                guard seen.insert(name).inserted else {
                    throw place.error(.corrupt, "the column '\(name)' appears twice", found: name)
                }
                names.append(name)
            }
            header = names
            return names
        }
    }

    /// The record of the row just read.
    private func makeRecord(_ header: [String], _ place: Place) throws(DictDBError) -> Record {
        let count = cellEnds.count
        guard count <= header.count else {
            throw place.error(
                .corrupt, "it has \(count) fields but the header has \(header.count) columns",
                expected: "at most \(header.count) fields", found: "\(count) fields")
        }
        var values: [Value] = []
        values.reserveCapacity(count)
        var names: [String]?
        for index in 0..<count {
            switch cell(index, typed: options.csvInfersTypes) {
            case .value(let value):
                names?.append(header[index])
                values.append(value)
            case .absent:
                if names == nil { names = Array(header[..<index]) }
            case .invalidUTF8:
                throw place.error(
                    .corrupt, "the cell of column '\(header[index])' is not valid UTF-8", field: header[index])
            }
        }
        if let names { return Record(sharedFieldNames: names, values: values) }
        if count == header.count { return Record(sharedFieldNames: header, values: values) }
        return Record(sharedFieldNames: Array(header[..<count]), values: values)
    }

    /// Cell `index` of the current row, typed by inference or as a string.
    private func cell(_ index: Int, typed: Bool) -> CSVCellTyping.Inferred {
        let start = index == 0 ? 0 : cellEnds[index - 1]
        let end = cellEnds[index]
        return row.withUnsafeBufferPointer { all in
            let bytes = UnsafeBufferPointer(rebasing: all[start..<end])
            guard typed else { return CSVCellTyping.text(bytes) }
            return CSVCellTyping.inferred(bytes, parsingJSON: options.csvParsesJSONCells, limits: limits)
        }
    }

    // MARK: Rows

    /// Reads one row's cells into ``row`` and ``cellEnds``, consuming its line ending. Returns whether the
    /// row is a blank line, or `nil` at the end of the input.
    private func readRow(_ place: Place) throws(DictDBError) -> Bool? {
        row.removeAll(keepingCapacity: row.capacity <= 4 * CodecChunk.size)
        cellEnds.removeAll(keepingCapacity: true)
        guard try input.peek() != nil else { return nil }
        var quoted = false
        while true {
            guard cellEnds.count < limits.maxContainerCount else {
                throw place.error(
                    .limitExceeded,
                    "it has more than \(limits.maxContainerCount) fields; raise "
                        + "DecodingLimits.maxContainerCount if this input is trusted")
            }
            var next: UInt8?
            if try input.peek() == Self.quote {
                quoted = true
                next = try readQuotedCell(place)
            } else {
                next = try readPlainCell(place)
            }
            cellEnds.append(row.count)
            guard let terminator = next else { break }
            input.position += 1
            if terminator == delimiter { continue }
            lineNumber += 1
            if terminator == Self.cr, try input.peek() == Self.lf { input.position += 1 }
            break
        }
        return !quoted && cellEnds.count == 1 && row.isEmpty
    }

    /// Reads an unquoted cell up to (not including) the delimiter, CR or LF it ends at, which it returns;
    /// `nil` at the end of the input.
    private func readPlainCell(_ place: Place) throws(DictDBError) -> UInt8? {
        let cellStart = row.count
        while true {
            let bytes = input.start
            let runStart = input.position
            let end = input.end
            var index = runStart
            while index < end {
                let byte = bytes[index]
                if byte == delimiter || byte == Self.cr || byte == Self.lf { break }
                index &+= 1
            }
            try append(bytes + runStart, index - runStart, cellStart: cellStart, place)
            input.position = index
            if index < end { return bytes[index] }
            guard try input.require(1) else { return nil }
        }
    }

    /// Reads a quoted cell from its opening quote through its closing one; returns the byte after it (the
    /// delimiter, CR or LF, not consumed), or `nil` at the end of the input.
    private func readQuotedCell(_ place: Place) throws(DictDBError) -> UInt8? {
        let cellStart = row.count
        let openOffset = input.offset
        let openLine = lineNumber
        input.position += 1
        while true {
            guard try input.require(1) else {
                throw place.error(
                    .corrupt,
                    "the quoted field opened on line \(openLine) (byte \(openOffset)) is not closed before the end "
                        + "of the input", offset: openOffset, expected: "a closing \"", found: "end of input")
            }
            let bytes = input.start
            let runStart = input.position
            let end = input.end
            var index = runStart
            var newlines = 0
            while index < end {
                let byte = bytes[index]
                if byte == Self.quote { break }
                if byte == Self.lf { newlines &+= 1 }
                index &+= 1
            }
            try append(bytes + runStart, index - runStart, cellStart: cellStart, place)
            lineNumber += newlines
            input.position = index
            if index == end { continue }
            // A quote: doubled, it stands for one; alone, it closes the cell.
            input.position += 1
            guard let following = try input.peek() else { return nil }
            if following == Self.quote {
                try append(input.start + input.position, 1, cellStart: cellStart, place)
                input.position += 1
                continue
            }
            guard following == delimiter || following == Self.cr || following == Self.lf else {
                throw place.error(
                    .corrupt,
                    "unexpected \(JSONScanner.describe(following)) after the closing quote of a field (byte "
                        + "\(input.offset)); quotes inside a quoted field must be doubled",
                    offset: input.offset, expected: "a delimiter or the end of the row",
                    found: JSONScanner.describe(following))
            }
            return following
        }
    }

    /// Adds `count` bytes at `bytes` to the current cell, which started at `cellStart` in ``row``.
    private func append(
        _ bytes: UnsafePointer<UInt8>, _ count: Int, cellStart: Int, _ place: Place
    ) throws(DictDBError) {
        guard count > 0 else { return }
        guard row.count - cellStart + count <= limits.maxStringBytes else {
            throw place.error(
                .limitExceeded,
                "a cell is longer than \(limits.maxStringBytes) bytes; raise "
                    + "DecodingLimits.maxStringBytes if this input is trusted")
        }
        row.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
    }

    /// Where a row starts, for errors.
    private struct Place {
        /// `row 3` or `the header row`.
        var what: String
        /// The line it starts on.
        var line: Int
        /// The byte it starts at.
        var offset: Int64

        /// An error about this row: `CSV row 3 (line 4): <problem>`, at `offset` (the row's start by default).
        func error(
            _ code: DictDBError.Code, _ problem: String, offset: Int64? = nil, field: String? = nil,
            expected: String? = nil, found: String? = nil
        ) -> DictDBError {
            DictDBError(
                code, "CSV \(what) (line \(line)): \(problem)",
                context: .init(field: field, offset: offset ?? self.offset, expected: expected, found: found))
        }
    }
}
