import DictDB
import DictDBToolSupport

/// The command line of `dictdb-gen-data`.
struct GenOptions {
    /// The datasets to write, in order.
    var datasets: [DatasetKind] = [.users]
    /// Records per dataset (orders reference users and products `1...count`).
    var count = 1000
    /// The file format; from the output's extension, else NDJSON, when `nil`.
    var format: RecordFileFormat?
    /// A directory (one file per dataset), a file, or `-` for standard output.
    var output = "."
    /// The seed; the same seed gives the same bytes.
    var seed: UInt64 = 1
    /// The Zipf exponent of the skewed fields (countries, categories, statuses, who orders what).
    var skew = 1.1
    /// Also write each dataset's schema (`<dataset>.schema.json`, the stored schema shape).
    var writeSchema = false
    /// Print a line per file written.
    var verbose = false

    /// The text `--help` prints.
    static let usage = """
        Usage: dictdb-gen-data [options]

        Writes realistic fixture datasets, the same bytes for the same seed:
          users     id, name, email (unique), age, country (skewed), signup_date (ISO 8601), tags (array)
          products  sku (unique), name, category (skewed), price (double), stock, attributes (object)
          orders    id, user_id (a user 1..N, skewed), items (array of {sku, qty}), total (the items' prices
                    times quantities), status (skewed), created_at (after the user's signup)
        Skewed fields follow a Zipf distribution with exponent --skew over their values. CSV cells hold
        arrays and objects as JSON text (`dictdb import` reads them back as strings). Every file imports
        with `dictdb import FILE --table NAME`.

        Options:
          --dataset NAME    users, products, orders or all (default users)
          --count N         records per dataset (default 1000)
          --format F        json, ndjson or csv (default: from the output file's extension, else ndjson)
          --output PATH     a directory (one <dataset>.<format> file each; made when missing), a file,
                            or - for standard output (default: the current directory); with
                            --dataset all it must be a directory
          --seed S          the seed, decimal or 0x-hex (default 1)
          --skew X          Zipf exponent of the skewed fields (default 1.1; 0 is uniform)
          --schema          also write <dataset>.schema.json next to each file: the table schema (the
                            shape Schema.storedValue has) the data satisfies, for scripts/schema-audit
          -v, --verbose     print a line per file written
          -h, --help        show this help

        Exit status: 0 when the files were written, 1 when writing failed, 2 on a usage error.
        """

    /// What the command line asks for.
    enum Request {
        /// Generate with these options.
        case run(GenOptions)
        /// Print the help text.
        case help
    }

    /// Parses `arguments` (without the program name).
    /// - Throws: ``UsageError`` for an unknown option or a bad value.
    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        var options = GenOptions()
        var cursor = ArgumentCursor(arguments)
        while let argument = cursor.next() {
            switch argument {
            case "-h", "--help": return .help
            case "-v", "--verbose": options.verbose = true
            case "--schema": options.writeSchema = true
            case "--dataset":
                let name = try cursor.choice(DatasetKind.allCases.map(\.rawValue) + ["all"])
                options.datasets = DatasetKind(rawValue: name).map { [$0] } ?? DatasetKind.allCases
            case "--count": options.count = try cursor.integer(minimum: 1, maximum: 100_000_000)
            case "--format":
                let name = try cursor.choice(RecordFileFormat.allCases.map(\.rawValue))
                options.format = RecordFileFormat(rawValue: name)
            case "--output": options.output = try cursor.value()
            case "--seed": options.seed = try cursor.seed()
            case "--skew":
                let text = try cursor.value()
                guard let skew = Double(text), skew.isFinite, skew >= 0, skew <= 10 else {
                    throw UsageError("--skew needs a number from 0 to 10, not '\(text)'")
                }
                options.skew = skew
            default: throw UsageError("unknown argument '\(argument)'")
            }
        }
        if options.output.isEmpty { throw UsageError("--output needs a path") }
        if options.output == "-" && options.datasets.count > 1 {
            throw UsageError("--output - (standard output) takes one dataset, not --dataset all")
        }
        if options.output == "-" && options.writeSchema {
            throw UsageError("--schema needs an output directory or file, not standard output")
        }
        return .run(options)
    }
}
