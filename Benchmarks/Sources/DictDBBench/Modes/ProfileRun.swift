import ArgumentParser
import Foundation

/// A hot query that `dictdb-bench --profile OP` runs on its own, for a profiler (`scripts/profile-query`).
enum ProfileOperation: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// W2: point lookups by primary key, decoded.
    case lookup
    /// W1: inserts into an empty table with its indexes.
    case insert
    /// W5: salary updates by key.
    case update
    /// W5: deletes by key.
    case delete
    /// W3: `dept == x` selects, every row decoded.
    case selectDept = "select-dept"
    /// W4: `x <= salary <= x + width` selects, every row decoded.
    case selectRange = "select-range"
    /// W6: loading a JSON snapshot of the whole table (the count is the number of loads).
    case loadJSON = "load-json"
    /// W6: loading a MessagePack snapshot of the whole table (the count is the number of loads).
    case loadMessagePack = "load-msgpack"

    /// Operations the workload provides for this kind.
    func available(in workload: Workload) -> Int {
        switch self {
        case .lookup: return workload.lookups.count
        case .insert: return workload.records.count
        case .update: return workload.updates.count
        case .delete: return workload.deletes.count
        case .selectDept: return workload.deptQueries.count
        case .selectRange: return workload.salaryLows.count
        case .loadJSON, .loadMessagePack: return 20
        }
    }
}

/// `dictdb-bench --profile OP`: sets one contender up (untimed: loading the workload, the table and its
/// indexes), then runs `count` operations of one kind inside ``measured(_:)``, the only function a
/// profiler needs to collect (`valgrind --tool=callgrind --toggle-collect='*ProfileRun*measured*'`).
enum ProfileRun {
    /// What the measured part did.
    struct Outcome: Sendable {
        /// Operations run.
        var operations: Int
        /// The operations' answer (records found, rows returned...), so that nothing is optimized away.
        var answer: Int
        /// Seconds the measured part took (slowed down by any profiler).
        var seconds: Double
    }

    /// Sets `contender` up for `operation` and runs `count` operations (at most what the workload holds).
    static func run(
        _ operation: ProfileOperation, on contender: any Contender, workload: Workload, count: Int
    ) throws -> Outcome {
        let n = min(count, operation.available(in: workload))
        let timed: (result: Int, seconds: Double)
        switch operation {
        case .insert:
            try contender.reset()
            let records = Array(workload.records.prefix(n))
            timed = try Stopwatch.time {
                try measured {
                    try contender.insertAll(records)
                    return records.count
                }
            }
        case .lookup:
            try contender.ensureLoaded(workload)
            let ids = Array(workload.lookups.prefix(n))
            timed = try Stopwatch.time { try measured { try contender.lookUp(ids) } }
        case .update:
            try contender.ensureLoaded(workload)
            let updates = Array(workload.updates.prefix(n))
            timed = try Stopwatch.time { try measured { try contender.updateSalaries(updates) } }
        case .delete:
            try contender.ensureLoaded(workload)
            let ids = Array(workload.deletes.prefix(n))
            timed = try Stopwatch.time { try measured { try contender.delete(ids) } }
        case .selectDept:
            try contender.ensureLoaded(workload)
            let depts = Array(workload.deptQueries.prefix(n))
            timed = try Stopwatch.time { try measured { try contender.selectByDept(depts) } }
        case .selectRange:
            try contender.ensureLoaded(workload)
            let lows = Array(workload.salaryLows.prefix(n))
            timed = try Stopwatch.time {
                try measured { try contender.selectBySalary(lows: lows, width: workload.rangeWidth) }
            }
        case .loadJSON, .loadMessagePack:
            try contender.ensureLoaded(workload)
            let format = SnapshotFormat.codec(operation == .loadJSON ? "json" : "msgpack")
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("dictdb-profile-\(ProcessInfo.processInfo.processIdentifier).snapshot").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            _ = try contender.saveSnapshot(format, to: path)
            timed = try Stopwatch.time {
                try measured {
                    var loaded = 0
                    for _ in 0..<n {
                        _ = try contender.loadSnapshot(format, from: path)
                        loaded += 1
                    }
                    return loaded
                }
            }
        }
        return Outcome(operations: n, answer: timed.result, seconds: timed.seconds)
    }

    /// The measured part: a profiler collects this function and what it calls. Never inlined, so that its
    /// symbol exists.
    @inline(never)
    static func measured(_ body: () throws -> Int) rethrows -> Int {
        try body()
    }
}
