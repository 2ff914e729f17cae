import DictDB
import DictDBToolSupport

/// The command line of `dictdb-schema-audit`.
struct AuditOptions {
    /// The data file to audit.
    var dataPath = ""
    /// The schema file (the JSON form of `Schema.storedValue`).
    var schemaPath = ""
    /// The data format; from the data file's extension when `nil`.
    var format: RecordFileFormat?
    /// The table's primary key field, as `dictdb import --primary-key` names it.
    var primaryKey = "id"
    /// The table's key generator, as `dictdb import --key-generator` names it.
    var keyGenerator = "autoincrement"
    /// Examples kept per field and rule.
    var examples = 3
    /// Read every CSV cell as a string (`dictdb import --no-infer-types`).
    var csvInfersTypes = true
    /// The CSV delimiter.
    var delimiter: Unicode.Scalar = ","
    /// Print every mismatch as it is found.
    var verbose = false

    /// The text `--help` prints.
    static let usage = """
        Usage: dictdb-schema-audit --schema SCHEMA.json DATA [options]

        Checks every record of a data file (JSON array, NDJSON or CSV, as `dictdb import` reads them) against
        a table schema and reports the mismatches, counted per field and rule, with the first few examples
        (the line, row or record number) of each:
          type mismatch, null in non-nullable, missing required field, validator failure, unknown field
          (strict schemas), duplicate in unique field, duplicate or invalid primary key.
        The checks are the engine's own: each record is inserted into scratch in-memory tables with the
        schema (the whole schema, and each field rule alone so that one record can show several
        mismatches), so the audit agrees with what `dictdb import` into a table with this schema does.
        A duplicate is reported even when the first record holding the value has other mismatches.

        The schema file holds the JSON form of Schema.storedValue, as snapshots store it:
          {"mode": "strict", "coercion": false, "fields": [{"name": "age", "type": "int",
           "nullable": true, "unique": false, "default": 0, "validators": [{"range": [0, 150]}]}]}
        (types: any, bool, int, double, number, string, array, object; validators: range [lo, hi],
        length [lo, hi], oneOf [values]). scripts/gen-data --schema writes one for each dataset.

        Options:
          --schema FILE          the schema file (required)
          --format F             json, ndjson or csv (default: from DATA's extension)
          --primary-key NAME     the table's primary key field (default id)
          --key-generator NAME   autoincrement, uuid or uuid7 (default autoincrement)
          --examples N           examples shown per field and rule (default 3)
          --no-infer-types       keep every CSV cell a string, as dictdb import --no-infer-types
          --delimiter C          the CSV delimiter (default ,)
          -v, --verbose          print every mismatch as it is found
          -h, --help             show this help

        Exit status: 0 when every record conforms, 1 when some do not, 2 on a usage error (a bad option,
        an unreadable or malformed schema file), 4 when the data file cannot be read or is malformed.
        """

    /// What the command line asks for.
    enum Request {
        /// Audit with these options.
        case run(AuditOptions)
        /// Print the help text.
        case help
    }

    /// Parses `arguments` (without the program name).
    /// - Throws: ``UsageError`` for an unknown option, a bad value, or a missing schema or data file name.
    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        var options = AuditOptions()
        var positional: [String] = []
        var cursor = ArgumentCursor(arguments)
        while let argument = cursor.next() {
            switch argument {
            case "-h", "--help": return .help
            case "-v", "--verbose": options.verbose = true
            case "--schema": options.schemaPath = try cursor.value()
            case "--format":
                let name = try cursor.choice(RecordFileFormat.allCases.map(\.rawValue))
                options.format = RecordFileFormat(rawValue: name)
            case "--primary-key": options.primaryKey = try cursor.value()
            case "--key-generator": options.keyGenerator = try cursor.value()
            case "--examples": options.examples = try cursor.integer(minimum: 0, maximum: 1000)
            case "--no-infer-types": options.csvInfersTypes = false
            case "--delimiter":
                let text = try cursor.value()
                guard text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first else {
                    throw UsageError("--delimiter must be one character, not '\(text)'")
                }
                options.delimiter = scalar
            default: positional.append(try cursor.positional())
            }
        }
        guard !options.schemaPath.isEmpty else { throw UsageError("--schema FILE is required") }
        guard positional.count == 1, let data = positional.first else {
            throw UsageError(
                positional.isEmpty ? "name the data file to audit" : "give one data file, not \(positional.count)")
        }
        options.dataPath = data
        if options.format == nil {
            guard let format = RecordFileFormat(pathExtensionOf: data) else {
                throw UsageError("cannot tell the format of \(data) from its name; add --format json, ndjson or csv")
            }
            options.format = format
        }
        do {
            _ = try Registry.standard.keyGenerator(named: options.keyGenerator)
        } catch {
            throw UsageError("--key-generator: \(error.message)")
        }
        return .run(options)
    }
}
