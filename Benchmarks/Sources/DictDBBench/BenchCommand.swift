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

    @Option(help: "Records in the workload (selects workload-N.json).")
    var rows = 100_000

    @Option(help: "The workload file, instead of $DICTDB_BENCH_DATA/workload-N.json.")
    var data: String?

    @Option(help: "Timed passes per contender and workload; the table shows the median.")
    var iterations = 3

    @Option(help: "Run only these workloads, comma-separated (W1,W3).")
    var only: String?

    @Option(help: "Also write the table as JSON to this file.")
    var json: String?

    @Flag(help: "Do not print a progress line per pass on standard error.")
    var quiet = false

    func validate() throws {
        guard rows > 0 else { throw ValidationError("--rows must be positive") }
        guard iterations > 0 else { throw ValidationError("--iterations must be positive") }
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
        let file = WorkloadFile(explicitPath: data, rows: rows)
        Self.log("loading \(file.path)")
        let (workload, loadSeconds) = try Stopwatch.time { try file.load() }
        Self.log(String(format: "loaded %d records in %.2f s", workload.records.count, loadSeconds))

        let lineup = try Lineup(
            subject: DictDBContender(),
            peer: SQLiteContender(commitMode: .oneTransaction),
            peerAutocommit: SQLiteContender(commitMode: .autocommit),
            subjectWithoutIndexes: DictDBContender(indexed: false),
            peerWithoutIndexes: SQLiteContender(commitMode: .oneTransaction, indexed: false),
            makeSubject: { try DictDBContender() },
            makePeer: { try SQLiteContender(commitMode: .oneTransaction) })
        let progress: ((String) -> Void)? = quiet ? nil : { line in Self.log(line) }
        let scratch = URL(fileURLWithPath: file.path).standardizedFileURL.deletingLastPathComponent().path
        let runner = ScenarioRunner(iterations: iterations, progress: progress, scratchDirectory: scratch)
        let experiments = Scenarios.selected(only.map(Self.ids) ?? [])
        var results: [ScenarioResult] = []
        for experiment in experiments {
            Self.log("\(experiment.id): \(experiment.title(for: workload))")
            results += try experiment.measure(lineup: lineup, workload: workload, runner: runner)
        }

        let report = Report(
            machine: machine, dictdbRevision: SourceRevision.current(),
            dataFile: URL(fileURLWithPath: file.path).standardizedFileURL.path, rows: rows,
            iterations: iterations, scenarios: results,
            notes: notes(machine, workload: workload, lineup: lineup, ran: Set(experiments.map(\.id))))
        print(report.render())
        if let json {
            try report.writeJSON(to: json)
            Self.log("wrote \(json)")
        }
        if report.wrongAnswerCount > 0 {
            throw BenchError.wrongAnswers(count: report.wrongAnswerCount)
        }
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
        if machine.build != "release" {
            notes.insert("DEBUG BUILD: these numbers mean nothing; run with `swift run -c release`.", at: 0)
        }
        return notes
    }

    /// Progress and diagnostics go to standard error, so standard output holds the report alone.
    private static func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static func ids(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
    }
}
