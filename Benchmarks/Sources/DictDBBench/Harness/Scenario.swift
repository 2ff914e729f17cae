/// Something the command runs and reports under one workload id: one or more rows of the table.
///
/// Timed workloads are ``Scenario``s, which ``ScenarioRunner`` times. A workload that measures something
/// other than the time of one call per operation, or that needs several rows per contender (W6's save,
/// load, file size and memory; W8's resident bytes), implements ``measure(lineup:workload:runner:)`` itself.
///
/// ## Contract
///
/// - Every result's answers are checked; a wrong one goes into ``ContenderMeasurement/wrongAnswers`` (the
///   row then fails), never into a silently skipped row.
/// - Whatever the experiment writes to disk goes under ``ScenarioRunner/scratchDirectory`` and is deleted
///   before ``measure(lineup:workload:runner:)`` returns.
protocol Experiment: Sendable {
    /// The workload's id in BENCHMARKS.md, such as `W1`; `--only` selects by it.
    var id: String { get }

    /// A one-line description for the progress lines, such as `insert 100000 records`.
    func title(for workload: Workload) -> String

    /// Runs the experiment's passes and returns one result per row group of the table.
    /// - Throws: ``BenchError/contenderFailed(contender:workload:reason:)`` when a contender throws.
    func measure(lineup: Lineup, workload: Workload, runner: ScenarioRunner) throws(BenchError) -> [ScenarioResult]
}

/// One timed workload of the standard benchmark (W1, W2, ...): what is timed, what it counts as one
/// operation, which contenders run it and what the right answer is.
///
/// ## Contract
///
/// - ``prepare(_:for:)`` runs before every timed pass, untimed; ``run(_:on:)`` is the timed pass and
///   performs exactly ``operations(in:)`` operations.
/// - ``check(_:answer:workload:)`` runs after every pass, untimed, and returns a message when the answer is
///   wrong. The default compares the answer with ``expectedAnswer(for:)``.
/// - The first contender of ``contenders(from:)`` is the subject, the second the peer the ``goal`` is a
///   ratio against; any further ones are reported as extra rows without a goal. A `nil` goal makes every
///   row informational.
protocol Scenario: Experiment {
    /// What one operation is, plural, for the report (`inserts`, `lookups`, `queries`).
    var unit: String { get }
    /// The ratio DictDB/SQLite this workload must reach, or `nil` for an informational row.
    var goal: Goal? { get }
    /// The figure the table shows: operations per second unless the scenario says otherwise.
    var figure: Figure { get }

    /// The number of operations one timed pass performs.
    func operations(in workload: Workload) -> Int
    /// The contenders that run this workload, subject first, then its peer, then extra peers.
    func contenders(from lineup: Lineup) -> [any Contender]
    /// Untimed setup before each timed pass.
    func prepare(_ contender: any Contender, for workload: Workload) throws
    /// The timed pass. Returns the value ``check(_:answer:workload:)`` verifies.
    func run(_ contender: any Contender, on workload: Workload) throws -> Int
    /// The answer a correct ``run(_:on:)`` returns.
    func expectedAnswer(for workload: Workload) -> Int
    /// Untimed verification after a pass: a message describing the wrong answer, or `nil`.
    func check(_ contender: any Contender, answer: Int, workload: Workload) throws -> String?
}

extension Scenario {
    /// Operations per second.
    var figure: Figure { .rate(operation: unit) }

    /// DictDB and SQLite's fast path.
    func contenders(from lineup: Lineup) -> [any Contender] {
        [lineup.subject, lineup.peer]
    }

    /// Compares `answer` with ``expectedAnswer(for:)``.
    func check(_ contender: any Contender, answer: Int, workload: Workload) throws -> String? {
        let expected = expectedAnswer(for: workload)
        return answer == expected ? nil : "\(id): \(contender.name) answered \(answer), expected \(expected)"
    }

    /// The timed passes of ``ScenarioRunner/measure(_:lineup:workload:)``: one result.
    func measure(lineup: Lineup, workload: Workload, runner: ScenarioRunner) throws(BenchError) -> [ScenarioResult] {
        [try runner.measure(self, lineup: lineup, workload: workload)]
    }
}

/// What a result row's figures are: this decides their unit, how they print, and which way is better.
enum Figure: Sendable, Codable, Equatable {
    /// Operations per second (higher is better); the associated value names one operation (`inserts`).
    case rate(operation: String)
    /// Seconds for the whole timed pass (lower is better).
    case seconds
    /// A size in bytes (lower is better).
    case bytes
    /// Resident bytes per record (lower is better).
    case bytesPerRecord
    /// The peak resident memory during an operation over the resident memory just before it (lower is
    /// better). Rows of this figure have no DictDB/SQLite ratio.
    case memoryGrowth
    /// A latency in microseconds (lower is better), shown as median / p99 through
    /// ``ContenderMeasurement/shown`` (W7's fdatasync floor). Rows of this figure have no ratio.
    case latency

    /// The unit column of the table.
    var unit: String {
        switch self {
        case .rate(let operation): return "\(operation)/s"
        case .seconds: return "s"
        case .bytes: return "bytes"
        case .bytesPerRecord: return "bytes/record"
        case .memoryGrowth: return "peak/before RSS"
        case .latency: return "µs, median / p99"
        }
    }

    /// Whether the ratio DictDB/SQLite of two figures means something.
    var hasRatio: Bool { self != .memoryGrowth && self != .latency }

