import Foundation

/// The measurements of one contender on one result row group.
struct ContenderMeasurement: Sendable, Codable {
    /// The contender's name.
    var contender: String
    /// Seconds of each timed pass, in run order (empty when nothing was timed, as in W8).
    var seconds: [Double]
    /// The figure of each pass, in run order.
    var samples: [Double]
    /// The figure the table shows: the median of ``samples`` unless the experiment says otherwise.
    var value: Double
    /// Messages describing wrong answers; empty when every pass was right.
    var wrongAnswers: [String]
    /// The figure as the table prints it, when it is not one number (the fdatasync floor's `median / p99`).
    var shown: String? = nil
    /// Named figures besides ``value`` (the floor's p99 and syncs/s, recovery's replayed records), for the
    /// JSON.
    var extras: [String: Double]? = nil
}

/// Everything measured for one group of rows of the table: a subject, its peer and any extra peers on one
/// figure.
struct ScenarioResult: Sendable {
    /// The workload's id, such as `W1`.
    var id: String
    /// The one-line description.
    var title: String
    /// What the figures are.
    var figure: Figure
    /// The goal of the subject's row against the first peer (or of its own figure), or `nil`.
    var goal: Goal?
    /// The number of operations of one pass.
    var operations: Int
    /// Subject first, then the peer, then extra peers.
    var measurements: [ContenderMeasurement]
    /// Lines printed under the table that explain the figures (readings behind a ratio, the method used).
    var details: [String] = []
}

/// Runs a workload's timed passes, interleaving the contenders pass by pass so that a noisy moment of the
/// machine hurts them alike, and keeps the median of each.
struct ScenarioRunner {
    /// Timed passes per contender.
    var iterations: Int
    /// Where progress lines go (one per pass), or `nil` for none.
    var progress: ((String) -> Void)?
    /// A folder where experiments may write files (W6's snapshots), in sub-folders they delete.
    var scratchDirectory: String
    /// Appends + fdatasyncs of W7's floor per pass (``DurableInsertExperiment/floorOperations``; `--smoke`
    /// takes fewer).
    var fsyncFloorOperations = DurableInsertExperiment.floorOperations
    /// Seconds of each timed phase of W9 (`--w9-seconds`).
    var concurrentSeconds = ReadersAndWriterExperiment.defaultSeconds

    /// Creates `<scratchDirectory>/<name>-<pid>` for one experiment's files and returns its path; the
    /// experiment removes it when done.
    /// - Throws: ``BenchError/contenderFailed(contender:workload:reason:)`` naming `workload` when it cannot.
    func makeScratchFolder(_ name: String, workload: String) throws(BenchError) -> String {
        let folder = URL(fileURLWithPath: scratchDirectory)
            .appendingPathComponent("\(name)-\(ProcessInfo.processInfo.processIdentifier)").path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .contenderFailed(contender: "-", workload: workload, reason: "cannot create \(folder): \(error)")
        }
        return folder
    }

    /// Measures `scenario` for each of its contenders.
    /// - Throws: ``BenchError/contenderFailed(contender:workload:reason:)`` when a contender throws.
    func measure(_ scenario: any Scenario, lineup: Lineup, workload: Workload) throws(BenchError) -> ScenarioResult {
        let contenders = scenario.contenders(from: lineup)
        let operations = scenario.operations(in: workload)
        let figure = scenario.figure
        var seconds = Array(repeating: [Double](), count: contenders.count)
        var wrong = Array(repeating: [String](), count: contenders.count)
        for pass in 1...max(1, iterations) {
            for (i, contender) in contenders.enumerated() {
                try attempt(contender.name, scenario.id) {
                    try scenario.prepare(contender, for: workload)
                    let timed = try Stopwatch.time { try scenario.run(contender, on: workload) }
                    seconds[i].append(timed.seconds)
                    if let message = try scenario.check(contender, answer: timed.result, workload: workload) {
                        wrong[i].append("pass \(pass): \(message)")
                    }
                    let shown = Self.figure(figure, seconds: timed.seconds, operations: operations)
                    report("  \(scenario.id) pass \(pass) \(contender.name): \(figure.format(shown)) \(figure.unit)")
                }
            }
        }
        let measurements = contenders.enumerated().map { i, contender in
            let samples = seconds[i].map { Self.figure(figure, seconds: $0, operations: operations) }
            return ContenderMeasurement(
                contender: contender.name, seconds: seconds[i], samples: samples,
                value: Self.figure(figure, seconds: seconds[i].median, operations: operations),
                wrongAnswers: wrong[i])
        }
        return ScenarioResult(
            id: scenario.id, title: scenario.title(for: workload), figure: figure, goal: scenario.goal,
            operations: operations, measurements: measurements)
    }

    /// Runs `body` for the contender named `contender` in experiment `id`, turning any error but a
    /// ``BenchError`` into ``BenchError/contenderFailed(contender:workload:reason:)``.
    func attempt<T>(_ contender: String, _ id: String, _ body: () throws -> T) throws(BenchError) -> T {
        do {
            return try body()
        } catch let error as BenchError {
            throw error
        } catch {
            throw .contenderFailed(contender: contender, workload: id, reason: "\(error)")
        }
    }

    /// Sends a progress line, if progress lines are wanted.
    func report(_ line: String) {
        progress?(line)
    }

    /// The figure of a pass that took `seconds` for `operations` operations.
    private static func figure(_ figure: Figure, seconds: Double, operations: Int) -> Double {
        if figure == .seconds { return seconds }
        return seconds > 0 ? Double(operations) / seconds : 0
    }
}
