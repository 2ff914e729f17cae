import DictDBToolSupport

/// The command line of `dictdb-concurrency-stress`.
struct StressOptions {
    /// Where the database lives during a run.
    enum Mode: String, CaseIterable {
        /// `Database()`, saved to files by the saver thread.
        case memory
        /// `Database.open(at:)`, journaled, checkpointed, and reopened at the end.
        case disk
    }

    /// Threads running writes (transfers, updates, inserts, deletes, transactions).
    var writers = 4
    /// Threads checking invariants.
    var readers = 4
    /// How long each mode runs, in seconds.
    var duration = 5.0
    /// Operations per writer after which it stops (no cap when `nil`).
    var operationsPerWriter: Int?
    /// The modes to run, in order.
    var modes: [Mode] = [.memory, .disk]
    /// The sync policy of the on-disk database.
    var sync = "batch"
    /// The accounts the database starts with.
    var accounts = 200
    /// The run's seed (each thread draws from its own stream of it).
    var seed: UInt64?
    /// Seconds without any completed operation after which the run fails as stalled.
    var stallSeconds = 10.0
    /// Where the database and the files saved during the run go (default: a temporary directory, removed
    /// after a run without violations).
    var directory: String?
    /// Print each background step and every violation as it happens.
    var verbose = false

    /// The text `--help` prints.
    static let usage = """
        Usage: dictdb-concurrency-stress [options]

        Runs writer and reader threads (real threads) against one database for a while, with a thread that
        saves snapshots, a thread that checkpoints (on disk) and a thread that takes backups with
        BackupManager.backupNow, and checks invariants all along and at the end:
          - money moves between accounts only inside transactions, so the total balance is the same in
            every read of the accounts table, in every read inside a transaction, and in every snapshot,
            checkpoint and backup loaded back; branch totals (another table) match their accounts there;
          - every index answers exactly what a full scan answers (same rows, same order), checked inside
            read transactions and on every file loaded back; explain shows which queries used an index;
          - no torn reads: a record's version, check and stamp fields, always written together, agree;
          - the number of accounts equals the inserts minus the deletes the writers saw succeed;
          - unique emails and all-or-nothing batches: a duplicate is refused and leaves nothing behind;
          - on disk, reopening the database (recovery) gives back exactly the final state.
        A watchdog fails the run when no operation completes for --stall seconds.

        Options:
          --threads-writers N   writer threads (default 4)
          --threads-readers N   reader threads (default 4)
          --duration SECONDS    how long each mode runs (default 5)
          --ops N               stop each writer after N operations (default: no cap)
          --mode MODE           memory, disk or both (default both)
          --sync POLICY         on-disk sync policy: always, batch or os (default batch)
          --accounts N          accounts at the start (default 200)
          --seed S              the run's seed, decimal or 0x-hex (default: random, printed)
          --stall SECONDS       watchdog limit without progress (default 10)
          --dir DIR             keep the database and saved files under DIR
          -v, --verbose         print background steps and each violation as it is found
          -h, --help            show this help

        Prints a summary per mode: operations done per kind, reads, invariant checks and violations.
        Exit status: 0 when no invariant was violated, 1 when one was (or the run stalled or failed),
        2 on a usage error.
        """

    /// What the command line asks for.
    enum Request {
        /// Run with these options.
        case run(StressOptions)
        /// Print the help text.
        case help
    }

    /// Parses `arguments` (without the program name).
    /// - Throws: ``UsageError`` for an unknown option or a bad value.
    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        var options = StressOptions()
        var cursor = ArgumentCursor(arguments)
        while let argument = cursor.next() {
            switch argument {
            case "-h", "--help": return .help
            case "-v", "--verbose": options.verbose = true
            case "--threads-writers": options.writers = try cursor.integer(minimum: 1, maximum: 256)
            case "--threads-readers": options.readers = try cursor.integer(minimum: 0, maximum: 256)
            case "--duration": options.duration = try cursor.number(greaterThan: 0)
            case "--ops": options.operationsPerWriter = try cursor.integer(minimum: 1)
            case "--mode":
                switch try cursor.choice(["memory", "disk", "both"]) {
                case "memory": options.modes = [.memory]
                case "disk": options.modes = [.disk]
                default: options.modes = [.memory, .disk]
                }
            case "--sync": options.sync = try cursor.choice(["always", "batch", "os"])
            case "--accounts": options.accounts = try cursor.integer(minimum: 2, maximum: 1_000_000)
            case "--seed": options.seed = try cursor.seed()
            case "--stall": options.stallSeconds = try cursor.number(greaterThan: 0)
            case "--dir": options.directory = try cursor.value()
            default: throw UsageError("unknown argument '\(argument)'")
            }
        }
        return .run(options)
    }
}