    /// The figure as the table prints it.
    func format(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        switch self {
        case .rate: return Report.formatRate(value)
        case .seconds: return String(format: "%.3f", value)
        case .bytes: return Report.formatRate(value.rounded())
        case .bytesPerRecord: return String(format: "%.1f", value)
        case .memoryGrowth: return String(format: "%.2fx", value)
        case .latency: return String(format: "%.0f", value)
        }
    }
}

/// A goal: a bound on the ratio DictDB/SQLite measured in the same run, or, where BENCHMARKS.md sets an
/// absolute figure (W6), a bound on DictDB's own figure.
struct Goal: Sendable, Codable {
    /// What the bound applies to.
    enum Kind: String, Sendable, Codable {
        /// DictDB/SQLite must be at least the threshold (speed).
        case ratioAtLeast
        /// DictDB/SQLite must be at most the threshold (memory).
        case ratioAtMost
        /// DictDB's figure must be at least the threshold.
        case valueAtLeast
        /// DictDB's figure must be at most the threshold.
        case valueAtMost
        /// DictDB's figure over a reference measured in the same run (W7: the disk's fdatasync floor, in
        /// operations per second) must be at least the threshold.
        case referenceAtLeast
    }

    /// What the bound applies to.
    var kind: Kind
    /// The bound that must be reached.
    var threshold: Double
    /// The bound aimed at, if stricter than ``threshold``.
    var aim: Double?
    /// For a bound on DictDB's own figure, what follows the number (`records/s`, `x RSS before`); for a
    /// bound against a reference, the reference's name (`floor`).
    var unit: String?
    /// For ``Kind/referenceAtLeast``: the reference figure, measured in the same run.
    var reference: Double?

    /// DictDB/SQLite must reach `minimum`, and should reach `aim`.
    init(minimum: Double, aim: Double? = nil) {
        self.init(kind: .ratioAtLeast, threshold: minimum, aim: aim, unit: nil)
    }

    private init(kind: Kind, threshold: Double, aim: Double?, unit: String?) {
        self.kind = kind
        self.threshold = threshold
        self.aim = aim
        self.unit = unit
    }

    /// DictDB/SQLite must stay at or below `maximum`, and should stay at or below `aim`.
    static func ratio(atMost maximum: Double, aim: Double? = nil) -> Goal {
        Goal(kind: .ratioAtMost, threshold: maximum, aim: aim, unit: nil)
    }

    /// DictDB's figure must reach `minimum` (`unit` is printed after the number).
    static func value(atLeast minimum: Double, _ unit: String) -> Goal {
        Goal(kind: .valueAtLeast, threshold: minimum, aim: nil, unit: unit)
    }

    /// DictDB's figure must stay at or below `maximum` (`unit` is printed after the number).
    static func value(atMost maximum: Double, _ unit: String) -> Goal {
        Goal(kind: .valueAtMost, threshold: maximum, aim: nil, unit: unit)
    }

    /// DictDB's figure must reach `minimum` times `reference`, a figure of the same unit measured in the
    /// same run and called `name` (W7: `floor`, the disk's fdatasyncs per second).
    static func reference(atLeast minimum: Double, of reference: Double, named name: String) -> Goal {
        var goal = Goal(kind: .referenceAtLeast, threshold: minimum, aim: nil, unit: name)
        goal.reference = reference
        return goal
    }

    /// DictDB's figure over the reference, for a ``Kind/referenceAtLeast`` goal.
    func referenceRatio(of value: Double) -> Double? {
        guard kind == .referenceAtLeast, let reference, reference > 0 else { return nil }
        return value / reference
    }

    /// `>= 2x, aim 4x`, `<= 1.5x, aim <= 1x`, `>= 1,000,000 records/s`, `<= 1.1x RSS before`.
    var description: String {
        switch kind {
        case .ratioAtLeast:
            let must = ">= \(Self.format(threshold))x"
            guard let aim else { return must }
            return "\(must), aim \(Self.format(aim))x"
        case .ratioAtMost:
            let must = "<= \(Self.format(threshold))x"
            guard let aim else { return must }
            return "\(must), aim <= \(Self.format(aim))x"
        case .valueAtLeast:
            return ">= \(Self.format(threshold))\(Self.spaced(unit))"
        case .valueAtMost:
            return "<= \(Self.format(threshold))\(Self.spaced(unit))"
        case .referenceAtLeast:
            let of = reference.map { " (\(Report.formatRate($0))/s)" } ?? ""
            return ">= \(Self.format(threshold))x \(unit ?? "reference")\(of)"
        }
    }

    /// Whether DictDB's figure `value`, and `ratio` (DictDB/SQLite, when there is a peer), meet the bound.
    func isMet(value: Double, ratio: Double?) -> Bool {
        switch kind {
        case .ratioAtLeast: return ratio.map { $0 >= threshold } ?? false
        case .ratioAtMost: return ratio.map { $0 <= threshold } ?? false
        case .valueAtLeast: return value >= threshold
        case .valueAtMost: return value <= threshold
        case .referenceAtLeast: return referenceRatio(of: value).map { $0 >= threshold } ?? false
        }
    }

    private static func format(_ number: Double) -> String {
        if number >= 1000 { return Report.formatRate(number) }
        return number == number.rounded() ? String(Int(number)) : String(number)
    }

    /// ` records/s`, or `x RSS before` glued to the number.
    private static func spaced(_ unit: String?) -> String {
        guard let unit, !unit.isEmpty else { return "" }
        return unit.hasPrefix("x") ? unit : " \(unit)"
    }
}
