/// The command line of `dictdb-fuzz`, parsed by hand (the package has no argument-parser dependency).
struct FuzzOptions {
    /// How many random cases to run (the truncation pass comes on top).
    var iterations = 2000
    /// The run's seed; random when not given.
    var seed: UInt64?
    /// Seconds one case may take before the watchdog ends the process with exit code 3.
    var timeoutSeconds = 10.0
    /// The peak resident memory, in MiB, one case may reach.
    var maxRSSMiB = 1024
    /// Where each case is written before it runs; in the temporary directory by default.
    var journalPath: String?
    /// Where the corpus is kept and reused from run to run; in the temporary directory by default.
    var corpusDirectory: String?
    /// Where the mutated files of offending cases are copied.
    var saveFailuresDirectory: String?
    /// Print every case and its outcome.
    var verbose = false
    /// Run only this iteration (with the same seed, it rebuilds the same case).
    var replayIteration: Int?
    /// Damaged-journal cases to run after the snapshot cases.
    var journalCases = 300
    /// Truncate every corpus file under 2 KiB at every offset before the random cases.
    var truncationPass = true
    /// Keep the temporary directory (corpus and last case) after the run.
    var keepTemporary = false

    /// The text `--help` prints.
    static let usage = """
        Usage: dictdb-fuzz [options]

        Builds a corpus of DictDB snapshots (two sample databases saved with json, msgpack, json+gzip,
        json+lz4, msgpack+gzip and msgpack+lz4), damages them in seeded random ways and loads each result.
        Every load must end as the identical state or a typed DictDBError; anything else (a different state
        accepted silently, a case slower than the timeout, peak memory above the cap, a crash) is a failure.

        Options:
          --iterations N        random snapshot cases to run (default 2000)
          --journal-cases N     damaged-journal cases to run afterwards (default 300): each damages the
                                journal of an on-disk database (binary+msgpack, binary+json, ndjson) and
                                opens it; it must fail with a typed error or hold the history after some
                                prefix of the journal
          --seed S              the run's seed, decimal or 0x-hex (default: random, printed)
          --replay I            run only iteration I of the seed's sequence (needs --seed, and the
                                same --corpus: files saved at another time hold another timestamp)
          --corpus DIR          save the corpus in DIR, or reuse the files already there
          --timeout SECONDS     per-case limit; the watchdog exits with code 3 past it (default 10)
          --max-rss-mb MIB      per-case peak resident memory cap (default 1024)
          --journal FILE        each case is appended here before it runs (default: in the temp dir)
          --save-failures DIR   copy the mutated files of offending cases into DIR
          --no-truncation-pass  skip truncating every corpus file under 2 KiB at every offset
          --keep-temp           keep the temporary directory
          -v, --verbose         print every case and its outcome
          -h, --help            show this help

        Exit status: 0 when every case is identical or a typed error, 1 otherwise, 2 on a usage error,
        3 when a case exceeds the timeout.
        """

    /// A command-line mistake, with the message to print before the usage.
    struct UsageError: Error {
        /// What was wrong.
        var message: String
    }

    /// What the command line asks for: a run or the help text.
    enum Request {
        /// Run the fuzzer with these options.
        case run(FuzzOptions)
        /// Print the help text and exit 0.
        case help
    }

    /// Parses `arguments` (without the program name).
    /// - Throws: ``UsageError`` for an unknown option, a missing or malformed value.
    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        var options = FuzzOptions()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws(UsageError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = remaining.popFirst() else { throw UsageError(message: "\(name) needs a value") }
                return next
            }
            switch name {
            case "-h", "--help": return .help
            case "-v", "--verbose": options.verbose = true
            case "--no-truncation-pass": options.truncationPass = false
            case "--keep-temp": options.keepTemporary = true
            case "--iterations": options.iterations = try integer(try value(), for: name, minimum: 0)
            case "--journal-cases": options.journalCases = try integer(try value(), for: name, minimum: 0)
            case "--seed": options.seed = try seed(try value())
            case "--replay": options.replayIteration = try integer(try value(), for: name, minimum: 0)
            case "--timeout":
                guard let seconds = Double(try value()), seconds > 0, seconds.isFinite else {
                    throw UsageError(message: "--timeout needs a positive number of seconds")
                }
                options.timeoutSeconds = seconds
            case "--max-rss-mb": options.maxRSSMiB = try integer(try value(), for: name, minimum: 16)
            case "--journal": options.journalPath = try value()
            case "--corpus": options.corpusDirectory = try value()
            case "--save-failures": options.saveFailuresDirectory = try value()
            default: throw UsageError(message: "unknown argument '\(argument)'")
            }
        }
        if options.replayIteration != nil && options.seed == nil {
            throw UsageError(message: "--replay needs the --seed of the run it replays")
        }
        return .run(options)
    }

    private static func integer(_ text: String, for name: String, minimum: Int) throws(UsageError) -> Int {
        guard let number = Int(text), number >= minimum else {
            throw UsageError(message: "\(name) needs an integer of at least \(minimum), not '\(text)'")
        }
        return number
    }

    private static func seed(_ text: String) throws(UsageError) -> UInt64 {
        let parsed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        guard let parsed else { throw UsageError(message: "--seed needs an unsigned 64-bit integer, not '\(text)'") }
        return parsed
    }
}
