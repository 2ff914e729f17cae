import DictDBAPI

/// How a ``RecordWriter`` lays out its output. Only CSV has choices; NDJSON and JSON ignore these.
///
/// ```swift
/// let options = RecordWriterOptions(csvColumns: ["id", "name", "age"], csvLineEnding: .lf)
/// ```
public struct RecordWriterOptions: Sendable, Hashable {
    /// CSV: the columns to write, in order; fields of a record outside them are left out, and a column a
    /// record lacks (or holds null in) is an empty cell.
    ///
    /// `nil` (the default) makes a column of every field in first-seen order across all records. The writer
    /// then holds the records until ``RecordWriter/finish()`` to learn every field before it writes the
    /// header; to stream with bounded memory, pass the columns (``firstSeenColumns(of:)`` computes them).
    public var csvColumns: [String]?
    /// CSV: the character between cells, `,` by default (`\t` writes TSV).
    public var csvDelimiter: Unicode.Scalar
    /// CSV: the end of each row: CRLF as RFC 4180 says (the default), or LF.
    public var csvLineEnding: CSVLineEnding

    /// Creates options.
    public init(
        csvColumns: [String]? = nil, csvDelimiter: Unicode.Scalar = ",", csvLineEnding: CSVLineEnding = .crlf
    ) {
        self.csvColumns = csvColumns
        self.csvDelimiter = csvDelimiter
        self.csvLineEnding = csvLineEnding
    }

    /// Every field name of `records`, in the order each first appears: the CSV columns a writer would
    /// choose for them.
    public static func firstSeenColumns(of records: some Sequence<Record>) -> [String] {
        var columns: [String] = []
        var seen = Set<String>()
        for record in records {
            for name in record.fieldNames where seen.insert(name).inserted { columns.append(name) }
        }
        return columns
    }
}

/// The end of a CSV row.
public enum CSVLineEnding: String, Sendable, Hashable, CaseIterable {
    /// `\r\n`, as RFC 4180 specifies.
    case crlf
    /// `\n`.
    case lf
}

/// How a ``RecordReader`` interprets its input. Only CSV has choices; NDJSON and JSON ignore these.
///
/// With type inference (the default), each CSV cell becomes:
///
/// | cell | value |
/// |---|---|
/// | empty | no field (the record lacks it) |
/// | `true`, `false` (also `True`/`TRUE`, `False`/`FALSE`) | bool |
/// | an integer in JSON form that fits 64 bits (`-12`, `0`; not `007` or `+5`) | int |
/// | a JSON number with a fraction or exponent (`1.5`, `2e3`, `30103.0`) that is finite | double |
/// | `[...]` or `{...}` holding valid JSON, when ``csvParsesJSONCells`` is on | array or object |
/// | anything else | string, exactly as written (spaces kept) |
///
/// Quoting never changes a cell's type: `"12"` and `12` both read as the integer 12.
public struct RecordReaderOptions: Sendable, Hashable {
    /// CSV: the column names, when the file has no header row (its first row is then a record).
    /// `nil` (the default) reads them from the first row.
    public var csvColumns: [String]?
    /// CSV: whether cells become typed values (see the table above); when false every cell is a string,
    /// an empty cell the empty string.
    public var csvInfersTypes: Bool
    /// CSV: whether a cell holding a JSON array or object (as the CSV writer prints them) becomes an array
    /// or object; off by default, so such cells stay strings. Needs ``csvInfersTypes``.
    public var csvParsesJSONCells: Bool
    /// CSV: the character between cells, `,` by default (`\t` reads TSV).
    public var csvDelimiter: Unicode.Scalar

    /// Creates options.
    public init(
        csvColumns: [String]? = nil, csvInfersTypes: Bool = true, csvParsesJSONCells: Bool = false,
        csvDelimiter: Unicode.Scalar = ","
    ) {
        self.csvColumns = csvColumns
        self.csvInfersTypes = csvInfersTypes
        self.csvParsesJSONCells = csvParsesJSONCells
        self.csvDelimiter = csvDelimiter
    }
}

/// Checks of CSV options shared by the reader and the writer.
enum CSVOptionChecks {
    /// The delimiter as a byte: one ASCII character other than `"`, CR and LF.
    static func delimiter(_ scalar: Unicode.Scalar) throws(DictDBError) -> UInt8 {
        guard scalar.isASCII, scalar != "\"", scalar != "\r", scalar != "\n" else {
            throw DictDBError(
                .invalidArgument,
                "a CSV delimiter must be one ASCII character other than a double quote, CR or LF",
                context: .init(expected: "an ASCII character such as , or tab", found: scalar.escaped(asASCII: true)))
        }
        return UInt8(scalar.value)
    }

    /// Checks that `columns` are non-empty, distinct names.
    static func columns(_ columns: [String], what: String) throws(DictDBError) {
        guard !columns.isEmpty else {
            throw DictDBError(.invalidArgument, "\(what) must name at least one column")
        }
        var seen = Set<String>()
        for (i, name) in columns.enumerated() {
            guard !name.isEmpty else {
                throw DictDBError(.invalidArgument, "\(what): column \(i + 1) has an empty name")
            }
            guard seen.insert(name).inserted else {
                throw DictDBError(
                    .invalidArgument, "\(what) names the column '\(name)' twice", context: .init(field: name))
            }
        }
    }
}
