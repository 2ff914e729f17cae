import ArgumentParser
import DictDB
import Foundation

/// `dictdb-bench`: runs the standard workload against DictDB and SQLite (GRDB fast path) in one process
/// and prints one table of ratios measured in the same run.
///
/// ```
/// DICTDB_BENCH_DATA=$PWD/bench-data python3 ../../shared/bench/gen_workload.py 100000
/// swift run -c release dictdb-bench --rows 100000
/// ```
///
/// Exits non-zero when the workload file is missing (printing the command that makes it) or when any
/// contender gives a wrong answer.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dictdb-bench",
        abstract: "Runs the DictDB standard workload against SQLite (GRDB) and prints the ratios.",
        discussion: """
            Reads workload-N.json written by shared/bench/gen_workload.py: --data PATH, else \
            $DICTDB_BENCH_DATA/workload-N.json, else ./bench-data/workload-N.json. Build in release mode: \
            debug numbers mean nothing. Only ratios measured in the same run are claims.
            """)

    @Option(help: "Records in the workload (selects workload-N.json; default 100000).")
    var rows: Int?

    @Option(help: "The workload file, instead of $DICTDB_BENCH_DATA/workload-N.json.")
    var data: String?

    @Option(help: "Timed passes per contender and workload; the table shows the median (default 3; --smoke: 1).")
    var iterations: Int?

    @Option(help: "Run only these workloads, comma-separated (W1,W3).")
    var only: String?

    @Option(help: "Also write the table as JSON to this file.")
    var json: String?

    @Option(
        name: .customLong("w9-seconds"),
        help: "Seconds of each W9 phase: the writer alone, then 1 writer + 2 readers (default 5; --smoke: 0.2).")
    var w9Seconds: Double?

    @Flag(
        help: """
            CI smoke: every workload once on the committed 300-record fixture (Fixtures/smoke-workload.json, \
            unless --data), scratch files in a temporary folder; fails only on a wrong answer or an error, \
            never on speed.
            """)
    var smoke = false

    @Flag(
        name: .customLong("memory-probe"),
        help: "Instead of the workload: resident bytes per record after insert, select and save, for each size.")
    var memoryProbe = false

    @Option(
        name: .customLong("probe-sizes"),
        help: "Record counts for --memory-probe, comma-separated, each at most --rows (default: 1000,10000,--rows).")
    var probeSizes: String?

    @Option(
        help: """
            Instead of the workload: set one contender up, then run one kind of operation for a profiler \
            (lookup, insert, update, delete, select-dept, select-range) inside ProfileRun.measured.
            """)
    var profile: ProfileOperation?

    @Option(name: .customLong("profile-side"), help: "The contender --profile runs: dictdb or sqlite.")
    var profileSide: ProfileSide = .dictdb

    @Option(
        name: .customLong("profile-count"),
        help: "Operations --profile runs (default: all the workload has of that kind; 0 runs the setup only).")
    var profileCount: Int?

    @Flag(help: "Do not print a progress line per pass on standard error.")
    var quiet = false

    /// The contender `--profile` runs.
    enum ProfileSide: String, CaseIterable, ExpressibleByArgument {
        case dictdb
        case sqlite
    }

    /// The number of records: `--rows`, else the smoke fixture's with `--smoke` and no `--data`, else 100,000.
    private var rowCount: Int {
        if let rows { return rows }
        return smoke && data == nil ? SmokeFixture.rows : 100_000
    }

    func validate() throws {
        if let rows, rows <= 0 { throw ValidationError("--rows must be positive") }
        if let iterations, iterations <= 0 { throw ValidationError("--iterations must be positive") }
        if let w9Seconds, !(w9Seconds > 0 && w9Seconds <= 3600) {
            throw ValidationError("--w9-seconds must be above 0 and at most 3600")
        }
        if let profileCount, profileCount < 0 { throw ValidationError("--profile-count must not be negative") }
        let modes = [smoke ? "--smoke" : nil, memoryProbe ? "--memory-probe" : nil, profile.map { _ in "--profile" }]
            .compactMap { $0 }
        if modes.count > 1 { throw ValidationError("\(modes.joined(separator: " and ")) exclude each other") }
        if smoke, rows != nil, data == nil {
            throw ValidationError("--smoke runs the committed fixture; give --data with --rows for another file")
        }
        if probeSizes != nil, !memoryProbe { throw ValidationError("--probe-sizes needs --memory-probe") }
        if let probeSizes {
            let sizes = Self.sizes(probeSizes)
            if sizes == nil || sizes?.isEmpty == true {
                throw ValidationError(
                    "--probe-sizes needs positive whole numbers, comma-separated, not '\(probeSizes)'")
            }
            if let sizes, let largest = sizes.max(), largest > rowCount {
                throw ValidationError("--probe-sizes: \(largest) is more than the workload's \(rowCount) records")
            }
        }
        if let only {
            let known = Set(Scenarios.standard.map(\.id))
            let unknown = Self.ids(only).filter { !known.contains($0) }
            if !unknown.isEmpty {
                throw ValidationError(
                    "unknown workload(s) \(unknown.joined(separator: ", ")); known: \(known.sorted().joined(separator: ", "))"
                )
            }
        }
    }

    func run() throws {
        let machine = MachineInfo.current()
        let file = smoke && data == nil ? SmokeFixture.file() : WorkloadFile(explicitPath: data, rows: rowCount)
        Self.log("loading \(file.path)")
        let (workload, loadSeconds) = try Stopwatch.time { try file.load() }
        Self.log(String(format: "loaded %d records in %.2f s", workload.records.count, loadSeconds))
        let dataFolder = URL(fileURLWithPath: file.path).standardizedFileURL.deletingLastPathComponent().path
        if memoryProbe { return try runMemoryProbe(workload, machine: machine, file: file, scratch: dataFolder) }
        if let profile { return try runProfile(profile, workload) }

        let lineup = try Lineup(
            subject: DictDBContender(),
            peer: SQLiteContender(commitMode: .oneTransaction),
            peerAutocommit: SQLiteContender(commitMode: .autocommit),
            subjectWithoutIndexes: DictDBContender(indexed: false),
            peerWithoutIndexes: SQLiteContender(commitMode: .oneTransaction, indexed: false),
            makeSubject: { try DictDBContender() },
            makePeer: { try SQLiteContender(commitMode: .oneTransaction) })
        let progress: ((String) -> Void)? = quiet ? nil : { line in Self.log(line) }
        let scratch = smoke ? try SmokeFixture.makeScratchFolder() : dataFolder
        defer { if smoke { try? FileManager.default.removeItem(atPath: scratch) } }
        let passes = iterations ?? (smoke ? 1 : 3)
        var runner = ScenarioRunner(iterations: passes, progress: progress, scratchDirectory: scratch)
        runner.concurrentSeconds =
            w9Seconds ?? (smoke ? SmokeFixture.w9Seconds : ReadersAndWriterExperiment.defaultSeconds)
        if smoke { runner.fsyncFloorOperations = SmokeFixture.fsyncFloorOperations }
        let experiments = Scenarios.selected(only.map(Self.ids) ?? [])
        var results: [ScenarioResult] = []
        for experiment in experiments {
            Self.log("\(experiment.id): \(experiment.title(for: workload))")
            results += try experiment.measure(lineup: lineup, workload: workload, runner: runner)
        }

        let report = Report(
            machine: machine, dictdbRevision: SourceRevision.current(),
            dataFile: URL(fileURLWithPath: file.path).standardizedFileURL.path, rows: workload.records.count,
            iterations: passes, scenarios: results,
            notes: notes(machine, workload: workload, lineup: lineup, ran: Set(experiments.map(\.id))))
        print(report.render())
        if let json {
            try report.writeJSON(to: json)
            Self.log("wrote \(json)")
        }
        if report.wrongAnswerCount > 0 {
            throw BenchError.wrongAnswers(count: report.wrongAnswerCount)
        }
        if smoke {
            let ids = Set(experiments.map(\.id)).sorted().joined(separator: ",")
            Self.log(
                "smoke OK: \(ids) ran on \(workload.records.count) records, \(report.results.count) rows, every answer "
                    + "right (no speed is asserted)")
        }
    }

    /// `--memory-probe`: the table of bytes per record, and the JSON with `--json`.
    private func runMemoryProbe(_ workload: Workload, machine: MachineInfo, file: WorkloadFile, scratch: String) throws
    {
        let sizes = probeSizes.flatMap(Self.sizes) ?? Array(Set([1000, 10_000, rowCount].filter { $0 <= rowCount }))
        let probe = MemoryProbe(sizes: sizes, scratchDirectory: scratch, progress: quiet ? nil : { Self.log($0) })
        let readings = try probe.run(
            workload: workload,
            makers: [
                ("DictDB", { try DictDBContender() }), ("SQLite", { try SQLiteContender(commitMode: .oneTransaction) }),
            ])
        print("DictDB memory probe: resident bytes per record ((VmRSS - VmRSS before creating the database) / N)")
        print("machine: \(machine.summary)")
        print(
            "DictDB: commit \(SourceRevision.current() ?? "unknown") (plus any uncommitted changes of the working tree)"
        )
        print("")
        print(MemoryProbe.render(readings))
        print("")
        print(
            "- insert: after inserting N records into a new database with W1's indexes; select: after the first "
                + "\(MemoryProbe.selects) W3 and W4 selects; save peak: the peak while saving (DictDB msgpack, SQLite "
                + "VACUUM INTO; \(readings.first?.peakMethod ?? "-")); after save: once the save returned. "
                + "malloc_trim(0) before every reading but the peak.")
        if let json {
            let result = MemoryProbe.Result(
                machine: machine, dictdbRevision: SourceRevision.current(),
                dataFile: URL(fileURLWithPath: file.path).standardizedFileURL.path, phases: MemoryProbe.phases,
                readings: readings)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            do {
                try encoder.encode(result).write(to: URL(fileURLWithPath: json))
            } catch {
                throw BenchError.cannotWriteReport(path: json, reason: String(describing: error))
            }
            Self.log("wrote \(json)")
        }
        let wrong = readings.filter { $0.count != $0.records }
        if !wrong.isEmpty {
            throw BenchError.wrongAnswers(count: wrong.count)
        }
    }

    /// `--profile`: one contender, one kind of operation, and a line the profiling script reads.
    private func runProfile(_ operation: ProfileOperation, _ workload: Workload) throws {
        let contender: any Contender =
            profileSide == .dictdb ? try DictDBContender() : try SQLiteContender(commitMode: .oneTransaction)
        let count = profileCount ?? operation.available(in: workload)
        let outcome = try ProfileRun.run(operation, on: contender, workload: workload, count: count)
        let perOperation = outcome.operations > 0 ? outcome.seconds / Double(outcome.operations) * 1e9 : 0
        print(
            "profile: \(operation.rawValue) on \(contender.name), \(workload.records.count) records: "
                + "operations=\(outcome.operations) answer=\(outcome.answer) "
                + String(format: "seconds=%.6f ns_per_operation=%.1f", outcome.seconds, perOperation))
    }

    /// What a reader needs to interpret the table.
    private func notes(_ machine: MachineInfo, workload: Workload, lineup: Lineup, ran: Set<String>) -> [String] {
        var notes = [
            "Only ratios measured in the same run are claims; absolute figures vary 30-50% between runs here. "
                + "DictDB/SQLite divides the two figures: above 1 DictDB is faster for rates (.../s), "
                + "below 1 it is smaller or quicker for bytes, bytes/record and s.",
            DictDBContender.salaryIndexKind == "sorted"
                ? "DictDB indexes dept with kind `hash` and salary with kind `sorted`."
                : "DictDB indexes salary with kind `hash`: the registry has no `sorted` kind, so W4 scans.",
            "DictDB: public API, one call per operation (`insert`, `get`, `select(where:)`, `update(key:set:)`, "
                + "`delete(key:)`), records decoded into a struct by field name.",
            "SQLite: GRDB 7.10.0 fast path, `:memory:`, INTEGER PRIMARY KEY, one reused prepared statement, rows "
                + "decoded by column index; W1 and W5 in one transaction (the autocommit row commits each insert).",
        ]
        if ran.contains("W4"), let dictdb = lineup.subject as? DictDBContender, let low = workload.salaryLows.first,
            (try? dictdb.ensureLoaded(workload)) != nil
        {
            let condition = Field("salary").between(low, low + workload.rangeWidth)
            if let plan = try? dictdb.explain(condition) { notes.append("DictDB's plan for a W4 query: \(plan)") }
        }
        if ran.contains("W6") {
            notes.append(
                "W6: DictDB's save fsyncs the file and its folder; SQLite's VACUUM INTO and the JSONEncoder file "
                    + "are not fsynced. W6's goals are BENCHMARKS.md's absolute figures (none is set for the "
                    + "compressed codecs); the SQLite column is for comparison.")
        }
        if ran.contains("W7") {
            notes.append(
                "W7: on disk, in new folders under the workload file's folder (see the details); SQLite is a WAL "
                    + "file database there, not :memory:. The `always` goals are against the disk's own fdatasync "
                    + "floor measured in the same run, the others against SQLite; `x8 writers` counts the inserts "
                    + "of all 8 threads.")
        }
        if ran.contains("W9") {
            notes.append(
                "W9: DictDB in memory against SQLite's DatabasePool on a WAL file (synchronous NORMAL: no sync per "
                    + "commit); 1 writer and 2 reader threads at once. The reads goal is a ratio to SQLite, the writes "
                    + "goal DictDB's writes/s beside the readers over its own solo rate in the same pass set.")
        }
        if smoke {
            notes.insert(
                "SMOKE RUN: tiny N and one pass; only the answers are checked, no figure means anything.", at: 0)
        }
        if machine.build != "release" {
            notes.insert("DEBUG BUILD: these numbers mean nothing; run with `swift run -c release`.", at: 0)
        }
        return notes
    }

    /// Progress and diagnostics go to standard error, so standard output holds the report alone.
    private static func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// `1000,10000` as numbers; `nil` when any is not a positive whole number.
    private static func sizes(_ list: String) -> [Int]? {
        var sizes: [Int] = []
        for part in list.split(separator: ",", omittingEmptySubsequences: false) {
            guard let size = Int(part.trimmingCharacters(in: .whitespaces)), size > 0 else { return nil }
            sizes.append(size)
        }
        return sizes
    }

    private static func ids(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
    }
}
