import Foundation

/// One line of the results table: the subject against one peer (or alone) on one figure.
struct ReportRow: Sendable, Codable {
    /// The workload's id, such as `W1`.
    var workload: String
    /// What was measured, such as `insert 100000 records`.
    var title: String
    /// What the figures are; ``Figure/unit`` is the unit column.
    var figure: Figure
    /// The unit column as printed (``Figure/unit``), for readers of the JSON (`scripts/bench-matrix`).
    var unit: String?
    /// The subject's name (`DictDB`).
    var subject: String
    /// The peer's name (`SQLite`, or a variant such as `SQLite autocommit`), or `nil` for a row without one.
    var peer: String?
    /// The subject's figure (the median pass, unless the row says otherwise).
    var subjectValue: Double
    /// The peer's figure.
    var peerValue: Double?
    /// Subject over peer, measured in this run, when the figure has a meaningful ratio.
    var ratio: Double?
    /// The goal, or `nil` for an informational row.
    var goal: Goal?
    /// Whether the goal is met (and every answer was right); `nil` for an informational row.
    var met: Bool?
    /// The goal column as printed (``Goal/description``), for readers of the JSON.
    var goalText: String?
    /// For a goal against a reference (W7's fdatasync floor): the subject's figure over it.
    var referenceRatio: Double?
    /// The subject's figure as printed, when it is not one number (W7's floor: `median / p99`).
    var subjectShown: String?
    /// Whether the peer is an extra one (SQLite autocommit), named in the printed row.
    var isExtraPeer: Bool
    /// Wrong answers of either side; a row with any is a failure.
    var wrongAnswers: [String]
}

/// The pass-by-pass figures behind one result group, for the report's last section and the JSON.
struct ResultPasses: Sendable, Codable {
    /// The workload's id.
    var workload: String
    /// The result group's title.
    var title: String
    /// What the samples are.
    var figure: Figure
    /// Each contender's passes.
    var measurements: [ContenderMeasurement]
}

/// The results of a run: the machine, the parameters, one row per comparison and every pass's figures.
///
/// Printed as a Markdown table (`render()`), ready to paste into the README or an issue, and written as
/// JSON with `--json`. Rows come in workload order (W1, W2, ...), whatever order the workloads ran in.
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
    /// Every result group's passes, in row order.
    var passes: [ResultPasses]
    /// Remarks a reader needs to interpret the table.
    var notes: [String]
    /// What lies behind some figures (memory readings), in row order.
    var details: [String]

    /// Builds the rows from measured workloads: subject against the peer (with the goal), then against each
    /// extra peer (informational); a result with no peer gives one row of the subject alone.
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
        let ordered = scenarios.enumerated().sorted { a, b in
            (Self.order(of: a.element.id), a.offset) < (Self.order(of: b.element.id), b.offset)
        }.map(\.element)
        var results: [ReportRow] = []
        for scenario in ordered {
            guard let subject = scenario.measurements.first else { continue }
            let peers = scenario.measurements.dropFirst()
            if peers.isEmpty {
                results.append(Self.row(scenario, subject: subject, peer: nil, isExtraPeer: false))
            }
            for (position, peer) in peers.enumerated() {
                results.append(Self.row(scenario, subject: subject, peer: peer, isExtraPeer: position > 0))
            }
        }
        self.results = results
        passes = ordered.map {
            ResultPasses(workload: $0.id, title: $0.title, figure: $0.figure, measurements: $0.measurements)
        }
        details = ordered.flatMap(\.details)
    }

    /// One row: `subject` against `peer`, judged against the scenario's goal unless the peer is an extra one.
    private static func row(
        _ scenario: ScenarioResult, subject: ContenderMeasurement, peer: ContenderMeasurement?, isExtraPeer: Bool
    ) -> ReportRow {
        let goal = isExtraPeer ? nil : scenario.goal
        var ratio: Double?
        if let peer, scenario.figure.hasRatio, peer.value > 0 { ratio = subject.value / peer.value }
        let wrong = subject.wrongAnswers + (peer?.wrongAnswers ?? [])
        return ReportRow(
            workload: scenario.id, title: scenario.title, figure: scenario.figure, unit: scenario.figure.unit,
            subject: subject.contender, peer: peer?.contender, subjectValue: subject.value, peerValue: peer?.value,
            ratio: ratio, goal: goal, met: goal.map { $0.isMet(value: subject.value, ratio: ratio) && wrong.isEmpty },
            goalText: goal?.description,
            referenceRatio: goal?.referenceRatio(of: subject.value), subjectShown: subject.shown,
            isExtraPeer: isExtraPeer, wrongAnswers: wrong)
    }

    /// `W8` sorts as 8; anything else after the numbered workloads.
    private static func order(of id: String) -> Int {
        Int(id.drop { !$0.isNumber }) ?? Int.max
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
        let header = ["workload", "DictDB", "SQLite", "unit", "DictDB/SQLite", "goal", "met"]
        var table = [header]
        for row in results {
            let name = "\(row.workload) \(row.title)" + (row.isExtraPeer ? ", vs \(row.peer ?? "")" : "")
            let met: String
            if !row.wrongAnswers.isEmpty {
                met = "WRONG ANSWER"
            } else if let isMet = row.met {
                met = isMet ? "yes" : "no"
            } else {
                met = "(info)"
            }
            table.append([
                name, row.subjectShown ?? row.figure.format(row.subjectValue),
                row.peerValue.map(row.figure.format) ?? "-", row.figure.unit,
                row.ratio.map { String(format: "%.2fx", $0) } ?? "-", row.goal?.description ?? "-", met,
            ])
        }
        lines += Self.markdownTable(table, rightAligned: [1, 2, 4])
        if !notes.isEmpty {
            lines.append("")
            lines += notes.map { "- \($0)" }
        }
        if !details.isEmpty {
            lines.append("")
            lines += details.map { "- \($0)" }
        }
        lines.append("")
        lines.append("passes (in run order; seconds where timed, else the figure):")
        for result in passes {
            for measurement in result.measurements {
                let figures =
                    measurement.seconds.isEmpty
                    ? measurement.samples.map(result.figure.format)
                    : measurement.seconds.map { String(format: "%.4f", $0) }
                lines.append(
                    "  \(result.workload) \(result.title), \(measurement.contender): \(figures.joined(separator: " "))")
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
