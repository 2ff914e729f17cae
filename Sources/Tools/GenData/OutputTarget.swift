import DictDB
import DictDBToolSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one dataset goes: a file (with its schema file beside it when asked) or standard output.
struct OutputTarget {
    /// The dataset written.
    var kind: DatasetKind
    /// The file, or `nil` for standard output.
    var path: String?
    /// The format written.
    var format: RecordFileFormat

    /// The targets the options ask for. A path with a `.json`, `.ndjson`, `.jsonl` or `.csv` extension is a
    /// file; any other path is a directory (made when missing) that gets one `<dataset>.<format>` file per
    /// dataset.
    /// - Throws: ``UsageError`` when several datasets would go to one file.
    static func targets(for options: GenOptions) throws(UsageError) -> [OutputTarget] {
        if options.output == "-" {
            return options.datasets.map { OutputTarget(kind: $0, path: nil, format: options.format ?? .ndjson) }
        }
        if let fileFormat = RecordFileFormat(pathExtensionOf: options.output), !isDirectory(options.output) {
            guard options.datasets.count == 1, let kind = options.datasets.first else {
                throw UsageError("--output \(options.output) is a file; --dataset all needs a directory")
            }
            return [OutputTarget(kind: kind, path: options.output, format: options.format ?? fileFormat)]
        }
        let format = options.format ?? .ndjson
        return options.datasets.map { kind in
            OutputTarget(kind: kind, path: FilePath.join(options.output, "\(kind.rawValue).\(format)"), format: format)
        }
    }

    /// Whether a directory exists at `path`.
    static func isDirectory(_ path: String) -> Bool {
        (try? PosixFileSystem().contentsOfDirectory(path)) != nil
    }

    /// Where the schema of this target's dataset goes: beside the file, named `<stem>.schema.json`.
    var schemaPath: String? {
        guard let path else { return nil }
        let name = FilePath.fileName(of: path)
        let stem = name.lastIndex(of: ".").map { String(name[..<$0]) } ?? name
        return FilePath.join(FilePath.directory(of: path), "\(stem).schema.json")
    }

    /// Writes the dataset's records; returns how many.
    /// - Throws: ``DictDBError`` from the file system or the writer.
    func write(_ generator: FixtureGenerator) throws -> Int {
        let options = RecordWriterOptions(csvColumns: kind.columns)
        guard let path else {
            let sink = StandardOutputSink()
            let writer = try makeRecordWriter(format: format, to: sink, options: options)
            try generator.forEach(kind) { try writer.write($0) }
            try writer.finish()
            return writer.recordsWritten
        }
        let fileSystem = PosixFileSystem()
        try fileSystem.createDirectory(FilePath.directory(of: path))
        return try fileSystem.replaceAtomically(path) { (file) throws(DictDBError) -> Int in
            let writer = try makeRecordWriter(format: format, to: file, options: options)
            do {
                try generator.forEach(kind) { try writer.write($0) }
            } catch let error as DictDBError {
                throw error
            } catch {
                throw DictDBError(.invalidState, "generating \(kind.rawValue) failed: \(error)")
            }
            try writer.finish()
            return writer.recordsWritten
        }
    }

    /// Writes the dataset's schema (its stored JSON form) beside the file.
    func writeSchema() throws(DictDBError) {
        guard let schemaPath else { return }
        let bytes = try JSONCodec().encode(kind.schema.storedValue) + Array("\n".utf8)
        try PosixFileSystem().replaceAtomically(schemaPath) { (file) throws(DictDBError) in try file.write(bytes) }
    }
}

/// A ``ByteSink`` writing to standard output.
final class StandardOutputSink: ByteSink {
    func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(1, base + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                throw DictDBError(.io, "cannot write to standard output (errno \(errno))", context: .init(path: "-"))
            }
            offset += written
        }
    }
}
