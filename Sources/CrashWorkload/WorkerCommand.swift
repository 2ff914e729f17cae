/// The command line of `dictdb-crash-worker`, parsed by hand.
///
/// ```text
/// dictdb-crash-worker run --dir D --seed S --start I --count N --sync P --journal F
/// dictdb-crash-worker loop --cycles N --seed S --sync P --journal F [--dir D] [-v]
/// ```
public enum WorkerCommand: Sendable, Equatable {
    /// Run ops `start..<start+count` on a database directory, printing `try i` / `ack i`.
    case run(RunOptions)
    /// Run the kill -9 loop with this executable as the worker.
    case loop(LoopOptions)
    /// Print the usage.
    case help

    /// The options of `run`.
    public struct RunOptions: Sendable, Equatable {
        /// The database directory.
        public var directory = ""
        /// The workload seed.
        public var seed: UInt64 = 1
        /// The first op to run.
        public var start = 0
        /// How many ops to run before closing the database and exiting 0.
        public var count = 100
        /// The sync policy.
        public var sync = "always"
        /// The journal format of a new database.
        public var journal = "binary"
        /// The journal size past which a checkpoint starts by itself.
        public var checkpointBytes: Int64 = 32 << 10

        /// The defaults: seed 1, ops 0..<100, `always`, `binary`, no directory yet.
        public init() {}
    }

    /// The options of `loop`.
    public struct LoopOptions: Sendable, Equatable {
        /// Kill-and-recover cycles.
        public var cycles = 100
        /// The workload seed.
        public var seed: UInt64 = 1
        /// The sync policy.
        public var sync = "always"
        /// The journal format.
        public var journal = "binary"
        /// The database directory; a fresh temporary one when nil (removed after a successful loop).
        public var directory: String?
        /// Print a line per cycle on standard error.
        public var verbose = false
        /// Also arm a random named crash point in about a third of the cycles.
        public var crashPoints = false

        /// The defaults: 100 cycles, seed 1, `always`, `binary`, a temporary directory, quiet, SIGKILL only.
        public init() {}
    }

    /// A command line that does not parse.
    public struct UsageError: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    /// The usage text `--help` prints.
    public static let usage = """
        Usage:
          dictdb-crash-worker run --dir D --seed S --start I --count N [--sync P] [--journal F]
                                  [--checkpoint-bytes B]
          dictdb-crash-worker loop --cycles N --seed S [--sync P] [--journal F] [--dir D] [--crash-points] [-v]
          dictdb-crash-worker --help

        run   opens (or creates) the database in D and runs ops I..<I+N of the seeded crash workload,
              printing "try <i>" before and "ack <i>" after each op (unbuffered), then closes it and
              exits 0. Exit 3: the database did not open; 4: an op failed unexpectedly; 5: close failed.
              DICTDB_CRASH_AT=name:n in the environment makes it exit 77 at that crash point.
        loop  runs N kill -9 cycles: this executable as the worker on one directory, SIGKILL at a random
              moment, reopen, check the state equals the workload after some k ops with
              lastAcked+1 <= k <= lastTried+1. Prints one summary line; exit 1 on a violation.
              With --crash-points, about a third of the cycles also arm a random named crash point.

        Options:
          --sync P              always (default), batch or os
          --journal F           binary (default) or ndjson
          --dir D               the database directory (loop: a temporary one by default)
          --crash-points        loop: arm random named crash points too (torn tails, checkpoint steps)
          -v, --verbose         loop: a line per cycle on standard error
          -h, --help            this text
        """

    /// Parses the arguments after the program name.
    /// - Throws: ``UsageError`` naming the problem.
    public static func parse(_ arguments: [String]) throws(UsageError) -> WorkerCommand {
        guard let command = arguments.first else { throw UsageError(message: "missing command (run or loop)") }
        if command == "-h" || command == "--help" || command == "help" { return .help }
        var options = Options(arguments.dropFirst())
        switch command {
        case "run":
            var run = RunOptions()
            while let name = try options.nextName() {
                switch name {
                case "--dir": run.directory = try options.value(for: name)
                case "--seed": run.seed = try options.number(for: name)
                case "--start": run.start = try options.number(for: name)
                case "--count": run.count = try options.number(for: name)
                case "--sync": run.sync = try options.value(for: name)
                case "--journal": run.journal = try options.value(for: name)
                case "--checkpoint-bytes": run.checkpointBytes = try options.number(for: name)
                case "-h", "--help": return .help
                default: throw UsageError(message: "run: unknown option \(name)")
                }
            }
            if run.directory.isEmpty { throw UsageError(message: "run: --dir is required") }
            return .run(run)
        case "loop":
            var loop = LoopOptions()
            while let name = try options.nextName() {
                switch name {
                case "--cycles": loop.cycles = try options.number(for: name)
                case "--seed": loop.seed = try options.number(for: name)
                case "--sync": loop.sync = try options.value(for: name)
                case "--journal": loop.journal = try options.value(for: name)
                case "--dir": loop.directory = try options.value(for: name)
                case "-v", "--verbose": loop.verbose = true
                case "--crash-points": loop.crashPoints = true
                case "-h", "--help": return .help
                default: throw UsageError(message: "loop: unknown option \(name)")
                }
            }
            return .loop(loop)
        default:
            throw UsageError(message: "unknown command '\(command)' (run or loop)")
        }
    }

    /// Walks `--name value` and `--name=value` arguments.
    private struct Options {
        var rest: ArraySlice<String>
        var inlineValue: String?

        init(_ arguments: ArraySlice<String>) { rest = arguments }

        mutating func nextName() throws(UsageError) -> String? {
            guard let argument = rest.popFirst() else { return nil }
            guard argument.hasPrefix("-") else { throw UsageError(message: "unexpected argument '\(argument)'") }
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                inlineValue = String(argument[argument.index(after: equals)...])
                return String(argument[..<equals])
            }
            inlineValue = nil
            return argument
        }

        mutating func value(for name: String) throws(UsageError) -> String {
            if let inlineValue {
                self.inlineValue = nil
                return inlineValue
            }
            guard let value = rest.popFirst() else { throw UsageError(message: "\(name) needs a value") }
            return value
        }

        mutating func number<T: FixedWidthInteger>(for name: String) throws(UsageError) -> T {
            let text = try value(for: name)
            guard let number = T(text), number >= 0 else {
                throw UsageError(message: "\(name) needs a non-negative integer, not '\(text)'")
            }
            return number
        }
    }
}
