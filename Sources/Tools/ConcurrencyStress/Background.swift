import DictDB
import DictDBToolSupport
import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// The background threads of a run: one saves snapshots, one checkpoints (on disk), one takes backups. Each
/// loads every file it wrote back and checks it as a consistent cut of the bank.
struct Background {
    let database: Database
    let ledger: StressLedger
    let check: ConsistencyCheck
    /// Where snapshots and backups go.
    let directory: ScratchDirectory
    let verbose: Bool

    /// Codecs the saver cycles through.
    static let saveCodecs = ["json", "msgpack", "json+gzip", "msgpack+lz4", "json+lz4", "msgpack+gzip"]

    /// Saves a snapshot with the next codec, loads it back and checks it, until the run stops.
    func saveLoop(random: SeededGenerator) {
        var random = random
        var counts = StressLedger.Counts()
        var round = 0
        while !ledger.shouldStop {
            let codec = Self.saveCodecs[round % Self.saveCodecs.count]
            let path = directory.file("save-\(round % 2).dictdb")
            round += 1
            do {
                let info = try database.save(to: path, codec: codec)
                counts.add(.save)
                say("saved \(info.records) records with \(codec) (\(NumberText.bytes(info.bytes)))")
                let problems = check.checkFile(path, probes: 3, random: &random, counts: &counts) ?? []
                for problem in problems { ledger.violation("snapshot \(codec): \(problem)") }
            } catch {
                ledger.violation("save with \(codec) failed: \(error)")
            }
            ledger.tick(.background)
            pause(milliseconds: 20)
        }
        ledger.merge(counts)
    }

    /// Checkpoints the on-disk database, loads the snapshot it wrote and checks it, until the run stops.
    func checkpointLoop(random: SeededGenerator) {
        var random = random
        var counts = StressLedger.Counts()
        while !ledger.shouldStop {
            do {
                let info = try database.checkpoint()
                counts.add(.checkpoint)
                say("checkpoint \(FilePath.fileName(of: info.path)): \(info.records) records")
                if let problems = check.checkFile(info.path, probes: 2, random: &random, counts: &counts) {
                    for problem in problems { ledger.violation("checkpoint: \(problem)") }
                }
            } catch {
                ledger.violation("checkpoint failed: \(error)")
            }
            ledger.tick(.background)
            pause(milliseconds: 40)
        }
        ledger.merge(counts)
    }

    /// Takes backups with `BackupManager.backupNow`, loads each one written and checks it, until the run
    /// stops.
    func backupLoop(random: SeededGenerator) {
        var random = random
        var counts = StressLedger.Counts()
        var configuration = BackupConfiguration()
        configuration.codec = "msgpack+lz4"
        configuration.interval = nil
        configuration.minimumSpacing = .zero
        configuration.retention = RetentionPolicy(keepCount: 3)
        let manager = BackupManager(
            source: database, directory: directory.file("backups"), configuration: configuration)
        // Writes committed after the last backup returned: its cut was taken before them.
        var writesAtLastBackup: Int?
        while !ledger.shouldStop {
            let writesBefore = ledger.committedWrites.load(ordering: .acquiring)
            let result = Self.wait { await manager.backupNow() }
            switch result {
            case .succeeded(let success):
                writesAtLastBackup = ledger.committedWrites.load(ordering: .acquiring)
                counts.add(.backup)
                say("backup \(success.name): \(success.records) records, sequence \(success.sequence)")
                if let problems = check.checkFile(success.path, probes: 2, random: &random, counts: &counts) {
                    for problem in problems { ledger.violation("backup: \(problem)") }
                }
            case .skipped(let skip):
                counts.add(.backupSkipped)
                if let writesAtLastBackup, writesBefore > writesAtLastBackup {
                    ledger.violation(
                        "backup skipped as unchanged (marker \(skip.marker), last backup \(skip.lastBackup)) although "
                            + "\(writesBefore - writesAtLastBackup) writes committed after the last backup returned")
                }
            case .failed(let failure):
                ledger.violation("backup failed: \(failure.error)")
            }
            ledger.tick(.background)
            pause(milliseconds: 20)
        }
        ledger.merge(counts)
    }

    /// Runs an async call from a plain thread and waits for its result.
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let box = LockedValue<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = await body()
            box.withLock { $0 = value }
            done.signal()
        }
        while true {
            done.wait()
            if let value = box.withLock({ $0 }) { return value }
        }
    }

    /// Prints a line about a background step with `-v`.
    private func say(_ line: String) {
        if verbose { ToolConsole.printError("  \(line)") }
    }
}

/// Sleeps the calling thread.
func pause(milliseconds: Int) {
    usleep(UInt32(milliseconds * 1000))
}
