import Foundation

/// One line of the results table: the subject against one peer on one workload.
struct ReportRow: Sendable, Codable {
    /// The workload's id, such as `W1`.
    var workload: String
    /// What was measured, such as `insert 100000 records`.
    var title: String
    /// What one operation is (`inserts`, `lookups`, `queries`).
    var unit: String
    /// The subject's name (`DictDB`).
    var subject: String
    /// The peer's name (`SQLite`, or a variant such as `SQLite autocommit`).
    var peer: String
    /// The subject's operations per second (median pass).
    var subjectOpsPerSecond: Double
    /// The peer's operations per second (median pass).
    var peerOpsPerSecond: Double
    /// Subject over peer, measured in this run.
    var ratio: Double
    /// The goal, or `nil` for an informational row.
    var goal: Goal?
    /// Whether the goal is met (and every answer was right); `nil` for an informational row.
    var met: Bool?
    /// Wrong answers of either side; a row with any is a failure.
    var wrongAnswers: [String]
}

/// The results of a run: the machine, the parameters, one row per comparison and every pass's timings.
///
/// Printed as a Markdown table (`render()`), ready to paste into the README or an issue, and written as
/// JSON with `--json`.
struct Report: Sendable, Codable {
    /// Where and when the run happened.
    var machine: MachineInfo
    /// The DictDB commit measured (`git rev-parse --short HEAD`), if known.
    var dictdbRevision: String?
    /// The workload file.
    var dataFile: String
    /// Records in the workload.
    var rows: Int
    /// Timed passes per contender and workload; the table shows the median.
    var iterations: Int
    /// One row per comparison.
    var results: [ReportRow]
    /// Every contender's pass timings, by workload id.
    var passes: [String: [ContenderMeasurement]]
    /// Remarks a reader needs to interpret the table.
    var notes: [String]

    /// Builds the rows from measured workloads: subject against the peer (with the goal), then against each
    /// extra peer (informational).
    init(
        machine: MachineInfo, dictdbRevision: String?, dataFile: String, rows: Int, iterations: Int,
        scenarios: [ScenarioResult],
        notes: [String]
    ) {
        self.machine = machine
        self.dictdbRevision = dictdbRevision
        self.dataFile = dataFile
        self.rows = rows
        self.iterations = iterations
        self.notes = notes
        var results: [ReportRow] = []
        var passes: [String: [ContenderMeasurement]] = [:]
        for scenario in scenarios {
            passes[scenario.id] = scenario.measurements
            guard let subject = scenario.measurements.first else { continue }
            for (position, peer) in scenario.measurements.enumerated().dropFirst() {
                let ratio = peer.opsPerSecond > 0 ? subject.opsPerSecond / peer.opsPerSecond : 0
                let wrong = subject.wrongAnswers + peer.wrongAnswers
                let goal = position == 1 ? scenario.goal : nil
                results.append(
                    ReportRow(
                        workload: scenario.id, title: scenario.title, unit: scenario.unit, subject: subject.contender,
                        peer: peer.contender, subjectOpsPerSecond: subject.opsPerSecond,
                        peerOpsPerSecond: peer.opsPerSecond, ratio: ratio, goal: goal,
                        met: goal.map { $0.isMet(by: ratio) && wrong.isEmpty }, wrongAnswers: wrong))
            }
        }
        self.results = results
        self.passes = passes
    }

    /// The number of wrong answers over all rows.
    var wrongAnswerCount: Int {
        Set(results.flatMap(\.wrongAnswers)).count
    }

    /// The header, the Markdown table, the notes and the pass timings.
    func render() -> String {
        var lines: [String] = []
        let passWord = iterations == 1 ? "pass" : "passes"
        lines.append(
            "DictDB standard benchmark (shared/BENCHMARKS.md): N = \(rows), median of \(iterations) \(passWord)")
        lines.append("machine: \(machine.summary)")
        lines.append("DictDB: commit \(dictdbRevision ?? "unknown") (plus any uncommitted changes of the working tree)")
        lines.append("data: \(dataFile)")
        lines.append("")
        let header = ["workload", "DictDB (ops/s)", "SQLite (ops/s)", "ratio DictDB/SQLite", "goal", "met"]
        var table = [header]
        for row in results {
            let name = "\(row.workload) \(row.title)" + (row.goal == nil ? ", vs \(row.peer)" : "")
            let met: String
            if !row.wrongAnswers.isEmpty {
                met = "WRONG ANSWER"
            } else if let isMet = row.met {
                met = isMet ? "yes" : "no"
            } else {
                met = "(info)"
            }
            table.append([
                name, Self.formatRate(row.subjectOpsPerSecond), Self.formatRate(row.peerOpsPerSecond),
                String(format: "%.2fx", row.ratio), row.goal?.description ?? "-", met,
            ])
        }
        lines += Self.markdownTable(table, rightAligned: [1, 2, 3])
        if !notes.isEmpty {
            lines.append("")
            lines += notes.map { "- \($0)" }
        }
        lines.append("")
        lines.append("passes (seconds, in run order):")
        for id in passes.keys.sorted() {
            for measurement in passes[id] ?? [] {
                let times = measurement.seconds.map { String(format: "%.4f", $0) }.joined(separator: " ")
                lines.append("  \(id) \(measurement.contender): \(times)")
            }
        }
        let wrong = results.flatMap(\.wrongAnswers)
        if !wrong.isEmpty {
            lines.append("")
            lines.append("WRONG ANSWERS:")
            lines += Set(wrong).sorted().map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    /// Writes the report as pretty-printed JSON.
    /// - Throws: ``BenchError/cannotWriteReport(path:reason:)``.
    func writeJSON(to path: String) throws(BenchError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: path))
        } catch {
            throw .cannotWriteReport(path: path, reason: String(describing: error))
        }
    }

    /// `1,234,567` for large rates, `118.4` below 1,000.
    static func formatRate(_ rate: Double) -> String {
        guard rate.isFinite else { return "-" }
        if rate < 1000 { return String(format: "%.1f", rate) }
        let digits = String(Int(rate.rounded()))
        var grouped = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i).isMultiple(of: 3) { grouped.append(",") }
            grouped.append(digit)
        }
        return grouped
    }

    /// A Markdown table with padded columns; `rightAligned` holds the numeric columns.
    private static func markdownTable(_ cells: [[String]], rightAligned: Set<Int>) -> [String] {
        guard let columns = cells.first?.count else { return [] }
        let widths = (0..<columns).map { c in cells.map { $0[c].count }.max() ?? 0 }
        func pad(_ text: String, _ c: Int) -> String {
            let fill = String(repeating: " ", count: widths[c] - text.count)
            return rightAligned.contains(c) ? fill + text : text + fill
        }
        func line(_ row: [String]) -> String {
            "| " + row.indices.map { pad(row[$0], $0) }.joined(separator: " | ") + " |"
        }
        let rule = (0..<columns).map { c in
            String(repeating: "-", count: widths[c] - 1) + (rightAligned.contains(c) ? ":" : "-")
        }
        let lines = [line(cells[0]), line(rule)] + cells.dropFirst().map(line)
        return lines
    }
}
