/// One workload of the standard benchmark (W1, W2, ...): what is timed, what it counts as one operation,
/// which contenders run it and what the right answer is.
///
/// ## Contract
///
/// - ``prepare(_:for:)`` runs before every timed pass, untimed; ``run(_:on:)`` is the timed pass and
///   performs exactly ``operations(in:)`` operations.
/// - ``check(_:answer:workload:)`` runs after every pass, untimed, and returns a message when the answer is
///   wrong. The default compares the answer with ``expectedAnswer(for:)``.
/// - The first contender of ``contenders(from:)`` is the subject, the second the peer the ``goal`` is a
///   ratio against; any further ones are reported as extra rows without a goal.
protocol Scenario: Sendable {
    /// The workload's id in BENCHMARKS.md, such as `W1`.
    var id: String { get }
    /// What one operation is, plural, for the report (`inserts`, `lookups`, `queries`).
    var unit: String { get }
    /// The ratio DictDB/SQLite this workload must reach.
    var goal: Goal { get }

    /// A one-line description for the report, such as `insert 100000 records`.
    func title(for workload: Workload) -> String
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
    /// DictDB and SQLite's fast path.
    func contenders(from lineup: Lineup) -> [any Contender] {
        [lineup.subject, lineup.peer]
    }

    /// Compares `answer` with ``expectedAnswer(for:)``.
    func check(_ contender: any Contender, answer: Int, workload: Workload) throws -> String? {
        let expected = expectedAnswer(for: workload)
        return answer == expected ? nil : "\(id): \(contender.name) answered \(answer), expected \(expected)"
    }
}

/// A speed goal: the ratio DictDB/SQLite that must be reached, and the one aimed at.
struct Goal: Sendable, Codable {
    /// The ratio that must be reached.
    var minimum: Double
    /// The ratio aimed at, if higher than the minimum.
    var aim: Double?

    /// `>= 2x, aim 4x`.
    var description: String {
        let must = ">= \(Self.format(minimum))x"
        guard let aim else { return must }
        return "\(must), aim \(Self.format(aim))x"
    }

    /// Whether `ratio` reaches the minimum.
    func isMet(by ratio: Double) -> Bool { ratio >= minimum }

    private static func format(_ ratio: Double) -> String {
        ratio == ratio.rounded() ? String(Int(ratio)) : String(ratio)
    }
}
