import Foundation

/// W7's recovery row (informational): how long opening a database takes when its journal holds every
/// record, as after a crash.
///
/// DictDB (``DurableDictDB/timeRecovery(of:in:)``): N records inserted one call each under sync policy `os`
/// with checkpoints disabled, `commit()`, the database dropped without `close()`; timed: `Database.open`,
/// with `openReport.duration` beside it. SQLite, for reference (``DurableSQLite/timeRecovery(of:in:)``): a
/// crash image of a WAL database whose N rows are in the WAL only; timed: opening it and `COUNT(*)`. Both
/// read files the page cache still holds. Checked: N records after opening, and DictDB replayed at least N
/// journal records.
struct RecoveryExperiment: Experiment {
    let id = "W7"

    func title(for workload: Workload) -> String {
        "recovery of a \(workload.records.count)-record journal"
    }

    func measure(lineup: Lineup, workload: Workload, runner: ScenarioRunner) throws(BenchError) -> [ScenarioResult] {
        let records = workload.records
        let n = records.count
        let folder = try runner.makeScratchFolder("w7-recovery", workload: id)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        lineup.release(except: nil)

        let sides: [(name: String, recover: ([EmployeeRow], String) throws -> RecoveryOutcome)] = [
            ("DictDB os", DurableDictDB.timeRecovery), ("SQLite WAL", DurableSQLite.timeRecovery),
        ]
        var outcomes = Array(repeating: [RecoveryOutcome](), count: sides.count)
        var wrong = Array(repeating: [String](), count: sides.count)
        for pass in 1...max(1, runner.iterations) {
            for (i, side) in sides.enumerated() {
                try runner.attempt(side.name, id) {
                    let directory = "\(folder)/\(i)-\(pass)"
                    defer { try? FileManager.default.removeItem(atPath: directory) }
                    let outcome = try side.recover(records, directory)
                    outcomes[i].append(outcome)
                    if outcome.count != n || (outcome.replayed.map { $0 < n } ?? false) {
                        wrong[i].append(
                            "pass \(pass): W7 recovery: \(side.name) holds \(outcome.count) records"
                                + (outcome.replayed.map { " after replaying \($0)" } ?? "") + ", expected \(n)")
                    }
                    runner.report("  W7 recovery pass \(pass) \(side.name): \(Self.describe(outcome))")
                }
            }
        }
        let measurements = sides.indices.map { i in
            let seconds = outcomes[i].map(\.seconds)
            var extras = ["logBytes": Double(outcomes[i].first?.logBytes ?? 0)]
            let reported = outcomes[i].compactMap(\.reportedSeconds)
            if !reported.isEmpty { extras["openReportSeconds"] = reported.median }
            if let replayed = outcomes[i].first?.replayed { extras["replayedRecords"] = Double(replayed) }
            return ContenderMeasurement(
                contender: sides[i].name, seconds: seconds, samples: seconds, value: seconds.median,
                wrongAnswers: wrong[i], extras: extras)
        }
        let reported = outcomes[0].compactMap(\.reportedSeconds)
        var title = "recovery of a \(n)-record journal (SQLite: open an un-checkpointed WAL, COUNT(*))"
        if !reported.isEmpty { title += String(format: "; openReport.duration %.3f s", reported.median) }
        let details =
            "W7 recovery: DictDB inserted \(n) records under `os` with checkpointMinimumBytes = Int64.max, "
            + "commit(), dropped the database without close(), then timed Database.open: "
            + outcomes[0].map(Self.describe).joined(separator: "; ") + ". SQLite: \(n) rows in one transaction, "
            + "wal_autocheckpoint = 0, db and WAL copied while open, then timed opening the copy and COUNT(*): "
            + outcomes[1].map(Self.describe).joined(separator: "; ") + "."
        return [
            ScenarioResult(
                id: id, title: title, figure: .seconds, goal: nil, operations: n, measurements: measurements,
                details: [details])
        ]
    }

    /// `0.412 s (openReport.duration 0.398 s), 100001 records replayed from 9876543 bytes`.
    private static func describe(_ outcome: RecoveryOutcome) -> String {
        var text = String(format: "%.3f s", outcome.seconds)
        if let reported = outcome.reportedSeconds { text += String(format: " (openReport.duration %.3f s)", reported) }
        if let replayed = outcome.replayed { text += ", \(replayed) records replayed" }
        return text + " from \(outcome.logBytes) bytes"
    }
}
