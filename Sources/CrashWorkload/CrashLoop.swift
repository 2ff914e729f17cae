import DictDB
import Foundation

/// The kill -9 loop: a worker process runs the workload on one directory and is killed with SIGKILL at a
/// random moment, again and again; after every kill the directory is reopened here and must hold exactly
/// the workload's state after some `k` ops, `lastAcked + 1 <= k <= lastTried + 1`. The next worker goes
/// on from `k`, so every cycle also recovers what the previous crashes left.
///
/// ```swift
/// let stats = try CrashLoop.run(
///     workerPath: ".build/release/dictdb-crash-worker", directory: "/tmp/db", cycles: 100, seed: 1,
///     sync: "always", journal: "binary")
/// print(stats)   // 100 cycles, 4210 acks, 0 torn tails, ...
/// ```
///
/// Under `always`, `batch` and `os` alike every acknowledged op must survive: each policy `write()`s the
/// journal record before the call returns, and a process crash loses nothing the kernel holds.
public enum CrashLoop {
    /// What a loop did.
    public struct Statistics: Sendable, CustomStringConvertible {
        /// Cycles run (each one worker process killed or ended, then a reopen).
        public var cycles = 0
        /// `ack` lines received in all.
        public var acks = 0
        /// Workers that died by the loop's SIGKILL.
        public var kills = 0
        /// Workers that died at an armed crash point (exit 77) before the kill.
        public var crashPointExits = 0
        /// Workers killed before they acknowledged anything (often during open and recovery).
        public var killsBeforeFirstAck = 0
        /// Reopens whose report named a torn journal tail.
        public var tornTails = 0
        /// Reopens that recovered and checked out.
        public var recoveries = 0
        /// Journal records replayed by those reopens.
        public var replayedRecords = 0
        /// Cycles whose in-flight op turned out to be in the recovered state (`k == lastTried + 1`).
        public var inFlightOpsKept = 0
        /// Cycles whose in-flight op turned out to be absent (`k == lastTried`).
        public var inFlightOpsLost = 0
        /// The op count the directory holds at the end.
        public var finalCount = 0
        /// Index queries the invariant checks compared with scans.
        public var indexQueries = 0
        /// How long the loop took, in milliseconds.
        public var milliseconds = 0

        /// `cycles=... acks=... tornTails=... ...` on one line.
        public var description: String {
            "cycles=\(cycles) acks=\(acks) kills=\(kills) crashPointExits=\(crashPointExits) "
                + "killsBeforeFirstAck=\(killsBeforeFirstAck) "
                + "tornTails=\(tornTails) recoveries=\(recoveries) replayed=\(replayedRecords) "
                + "inFlightKept=\(inFlightOpsKept) inFlightLost=\(inFlightOpsLost) ops=\(finalCount) "
                + "indexQueries=\(indexQueries) ms=\(milliseconds)"
        }
    }

    /// The status a worker exits with when it dies at an armed crash point (`CrashPoint.exitStatus`).
    public static let crashPointExitStatus: Int32 = 77

    /// The options a worker and the loop open the directory with.
    public static func openOptions(sync: String, journal: String, checkpointBytes: Int64 = 32 << 10) -> OpenOptions {
        var options = OpenOptions()
        options.syncPolicy = sync
        options.journalFormat = journal
        options.checkpointMinimumBytes = checkpointBytes
        return options
    }

    /// The arguments of a worker that runs `count` ops from `start`.
    public static func workerArguments(
        directory: String, seed: UInt64, start: Int, count: Int, sync: String, journal: String
    ) -> [String] {
        [
            "run", "--dir", directory, "--seed", String(seed), "--start", String(start), "--count", String(count),
            "--sync", sync, "--journal", journal,
        ]
    }

