import Foundation

/// W9: one writer and two readers on the same table at once, for a set time (5 s; `--w9-seconds`): reads/s
/// and writes/s; and, first, the same writer alone for the same time (its solo rate).
///
/// The writer sets the salary of one record per call, the key uniform over the N records and the new salary
/// from a seeded stream (``UpdatePlan``); each write is its own commit. Each reader looks up keys of the
/// workload's `lookups` list by primary key, one call per read (the second reader starts half-way down the
/// list), and decodes each record into an ``Employee`` as W2 does. DictDB: in memory, W1's indexes,
/// `update(key:set:)` and `get(_:)` (``ConcurrentDictDB``). SQLite: a `DatabasePool` (WAL) on a file
/// database in a new folder, the GRDB fast path (``ConcurrentSQLite``). Both tables hold the workload's N
/// records and the indexes on dept and salary, which every salary update maintains.
///
/// Goals (BENCHMARKS.md): DictDB's reads/s >= 3x SQLite's, while DictDB's writer keeps >= 0.5x its own solo
/// rate. Checked, every pass: every write and every read found its record; every record read has the
/// workload's fields (all but salary, through a checksum) and a salary in range; N records at the end;
/// every record written holds the last salary the writer gave it (replayed from the seed); and the salary
/// index follows: a whole-range query finds N records, and a sample of 200 records written are found under
/// their last salary.
struct ReadersAndWriterExperiment: Experiment {
    let id = "W9"
    /// Seconds of each timed phase (solo writer, then writer and readers) unless `--w9-seconds` says otherwise.
    static let defaultSeconds = 5.0
    /// Reader threads beside the writer.
    static let readers = 2
    /// Records written whose salary-index entry the check looks up.
    static let indexSample = 200
    /// Subject first, then its peer.
    static let contenders: [any ConcurrentContender] = [ConcurrentDictDB(), ConcurrentSQLite()]

    func title(for workload: Workload) -> String {
        "1 writer + \(Self.readers) readers on \(workload.records.count) records, and the writer alone"
    }

    func measure(lineup: Lineup, workload: Workload, runner: ScenarioRunner) throws(BenchError) -> [ScenarioResult] {
        let duration = Duration.seconds(runner.concurrentSeconds)
        let folder = try runner.makeScratchFolder("w9", workload: id)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        lineup.release(except: nil)

        var outcomes = Array(repeating: [PassOutcome](), count: Self.contenders.count)
        for pass in 1...max(1, runner.iterations) {
            for (s, contender) in Self.contenders.enumerated() {
                try runner.attempt(contender.name, id) {
                    let directory = "\(folder)/\(pass)-\(s)"
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
                    defer { try? FileManager.default.removeItem(atPath: directory) }
                    let outcome = try Self.run(
                        contender, in: directory, workload: workload, duration: duration, pass: pass)
                    outcomes[s].append(outcome)
                    runner.report("  W9 pass \(pass) \(contender.name): \(outcome.summary)")
                }
            }
        }
        return results(outcomes, workload: workload, seconds: runner.concurrentSeconds, folder: folder)
    }

    /// What one contender's pass measured and found.
    struct PassOutcome: Sendable {
        var solo: WriterTally
        var writer: WriterTally
        var readers: [ReaderTally]
        /// Wrong answers, without the pass number.
        var problems: [String]

        /// All readers' reads per second together.
        var readRate: Double { readers.reduce(0) { $0 + $1.rate } }

        /// `solo 123,456 writes/s; with readers 98,765 writes/s (0.80x) and 1,234,567 reads/s`.
        var summary: String {
            let keep = solo.rate > 0 ? String(format: " (%.2fx)", writer.rate / solo.rate) : ""
            return "solo \(Report.formatRate(solo.rate)) writes/s; with readers \(Report.formatRate(writer.rate)) "
                + "writes/s\(keep) and \(Report.formatRate(readRate)) reads/s"
        }
    }

    /// One contender's pass in `directory`: load (untimed), the writer alone, the writer and the readers
    /// together, the checks, close.
    private static func run(
        _ contender: any ConcurrentContender, in directory: String, workload: Workload, duration: Duration, pass: Int
    ) throws -> PassOutcome {
        let session = try contender.open(in: directory, loading: workload.records)
        do {
            let outcome = try phases(of: session, workload: workload, duration: duration, pass: pass)
            try session.close()
            return outcome
        } catch {
            try? session.close()
            throw error
        }
    }

