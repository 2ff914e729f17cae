import Foundation

/// W7: 10,000 durable single-record inserts, each acknowledged before the next, and the raw fdatasync
/// floor of the same disk in the same run.
///
/// DictDB on disk (`Database.open(at:options:)`) with sync policy `always`, `batch` and `os`, and `always`
/// with 8 writer threads inserting 10,000 / 8 records each into the same table (group commit); SQLite
/// (GRDB fast path) on a WAL file database with `synchronous` FULL, NORMAL and OFF, each insert its own
/// transaction, and FULL with the same 8 threads. The records are the workload's first 10,000; neither side
/// has secondary indexes. Every contender gets a new folder per pass, deleted afterwards.
///
/// The floor (``FsyncFloor``): 2,000 x (append 100 bytes + `fdatasync`) on a file in the same folder, at
/// the start of every pass. Goals (BENCHMARKS.md): `always` with one writer >= 0.9x the floor's syncs/s,
/// with 8 writers >= 4x it; `batch` >= SQLite NORMAL, `os` >= SQLite OFF. The `always` rows also show the
/// ratio to SQLite FULL. Checked: every database holds the 10,000 records, and its sync setting is the one
/// claimed.
struct DurableInsertExperiment: Experiment {
    let id = "W7"
    /// Inserts per pass (or the workload's size, when smaller).
    static let inserts = 10_000
    /// Threads of the concurrent rows.
    static let writers = 8
    /// Appends + syncs of the floor, unless the runner asks for fewer (``ScenarioRunner/fsyncFloorOperations``,
    /// which `--smoke` lowers).
    static let floorOperations = 2000
    /// Bytes per floor append.
    static let floorBytes = 100

    /// One row of the table: DictDB in one setting against its SQLite peer.
    struct Variant: Sendable {
        /// The row's name after `W7`, such as `always x8 writers`.
        var key: String
        var subject: any DurableContender
        var peer: any DurableContender
        /// Threads inserting at once (1: a single writer, the whole loop in one call of the session).
        var writers: Int
        /// The minimum of DictDB over the floor (`always`), or `nil` for a goal against the peer.
        var floorMultiple: Double?
    }

    static let variants: [Variant] = [
        Variant(
            key: "always", subject: DurableDictDB(syncPolicy: "always"), peer: DurableSQLite(synchronous: .full),
            writers: 1, floorMultiple: 0.9),
        Variant(
            key: "always x\(writers) writers", subject: DurableDictDB(syncPolicy: "always"),
            peer: DurableSQLite(synchronous: .full), writers: writers, floorMultiple: 4),
        Variant(
            key: "batch", subject: DurableDictDB(syncPolicy: "batch"), peer: DurableSQLite(synchronous: .normal),
            writers: 1, floorMultiple: nil),
        Variant(
            key: "os", subject: DurableDictDB(syncPolicy: "os"), peer: DurableSQLite(synchronous: .off), writers: 1,
            floorMultiple: nil),
    ]

    func title(for workload: Workload) -> String {
        "\(Self.count(workload)) durable inserts, each acknowledged before the next "
            + "(always, always x\(Self.writers) writers, batch, os), and the fdatasync floor"
    }

    static func count(_ workload: Workload) -> Int { min(inserts, workload.records.count) }

    func measure(lineup: Lineup, workload: Workload, runner: ScenarioRunner) throws(BenchError) -> [ScenarioResult] {
        let records = workload.records.prefix(Self.count(workload))
        let folder = try runner.makeScratchFolder("w7", workload: id)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        lineup.release(except: nil)

        var floors: [FsyncFloor] = []
        var overwriteFloors: [FsyncFloor] = []
        var passes = Array(repeating: [Passes(), Passes()], count: Self.variants.count)
        for pass in 1...max(1, runner.iterations) {
            let floor = try runner.attempt("fdatasync floor", id) {
                try FsyncFloor.measure(
                    at: "\(folder)/floor-\(pass)", operations: runner.fsyncFloorOperations, bytes: Self.floorBytes)
            }
            floors.append(floor)
            runner.report("  W7 pass \(pass) fdatasync floor: \(Self.describe(floor))")
            let overwrite = try runner.attempt("fdatasync floor, preallocated", id) {
                try FsyncFloor.measure(
                    at: "\(folder)/overwrite-\(pass)", operations: runner.fsyncFloorOperations, bytes: Self.floorBytes,
                    preallocated: true)
            }
            overwriteFloors.append(overwrite)
            runner.report("  W7 pass \(pass) fdatasync, overwriting a preallocated file: \(Self.describe(overwrite))")
            for (v, variant) in Self.variants.enumerated() {
                for (s, contender) in [variant.subject, variant.peer].enumerated() {
                    try runner.attempt(contender.name, id) {
                        let directory = "\(folder)/\(pass)-\(v)-\(s)"
                        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
                        defer { try? FileManager.default.removeItem(atPath: directory) }
                        let outcome = try Self.run(contender, in: directory, records: records, writers: variant.writers)
                        passes[v][s].seconds.append(outcome.seconds)
                        passes[v][s].wrong += outcome.problems.map {
                            "pass \(pass): W7 \(variant.key): \(contender.name) \($0)"
                        }
                        runner.report(
                            "  W7 \(variant.key) pass \(pass) \(contender.name): "
                                + "\(Report.formatRate(Double(records.count) / outcome.seconds)) inserts/s")
                    }
                }
            }
        }
        return results(
            records: records.count, floors: floors, overwriteFloors: overwriteFloors, passes: passes, folder: folder,
            floorOperations: runner.fsyncFloorOperations)
    }

