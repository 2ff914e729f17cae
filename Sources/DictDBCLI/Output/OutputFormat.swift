import ArgumentParser
import DictDB

/// How rows are written to stdout.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    /// Aligned columns with a header and a row count, for people.
    case table
    /// One JSON array of objects.
    case json
    /// One JSON object per line.
    case ndjson
    /// A header line, then one line per row (RFC 4180 quoting).
    case csv

    /// The record file format, for the machine-readable formats.
    var recordFileFormat: RecordFileFormat? {
        switch self {
        case .table: return nil
        case .json: return .json
        case .ndjson: return .ndjson
        case .csv: return .csv
        }
    }
}

/// The `--format` option of the commands that print rows.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table, json, ndjson or csv.")
    var format: OutputFormat = .table
}

/// A ``ByteSink`` writing to the console's stdout, so the record writers of `export` print as well.
final class ConsoleSink: ByteSink {
    private let stream: Console.Stream

    init(_ stream: Console.Stream) { self.stream = stream }

    func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) {
        stream.write(String(decoding: bytes, as: UTF8.self))
    }
}

/// A ``ByteSink`` collecting what is written as text.
final class TextSink: ByteSink {
    var text = ""

    func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) {
        text += String(decoding: bytes, as: UTF8.self)
    }
}