    /// The result of one thread of the mixed phase.
    private enum Tally: Sendable {
        case writer(WriterTally)
        case reader(ReaderTally)
    }

    private static func phases(
        of session: any ConcurrentSession, workload: Workload, duration: Duration, pass: Int
    ) throws -> PassOutcome {
        var problems: [String] = []
        if let problem = try session.configurationProblem() { problems.append(problem) }
        // The same seeds for both contenders in a pass, other seeds in the next pass.
        let soloSeed = UInt64(2 * pass + 1)
        let mixedSeed = UInt64(2 * pass + 2)
        let keys = workload.lookups
        let readers = Self.readers
        let solo = try ConcurrentRun.collect(threads: 1) { _ in try session.write(seed: soloSeed, for: duration) }
        let mixed = try ConcurrentRun.collect(threads: 1 + readers) { index -> Tally in
            if index == 0 { return .writer(try session.write(seed: mixedSeed, for: duration)) }
            return .reader(try session.read(keys, from: start(ofReader: index - 1, keys: keys.count), for: duration))
        }
        var writer = WriterTally(writes: 0, missed: 0, seconds: 0)
        var readerTallies: [ReaderTally] = []
        for tally in mixed.results {
            switch tally {
            case .writer(let tally): writer = tally
            case .reader(let tally): readerTallies.append(tally)
            }
        }
        let soloTally = solo.results.first ?? WriterTally(writes: 0, missed: 0, seconds: 0)
        problems += check(
            session, workload: workload, writes: [(soloSeed, soloTally), (mixedSeed, writer)], readers: readerTallies)
        return PassOutcome(solo: soloTally, writer: writer, readers: readerTallies, problems: problems)
    }

    /// Where reader `reader` starts in the key list.
    private static func start(ofReader reader: Int, keys: Int) -> Int {
        keys == 0 ? 0 : reader * keys / readers
    }

    /// Untimed: the answers of one pass. Returns the wrong ones.
    private static func check(
        _ session: any ConcurrentSession, workload: Workload, writes: [(seed: UInt64, tally: WriterTally)],
        readers: [ReaderTally]
    ) -> [String] {
        var problems: [String] = []
        let n = workload.records.count
        let missed = writes.reduce(0) { $0 + $1.tally.missed }
        if missed > 0 { problems.append("\(missed) updates found no record") }
        let keys = workload.lookups
        for (r, tally) in readers.enumerated() {
            if tally.misses > 0 {
                problems.append("reader \(r + 1): \(tally.misses) of \(tally.reads) reads found nothing")
            }
            if tally.badSalaries > 0 {
                problems.append("reader \(r + 1): \(tally.badSalaries) records read with a salary out of range")
            }
            var expected = 0
            var position = keys.isEmpty ? 0 : start(ofReader: r, keys: keys.count)
            for _ in 0..<(keys.isEmpty ? 0 : tally.reads) {
                let id = keys[position]
                position = position + 1 == keys.count ? 0 : position + 1
                let row = workload.records[id - 1]
                expected &+= row.checksum(id: id) &- Int(row.salary)
            }
            if tally.misses == 0, tally.fixedChecksum != expected {
                problems.append(
                    "reader \(r + 1): the records read have checksum \(tally.fixedChecksum), expected \(expected)")
            }
        }
        // Every record written must hold the last salary the writer gave it.
        var last: [Int: Double] = [:]
        for write in writes {
            var plan = UpdatePlan(seed: write.seed, records: n)
            for _ in 0..<write.tally.writes {
                let (id, salary) = plan.next()
                last[id] = salary
            }
        }
        do {
            let count = try session.recordCount()
            if count != n { problems.append("holds \(count) records at the end, expected \(n)") }
            let ids = last.keys.sorted()
            let stored = try session.salaries(of: ids)
            let wrong = zip(ids, stored).filter { id, salary in salary != last[id] }
            if let first = wrong.first {
                problems.append(
                    "\(wrong.count) of \(ids.count) records written do not hold their last salary (key \(first.0): "
                        + "\(first.1.map { String($0) } ?? "missing"), expected \(last[first.0].map { String($0) } ?? "?"))"
                )
            }
            // The salary index followed every write: a whole-range query finds every record, and each of
            // a sample of the records written is found under its last salary.
            let range = UpdatePlan.salaryRange
            let indexed = try session.count(salaryFrom: range.lowerBound, to: range.upperBound)
            if indexed != n { problems.append("the salary index finds \(indexed) records in range, expected \(n)") }
            let step = max(1, ids.count / indexSample)
            var stale = 0
            for id in stride(from: 0, to: ids.count, by: step).map({ ids[$0] }) {
                guard let salary = last[id] else { continue }
                if try !session.keys(withSalary: salary).contains(id) { stale += 1 }
            }
            if stale > 0 {
                problems.append("\(stale) records written are missing from the salary index at their salary")
            }
        } catch {
            problems.append("the final check failed: \(error)")
        }
        return problems
    }