    /// One contender's pass in `directory`: open, the timed inserts, the checks, close.
    private static func run(
        _ contender: any DurableContender, in directory: String, records: ArraySlice<EmployeeRow>, writers: Int
    ) throws -> (seconds: Double, problems: [String]) {
        let session = try contender.open(in: directory)
        var problems: [String] = []
        let seconds: Double
        do {
            if let problem = try session.configurationProblem() { problems.append(problem) }
            if writers <= 1 {
                seconds = try Stopwatch.time { try session.insertEach(records, concurrently: false) }.seconds
            } else {
                let base = records.startIndex
                let ranges = ConcurrentRun.split(records.count, into: writers).map {
                    (base + $0.lowerBound)..<(base + $0.upperBound)
                }
                seconds = try ConcurrentRun.time(threads: writers) { index in
                    try session.insertEach(records[ranges[index]], concurrently: true)
                }
            }
            let count = try session.recordCount()
            if count != records.count { problems.append("holds \(count) records, expected \(records.count)") }
        } catch {
            try? session.close()
            throw error
        }
        try session.close()
        return (seconds, problems)
    }

    /// One contender's passes of one variant.
    private struct Passes {
        var seconds: [Double] = []
        var wrong: [String] = []

        func measurement(_ name: String, operations: Int) -> ContenderMeasurement {
            let n = Double(operations)
            return ContenderMeasurement(
                contender: name, seconds: seconds, samples: seconds.map { n / $0 },
                value: seconds.median > 0 ? n / seconds.median : 0, wrongAnswers: wrong)
        }
    }

    /// The variants' rows, then the floor's.
    private func results(
        records n: Int, floors: [FsyncFloor], overwriteFloors: [FsyncFloor], passes: [[Passes]], folder: String,
        floorOperations: Int
    ) -> [ScenarioResult] {
        let floorRate = floors.map(\.operationsPerSecond).median
        let pooled = floors.flatMap(\.latencies).sorted()
        var results: [ScenarioResult] = []
        var details = [
            "W7: each contender writes in a new folder per pass under \(folder) (\(DiskLocation.describe(folder))), "
                + "deleted afterwards; the first \(n) workload records; no secondary indexes on either side. "
                + "DictDB: "
                + Set(Self.variants.map(\.subject.setting)).sorted().joined(separator: "; ") + ". SQLite (GRDB fast "
                + "path, one prepared statement): "
                + Set(Self.variants.map(\.peer.setting)).sorted().joined(separator: "; ")
                + ". With \(Self.writers) writers each thread inserts \(n / Self.writers) records into the same "
                + "table; SQLite's threads share one DatabaseQueue, each insert taking it on its own.",
            "W7 fdatasync floor (appending, as the journal does) per pass: "
                + floors.map(Self.describe).joined(separator: "; "),
            "W7 for comparison, the same \(floorOperations) writes + fdatasync overwriting a zero-filled, "
                + "synced file in place (no size change, like a preallocated or recycled log such as SQLite's WAL), "
                + "per pass: " + overwriteFloors.map(Self.describe).joined(separator: "; "),
        ]
        for (v, variant) in Self.variants.enumerated() {
            let subject = passes[v][0].measurement(variant.subject.name, operations: n)
            let peer = passes[v][1].measurement(variant.peer.name, operations: n)
            let goal: Goal
            var title = "\(variant.key): \(n) durable inserts"
            title += variant.writers > 1 ? " from \(variant.writers) threads" : ", 1 writer"
            title += " (SQLite: WAL, synchronous \(Self.level(variant.peer)))"
            if let multiple = variant.floorMultiple {
                goal = .reference(atLeast: multiple, of: floorRate, named: "floor")
                if floorRate > 0 { title += String(format: "; %.2fx the floor", subject.value / floorRate) }
                let perPass = zip(subject.samples, floors).map {
                    String(format: "%.2fx", $0 / $1.operationsPerSecond)
                }
                details.append(
                    "W7 \(variant.key), DictDB over the floor of the same pass: \(perPass.joined(separator: " "))")
            } else {
                goal = Goal(minimum: 1)
            }
            results.append(
                ScenarioResult(
                    id: id, title: title, figure: .rate(operation: "inserts"), goal: goal, operations: n,
                    measurements: [subject, peer]))
        }
        let median = pooled.median
        let p99 = FsyncFloor.percentile(0.99, ofSorted: pooled)
        let floor = ContenderMeasurement(
            contender: "disk", seconds: floors.map(\.seconds), samples: floors.map(\.median), value: median,
            wrongAnswers: [], shown: String(format: "%.0f / %.0f", median, p99),
            extras: [
                "medianMicroseconds": median, "p99Microseconds": p99, "syncsPerSecond": floorRate,
                "overwriteInPlaceSyncsPerSecond": overwriteFloors.map(\.operationsPerSecond).median,
                "operationsPerPass": Double(floorOperations), "bytesPerAppend": Double(Self.floorBytes),
            ])
        results.append(
            ScenarioResult(
                id: id,
                title: "fdatasync floor: \(floorOperations) x (append \(Self.floorBytes) bytes + fdatasync), "
                    + "\(Report.formatRate(floorRate)) syncs/s",
                figure: .latency, goal: nil, operations: floorOperations, measurements: [floor],
                details: details))
        return results
    }

    /// `median 133 µs, p99 172 µs, 7,427 syncs/s`.
    private static func describe(_ floor: FsyncFloor) -> String {
        String(format: "median %.0f µs, p99 %.0f µs, ", floor.median, floor.p99)
            + "\(Report.formatRate(floor.operationsPerSecond)) syncs/s"
    }

    /// `FULL` for a SQLite contender.
    private static func level(_ contender: any DurableContender) -> String {
        (contender as? DurableSQLite)?.synchronous.rawValue ?? contender.name
    }
}
