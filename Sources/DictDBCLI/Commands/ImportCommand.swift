import ArgumentParser
import DictDB

/// The file formats `import` and `export` read and write.
enum RecordFileOption: String, CaseIterable, ExpressibleByArgument {
    case json, ndjson, csv

    var format: RecordFileFormat {
        switch self {
        case .json: return .json
        case .ndjson: return .ndjson
        case .csv: return .csv
        }
    }

    /// The format named by `option`, else the one the path's extension names.
    static func resolve(_ option: RecordFileOption?, path: String?) throws(CommandFailure) -> RecordFileFormat {
        if let option { return option.format }
        if let path, let format = RecordFileFormat(pathExtensionOf: path) { return format }
        throw CommandFailure(
            .usage, "cannot tell the format of \(path ?? "stdout") from its name; add --format json, ndjson or csv")
    }
}

/// `dictdb import`: inserts the records of a JSON, NDJSON or CSV file into a table.
struct ImportCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Insert the records of a JSON, NDJSON or CSV file into a table (created if missing).",
        discussion: """
            The import is all-or-nothing: a malformed row or a record the table refuses (schema, duplicate key, \
            unique index) leaves the table as it was, and the error names the line or row. CSV cells that read \
            as numbers, true/false or empty (null) become those values unless --no-infer-types is given.

            Example: dictdb import people.csv --table people --primary-key email
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The file to read.")
    var file: String

    @Option(name: .long, help: "The table to insert into; created when missing.")
    var table: String

    @Option(name: .long, help: "The file's format (default: from its extension): json, ndjson or csv.")
    var format: RecordFileOption?

    @Option(name: .long, help: "For a new table: the primary key field (default: id).")
    var primaryKey: String = "id"

    @Option(name: .long, help: "For a new table: the key generator (default: autoincrement; uuid, uuid7...).")
    var keyGenerator: String = "autoincrement"

    @Flag(name: .long, help: "Keep every CSV cell a string.")
    var noInferTypes = false

    @Option(name: .long, help: "The CSV delimiter (default: ',').")
    var delimiter: String = ","

    func validate() throws {
        guard delimiter.unicodeScalars.count == 1 else {
            throw ValidationError("--delimiter must be one character, not '\(delimiter)'")
        }
    }

    func run(in console: Console) async throws {
        let fileFormat = try RecordFileOption.resolve(format, path: file)
        if try FileKind.of(file) != .file { throw CommandFailure(.notFound, "no file at \(file)") }
        var options = RecordImportOptions()
        options.reader.csvInfersTypes = !noInferTypes
        if let scalar = delimiter.unicodeScalars.first { options.reader.csvDelimiter = scalar }
        let opened = try database.open(in: console, forWriting: true, create: false)
        let totalBytes = try PosixFileSystem().fileSize(file)
        let bar = ProgressBar(console: console, label: "importing \(file)")
        let report = try await opened.using { (db) async throws -> ImportReport in
            let created = !db.hasTable(table)
            let target =
                created
                ? try db.createTable(table, primaryKey: primaryKey, keyGenerator: keyGenerator)
                : try db.table(table)
            do throws(DictDBError) {
                defer { bar.finish() }
                return try target.importRecords(from: file, format: fileFormat, options: options) { progress in
                    bar.update(done: progress.bytes ?? 0, total: totalBytes, records: progress.records)
                }
            } catch {
                if created { try? db.dropTable(table) }
                throw error
            }
        }
        console.print("imported \(ProgressBar.grouped(report.records)) records into \(table) from \(file)")
    }
}