    /// Three row groups: reads beside the writer, writes beside the readers, the writer alone.
    private func results(
        _ outcomes: [[PassOutcome]], workload: Workload, seconds: Double, folder: String
    )
        -> [ScenarioResult]
    {
        let names = Self.contenders.map(\.name)
        let span = String(format: "%g s", seconds)
        func measurement(
            _ s: Int, _ figure: (PassOutcome) -> Double, _ secondsOf: (PassOutcome) -> Double
        )
            -> ContenderMeasurement
        {
            let samples = outcomes[s].map(figure)
            let wrong = outcomes[s].enumerated().flatMap { pass, outcome in
                outcome.problems.map { "pass \(pass + 1): W9: \(names[s]) \($0)" }
            }
            return ContenderMeasurement(
                contender: names[s], seconds: outcomes[s].map(secondsOf), samples: samples, value: samples.median,
                wrongAnswers: wrong)
        }
        func withoutWrongAnswers(_ m: ContenderMeasurement) -> ContenderMeasurement {
            var m = m
            m.wrongAnswers = []  // reported once, on the reads row and the writes row
            return m
        }
        let reads = names.indices.map { s in
            measurement(s, \.readRate) { $0.readers.map(\.seconds).max() ?? 0 }
        }
        let writes = names.indices.map { s in measurement(s, \.writer.rate, \.writer.seconds) }
        let solo = names.indices.map { s in withoutWrongAnswers(measurement(s, \.solo.rate, \.solo.seconds)) }
        let keeps = names.indices.map { s in solo[s].value > 0 ? writes[s].value / solo[s].value : 0 }

        let dictdbSolo = solo.first?.value ?? 0
        let sqliteKeep = keeps.count > 1 ? String(format: ", SQLite %.2fx", keeps[1]) : ""
        var details = [
            "W9: \(Self.readers) reader threads and 1 writer thread start together and run for \(span); before "
                + "that the writer runs alone for \(span) (its solo rate, the reference of the writes goal). Each "
                + "contender's table is loaded anew each pass (untimed): DictDB "
                + Self.contenders[0].setting + "; SQLite " + (Self.contenders.last?.setting ?? "")
                + " (in a new folder under \(folder), deleted afterwards). Writes: the salary of a key uniform over "
                + "the \(workload.records.count) records (the same seeded sequence on both sides). Reads: the "
                + "workload's lookup keys by primary key, the second reader from half-way down the list, each "
                + "record decoded.",
            "W9 checks, every pass: every write and read found its record, every record read has the workload's "
                + "fields and a salary in range, \(workload.records.count) records at the end, every record "
                + "written holds the writer's last salary for it, and the salary index finds every record in a "
                + "whole-range query and \(Self.indexSample) records written under their last salary.",
        ]
        for (s, name) in names.enumerated() {
            details.append("W9 \(name) per pass: " + outcomes[s].map(\.summary).joined(separator: "; "))
        }
        return [
            ScenarioResult(
                id: id,
                title: "\(Self.readers) readers: point lookups by key for \(span) beside 1 writer "
                    + "(SQLite: DatabasePool, WAL)",
                figure: .rate(operation: "reads"), goal: Goal(minimum: 3),
                operations: outcomes.first?.first.map { $0.readers.reduce(0) { $0 + $1.reads } } ?? 0,
                measurements: reads),
            ScenarioResult(
                id: id,
                title: "1 writer: salary updates by random key for \(span) beside \(Self.readers) readers; "
                    + String(format: "%.2fx its solo rate", keeps.first ?? 0) + sqliteKeep,
                figure: .rate(operation: "writes"), goal: .reference(atLeast: 0.5, of: dictdbSolo, named: "solo"),
                operations: outcomes.first?.first?.writer.writes ?? 0, measurements: writes),
            ScenarioResult(
                id: id, title: "1 writer alone: salary updates by random key for \(span) (solo rate)",
                figure: .rate(operation: "writes"), goal: nil,
                operations: outcomes.first?.first?.solo.writes ?? 0, measurements: solo, details: details),
        ]
    }
}
