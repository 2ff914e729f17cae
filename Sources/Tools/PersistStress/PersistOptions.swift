import DictDB
import DictDBToolSupport

/// The command line of `dictdb-persist-stress`.
struct PersistOptions {
    /// Save/load cycles per codec.
    var cycles = 10
    /// Records inserted per cycle, spread over the tables (updates and deletes come on top).
    var records = 500
    /// The run's seed.
    var seed: UInt64?
    /// The codecs to test; every standard one when `nil`.
    var codecs: [String]?
    /// Where the snapshot files go (default: a temporary directory, removed after a clean run).
    var directory: String?
    /// Print a line per cycle.
    var verbose = false

    /// Every codec the standard registry can write: each registered codec alone and with each compressor.
    static var standardCodecs: [String] {
        let registry = Registry.standard
        let bases = registry.names(of: .codec)
        let compressors = registry.names(of: .compressor)
        return bases + bases.flatMap { base in compressors.map { "\(base)+\($0)" } }
    }

    /// The text `--help` prints.
    static var usage: String {
        """
        Usage: dictdb-persist-stress [options]

        Repeated save/load cycles over random data for every snapshot codec: each cycle changes a database
        of several tables (random nested values, Unicode strings and field names, ints at their extremes,
        doubles such as -0.0 and 5e-324, nulls, arrays, objects; schemas with validators, unique fields,
        indexes of every kind, auto-increment, uuid, uuid7 and string keys), saves it, loads the file, and
        checks that every table, record (exactly: ints stay ints, field order is kept), schema, index
        definition and key generator state came back identical, that the rebuilt indexes answer queries
        as before, and that the previous cycle's file still loads to its own state. The next cycle goes on
        from the loaded copy. Prints per-codec timings as a table.

        Options:
          --cycles N        save/load cycles per codec (default 10)
          --records N       records inserted per cycle over all tables (default 500)
          --seed S          the run's seed, decimal or 0x-hex (default: random, printed)
          --codecs A,B      codecs to test (default: \(standardCodecs.joined(separator: ",")))
          --dir DIR         write the snapshots under DIR and keep them
          -v, --verbose     print a line per cycle
          -h, --help        show this help

        Exit status: 0 when every load matched, 1 on a mismatch or a failed save or load, 2 on a usage
        error.
        """
    }

    /// What the command line asks for.
    enum Request {
        /// Run with these options.
        case run(PersistOptions)
        /// Print the help text.
        case help
    }

    /// Parses `arguments` (without the program name).
    /// - Throws: ``UsageError`` for an unknown option, a bad value or a codec the registry cannot make.
    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        var options = PersistOptions()
        var cursor = ArgumentCursor(arguments)
        while let argument = cursor.next() {
            switch argument {
            case "-h", "--help": return .help
            case "-v", "--verbose": options.verbose = true
            case "--cycles": options.cycles = try cursor.integer(minimum: 1)
            case "--records": options.records = try cursor.integer(minimum: 1)
            case "--seed": options.seed = try cursor.seed()
            case "--dir": options.directory = try cursor.value()
            case "--codecs":
                let names = try cursor.list()
                for name in names {
                    do {
                        _ = try Registry.standard.codec(named: name)
                    } catch {
                        throw UsageError("--codecs: \(error.message)")
                    }
                }
                options.codecs = names
            default: throw UsageError("unknown argument '\(argument)'")
            }
        }
        return .run(options)
    }
}
