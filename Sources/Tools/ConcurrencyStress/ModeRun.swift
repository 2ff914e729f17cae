import DictDB
import DictDBToolSupport

#if canImport(Glibc)
import Glibc
#endif

/// One timed run of the stress in one mode (in memory or on disk), with its final checks.
struct ModeRun {
    /// What a mode's run did and found.
    struct Outcome {
        var mode: StressOptions.Mode
        var seconds: Double
        var counts: StressLedger.Counts
        var violations: [String]
        var violationCount: Int
        var finalAccounts: Int
    }

    let options: StressOptions
    let mode: StressOptions.Mode
    let seed: UInt64
    let root: ScratchDirectory

    /// Runs the threads for the options' duration, stops them, and checks the final state (and, on disk,
    /// the state after reopening).
    /// - Throws: when the database cannot be set up; a violation is an outcome, not an error.
    func run() throws -> Outcome {
        let ledger = StressLedger(verbose: options.verbose)
        let directory = try root.subdirectory(mode.rawValue)
        let databasePath = directory.file("db")
        var openOptions = OpenOptions()
        openOptions.syncPolicy = options.sync
        openOptions.checkpointMinimumBytes = 256 << 10
        let database = mode == .disk ? try Database.open(at: databasePath, options: openOptions) : Database()
        var random = SeededGenerator(seed: seed, stream: mode == .disk ? 1000 : 0)
        let total = try Bank.populate(database, count: options.accounts, random: &random)
        ledger.noteKey(.int(Int64(options.accounts)))
        let check = ConsistencyCheck(total: total, initialAccounts: options.accounts)
        let stopwatch = Stopwatch()

        let threads = ThreadGroup()
        let limit = options.operationsPerWriter
        for number in 0..<options.writers {
            let stream = SeededGenerator(seed: seed, stream: UInt64(100 + number))
            let accounts = options.accounts
            threads.start("writer") {
                var writer = Writer(
                    database: database, ledger: ledger, number: number, initialAccounts: accounts, random: stream)
                writer.run(limit: limit)
            }
        }
        for number in 0..<options.readers {
            let stream = SeededGenerator(seed: seed, stream: UInt64(200 + number))
            threads.start("reader") {
                var reader = Reader(database: database, ledger: ledger, check: check, number: number, random: stream)
                reader.run()
            }
        }
        let background = Background(
            database: database, ledger: ledger, check: check, directory: directory, verbose: options.verbose)
        let (saverStream, backupStream, checkpointStream) = (
            SeededGenerator(seed: seed, stream: 300), SeededGenerator(seed: seed, stream: 301),
            SeededGenerator(seed: seed, stream: 302)
        )
        threads.start("saver") { background.saveLoop(random: saverStream) }
        threads.start("backup") { background.backupLoop(random: backupStream) }
        if mode == .disk {
            threads.start("checkpointer") { background.checkpointLoop(random: checkpointStream) }
        }

        let watchdog = Watchdog(ledger: ledger, limitSeconds: options.stallSeconds) { role in
            switch role {
            case .writer: return !ledger.shouldStop && threads.count("writer") > 0
            case .reader: return !ledger.shouldStop && threads.count("reader") > 0
            case .background: return !ledger.shouldStop
            case .final: return ledger.shouldStop
            }
        } describe: { [modeName = mode.rawValue, root] in
            "\(modeName) mode; writers \(threads.count("writer")), readers \(threads.count("reader")), "
                + "saver \(threads.count("saver")), backup \(threads.count("backup")), "
                + "checkpointer \(threads.count("checkpointer")) running; files kept in \(root.path)"
        }
        watchdog.start()
        defer { watchdog.finish() }
        while stopwatch.seconds < options.duration && threads.count("writer") > 0 {
            pause(milliseconds: 50)
        }
        ledger.stop()
        let stuck = threads.waitAll(timeout: .seconds(options.stallSeconds))
        if !stuck.isEmpty {
            ledger.violation("threads did not stop within \(options.stallSeconds) s: \(stuck.joined(separator: ", "))")
            return outcome(ledger, stopwatch: stopwatch, finalAccounts: -1)
        }
        let seconds = stopwatch.seconds

        ledger.tick(.final)
        var counts = StressLedger.Counts()
        let expectedAccounts = options.accounts + ledger.accountDelta.load(ordering: .relaxed)
        var finalRandom = SeededGenerator(seed: seed, stream: 400)
        for problem in check.check(
            database: database, probes: 200, random: &finalRandom, counts: &counts, place: "final state")
        {
            ledger.violation(problem)
        }
        let finalAccounts = (try? database.table(Bank.accounts).count) ?? -1
        counts.add(.check)
        if finalAccounts != expectedAccounts {
            ledger.violation(
                "final state: \(finalAccounts) accounts, but the writers saw \(options.accounts) + inserts - deletes "
                    + "= \(expectedAccounts)")
        }
        ledger.tick(.final)
        if mode == .disk {
            reopen(database, at: databasePath, options: openOptions, check: check, ledger: ledger, counts: &counts)
        }
        ledger.merge(counts)
        var result = outcome(ledger, stopwatch: stopwatch, finalAccounts: finalAccounts)
        result.seconds = seconds
        return result
    }

    /// Closes the on-disk database, reopens it (recovery) and checks it holds exactly the final state.
    private func reopen(
        _ database: Database, at path: String, options openOptions: OpenOptions, check: ConsistencyCheck,
        ledger: StressLedger, counts: inout StressLedger.Counts
    ) {
        do {
            let accounts = try database.table(Bank.accounts).allRecords()
            let branches = try database.table(Bank.branches).allRecords()
            try database.close()
            ledger.tick(.final)
            let reopened = try Database.open(at: path, options: openOptions)
            ledger.tick(.final)
            defer { try? reopened.close() }
            counts.add(.check)
            for (name, before) in [(Bank.accounts, accounts), (Bank.branches, branches)] {
                let after = try reopened.table(name).allRecords()
                if after.count != before.count {
                    ledger.violation("reopened: \(name) has \(after.count) records, \(before.count) before closing")
                    continue
                }
                for (old, new) in zip(before, after) {
                    if let difference = StrictComparison.difference(old, new) {
                        ledger.violation("reopened: \(name) differs from before closing at \(difference)")
                        break
                    }
                }
            }
            var random = SeededGenerator(seed: seed, stream: 500)
            for problem in check.check(
                database: reopened, probes: 100, random: &random, counts: &counts, place: "reopened")
            {
                ledger.violation(problem)
            }
        } catch {
            ledger.violation("reopening the database failed: \(error)")
        }
    }

    /// The outcome so far: the ledger's counts and violations.
    private func outcome(_ ledger: StressLedger, stopwatch: Stopwatch, finalAccounts: Int) -> Outcome {
        let (counts, violations, violationCount) = ledger.result
        return Outcome(
            mode: mode, seconds: stopwatch.seconds, counts: counts, violations: violations,
            violationCount: violationCount, finalAccounts: finalAccounts)
    }
}
