import DictDB
import DictDBToolSupport

#if canImport(Glibc)
import Glibc
#endif

// dictdb-schema-audit: checks a data file against a table schema with the engine's own enforcement. See
// `AuditOptions.usage` or run with --help.

let tool = "dictdb-schema-audit"
let options: AuditOptions
do {
    switch try AuditOptions.parse(Array(CommandLine.arguments.dropFirst())) {
    case .help:
        print(AuditOptions.usage)
        exit(0)
    case .run(let parsed):
        options = parsed
    }
} catch {
    ToolConsole.exitWithUsageError(error, tool: tool)
}

/// The schema in the schema file.
/// - Throws: ``UsageError`` naming the problem: an unreadable file, malformed JSON, not a stored schema.
func readSchema(_ path: String) throws(UsageError) -> Schema {
    do {
        let file = try PosixFileSystem().openForReading(path)
        defer { try? file.close() }
        let bytes = try file.readAll(maxBytes: 16 << 20)
        let value = try JSONCodec().decode(bytes, limits: .default)
        let schema = try Schema(storedValue: value, registry: .standard)
        try schema.validate()
        return schema
    } catch {
        throw UsageError("the schema file \(path) is not usable: \(error.message)")
    }
}

let schema: Schema
let auditor: Auditor
do {
    schema = try readSchema(options.schemaPath)
    let stem = FilePath.fileName(of: options.dataPath)
    auditor = try Auditor(
        schema: schema, primaryKey: options.primaryKey, keyGenerator: options.keyGenerator,
        table: stem.isEmpty ? "audit" : stem)
} catch let error as UsageError {
    ToolConsole.exitWithUsageError(error, tool: tool)
} catch {
    ToolConsole.exitWithUsageError(UsageError("the schema is not usable: \(error)"), tool: tool)
}

var report = AuditReport(exampleLimit: options.examples)
let format = options.format ?? .ndjson
do {
    let file = try PosixFileSystem().openForReading(options.dataPath)
    defer { try? file.close() }
    var readerOptions = RecordReaderOptions()
    readerOptions.csvInfersTypes = options.csvInfersTypes
    readerOptions.csvDelimiter = options.delimiter
    let reader = try makeRecordReader(format: format, from: file, options: readerOptions)
    while let record = try reader.next() {
        let location = reader.location?.description ?? "record \(report.records + 1)"
        let findings = auditor.audit(record)
        if options.verbose {
            for finding in findings {
                ToolConsole.printError("\(location): \(finding.field): \(finding.rule): \(finding.detail)")
            }
        }
        report.add(findings, at: location)
    }
} catch {
    if report.records > 0 {
        print(report.render(file: options.dataPath, schema: schema))
        ToolConsole.printError("\(tool): stopped after record \(report.records): the rest cannot be read")
    }
    ToolConsole.printError("\(tool): cannot read \(options.dataPath) as \(format): \(error)")
    exit(4)
}

print(report.render(file: options.dataPath, schema: schema))
exit(report.recordsWithFindings == 0 ? 0 : 1)