    /// Runs `cycles` kill-and-recover cycles on `directory` (created if missing; an existing database
    /// there must hold a prefix of the same seed's workload, or the first check fails).
    ///
    /// Each cycle draws its kill moment from `(seed, cycle)`: 0-150 ms after the start, or after 1-150
    /// acknowledged ops. After the reopen, most cycles simply let the database go (as a crash would);
    /// some close it properly (a checkpoint), so recovery starts from both kinds of directory.
    /// - Parameters:
    ///   - crashPoints: named crash points (see `CrashPoint.all`); when given, about a third of the cycles
    ///     also arm one of them at its 1st to 8th visit (`DICTDB_CRASH_AT`), so the worker may die there
    ///     (exit 77) before the kill comes. A crash in the middle of a record leaves a torn tail.
    ///   - log: receives one line per cycle.
    /// - Throws: ``PrefixViolation`` for a lost acknowledged op, a half-applied op, a failed reopen or a
    ///   broken invariant; ``WorkerProcess/LaunchError`` when the worker cannot start.
    public static func run(
        workerPath: String, directory: String, cycles: Int, seed: UInt64, sync: String, journal: String,
        crashPoints: [String] = [], log: (String) -> Void = { _ in }
    ) throws -> Statistics {
        let started = ContinuousClock.now
        let options = openOptions(sync: sync, journal: journal)
        let model = WorkloadModel(workload: Workload(seed: seed))
        var statistics = Statistics()
        var count = 0
        for cycle in 0..<cycles {
            var random = WorkloadRandom(seed: seed, stream: 0x10_0000 + UInt64(cycle))
            let plan: WorkerProcess.KillPlan =
                random.chance(40)
                ? .afterDelay(milliseconds: random.int(in: 0...150)) : .afterAcks(random.int(in: 1...150))
            let armed =
                !crashPoints.isEmpty && random.chance(35)
                ? "\(random.pick(crashPoints)):\(random.int(in: 1...8))" : nil
            let start = count
            let result = try WorkerProcess.run(
                executable: workerPath,
                arguments: workerArguments(
                    directory: directory, seed: seed, start: start, count: 1_000_000, sync: sync, journal: journal),
                environment: armed.map { ["DICTDB_CRASH_AT": $0] } ?? [:], kill: plan)
            let range = result.allowedCounts(start: start)
            let ending = armed.map { "armed \($0), killed \(plan)" } ?? "killed \(plan)"
            let context = "cycle \(cycle) (\(sync)/\(journal), worker from op \(start) \(ending))"
            try checkWorker(
                result, start: start, seed: seed, context: context, range: range,
                allowedExits: armed == nil ? [] : [crashPointExitStatus])
            statistics.cycles += 1
            statistics.acks += result.acks
            // A worker can reach its crash point while the SIGKILL is on its way: count how it really ended.
            let diedByKill = result.killed && result.termination == .signaled(SIGKILL)
            if result.termination == .exited(crashPointExitStatus) { statistics.crashPointExits += 1 }
            if diedByKill { statistics.kills += 1 }
            if diedByKill, result.acks == 0 { statistics.killsBeforeFirstAck += 1 }

            let found = try PrefixCheck.recover(
                at: directory, options: options, model: model, range: range, context: context)
            count = found.count
            let report = found.database.openReport
            statistics.recoveries += 1
            statistics.indexQueries += found.invariants.indexQueries
            statistics.replayedRecords += report?.replayedRecords ?? 0
            if report?.tornTail != nil { statistics.tornTails += 1 }
            if let lastTried = result.lastTried, lastTried != result.lastAcked {
                if count == lastTried + 1 { statistics.inFlightOpsKept += 1 } else { statistics.inFlightOpsLost += 1 }
            }
            let torn = report?.tornTail.map { "\($0.bytes) B at \($0.offset)" } ?? "none"
            let end = diedByKill ? "kill \(plan)" : "\(armed ?? "?") \(result.termination)"
            log(
                "cycle \(cycle): from op \(start), \(end): \(result.acks) acks, last try "
                    + "\(result.lastTried.map(String.init) ?? "-") -> recovered k=\(count) in \(range) "
                    + "(replayed \(report?.replayedRecords ?? 0), torn tail \(torn), \(result.milliseconds) ms)")
            if random.chance(20) {
                do {
                    try found.database.close()
                } catch {
                    throw PrefixViolation(
                        seed: seed, context: context, range: count...count,
                        message: "close after recovery failed: \(error)",
                        diff: [])
                }
            }
        }
        statistics.finalCount = count
        statistics.milliseconds = Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded())
        return statistics
    }

    /// Fails unless the worker was killed (or crashed at an armed point) and spoke the protocol.
    static func checkWorker(
        _ result: WorkerProcess.Result, start: Int, seed: UInt64, context: String, range: ClosedRange<Int>,
        allowedExits: Set<Int32> = []
    ) throws(PrefixViolation) {
        func violation(_ message: String) -> PrefixViolation {
            PrefixViolation(
                seed: seed, context: context, range: range, message: message,
                diff: result.standardError.isEmpty
                    ? [] : ["worker stderr:"] + result.standardError.split(separator: "\n").map(String.init))
        }
        if result.timedOut { throw violation("the worker ran past its time limit") }
        if !result.protocolErrors.isEmpty {
            throw violation("the worker printed unexpected lines: \(result.protocolErrors.prefix(5))")
        }
        if let first = result.firstTried, first != start {
            throw violation("the worker started at op \(first), not \(start)")
        }
        switch result.termination {
        case .signaled(SIGKILL) where result.killed:
            return
        case .exited(let status) where allowedExits.contains(status):
            return
        default:
            throw violation("the worker ended with \(result.termination) (killed: \(result.killed))")
        }
    }
}
