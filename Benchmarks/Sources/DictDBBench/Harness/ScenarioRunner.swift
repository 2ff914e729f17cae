/// The timings and answers of one contender on one workload.
struct ContenderMeasurement: Sendable, Codable {
    /// The contender's name.
    var contender: String
    /// Seconds of each timed pass, in run order.
    var seconds: [Double]
    /// Operations per second of the median pass.
    var opsPerSecond: Double
    /// Messages describing wrong answers; empty when every pass was right.
    var wrongAnswers: [String]
}

/// Everything measured for one workload.
struct ScenarioResult: Sendable {
    /// The workload's id, such as `W1`.
    var id: String
    /// The one-line description.
    var title: String
    /// What one operation is.
    var unit: String
    /// The goal of the ratio subject/peer.
    var goal: Goal
    /// The number of operations of one pass.
    var operations: Int
    /// Subject first, then the peer, then extra peers.
    var measurements: [ContenderMeasurement]
}

/// Runs a workload's timed passes, interleaving the contenders pass by pass so that a noisy moment of the
/// machine hurts them alike, and keeps the median of each.
struct ScenarioRunner {
    /// Timed passes per contender.
    var iterations: Int
    /// Where progress lines go (one per pass), or `nil` for none.
    var progress: ((String) -> Void)?

    /// Measures `scenario` for each of its contenders.
    /// - Throws: ``BenchError/contenderFailed(contender:workload:reason:)`` when a contender throws.
    func measure(_ scenario: any Scenario, lineup: Lineup, workload: Workload) throws(BenchError) -> ScenarioResult {
        let contenders = scenario.contenders(from: lineup)
        let operations = scenario.operations(in: workload)
        var seconds = Array(repeating: [Double](), count: contenders.count)
        var wrong = Array(repeating: [String](), count: contenders.count)
        for pass in 1...max(1, iterations) {
            for (i, contender) in contenders.enumerated() {
                do {
                    try scenario.prepare(contender, for: workload)
                    let timed = try Stopwatch.time { try scenario.run(contender, on: workload) }
                    seconds[i].append(timed.seconds)
                    if let message = try scenario.check(contender, answer: timed.result, workload: workload) {
                        wrong[i].append("pass \(pass): \(message)")
                    }
                    progress?(
                        "  \(scenario.id) pass \(pass) \(contender.name): "
                            + "\(Report.formatRate(Double(operations) / timed.seconds)) \(scenario.unit)/s")
                } catch let error as BenchError {
                    throw error
                } catch {
                    throw .contenderFailed(contender: contender.name, workload: scenario.id, reason: "\(error)")
                }
            }
        }
        let measurements = contenders.enumerated().map { i, contender in
            let median = seconds[i].median
            return ContenderMeasurement(
                contender: contender.name, seconds: seconds[i],
                opsPerSecond: median > 0 ? Double(operations) / median : 0, wrongAnswers: wrong[i])
        }
        return ScenarioResult(
            id: scenario.id, title: scenario.title(for: workload), unit: scenario.unit, goal: scenario.goal,
            operations: operations, measurements: measurements)
    }
}
