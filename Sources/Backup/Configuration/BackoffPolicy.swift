/// How long a backup manager waits before retrying after failures: exponential backoff with jitter and a
/// cap.
///
/// After the *n*-th consecutive failure the delay is `initial × multiplier^(n-1)`, capped at `maximum`,
/// then spread by ± `jitter` (a fraction) with a random number, and capped at `maximum` again:
///
/// ```swift
/// let backoff = BackoffPolicy(initial: .seconds(1), multiplier: 2, maximum: .seconds(60), jitter: 0.2)
/// backoff.delay(afterFailures: 3, random: 0.5)   // 4 s: no spread at the middle of the random range
/// ```
///
/// Jitter keeps many processes that failed together (a full disk, a network mount) from retrying in step.
public struct BackoffPolicy: Sendable, Hashable {
    /// The delay after the first failure.
    public var initial: Duration
    /// How much each further consecutive failure multiplies the delay by (at least 1).
    public var multiplier: Double
    /// The longest delay, jitter included.
    public var maximum: Duration
    /// The spread, as a fraction of the delay: 0.2 gives delays between 80% and 120% (clamped to 0...1).
    public var jitter: Double

    /// Creates a policy.
    public init(
        initial: Duration = .seconds(1), multiplier: Double = 2, maximum: Duration = .seconds(300),
        jitter: Double = 0.2
    ) {
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The delay before the next attempt after `failures` consecutive failures (1 or more).
    /// - Parameters:
    ///   - failures: the consecutive failures so far, 1 or more.
    ///   - random: a number in `0..<1` from the manager's random source; 0.5 means no spread.
    public func delay(afterFailures failures: Int, random: Double) -> Duration {
        let cap = Self.seconds(maximum)
        guard cap > 0 else { return .zero }
        let growth = Swift.max(1, multiplier.isFinite ? multiplier : 1)
        let exponent = Double(Swift.max(0, failures - 1))
        var base = Swift.max(0, Self.seconds(initial)) * pow(growth, exponent)
        if !base.isFinite || base > cap { base = cap }
        let spread = Swift.min(1, Swift.max(0, jitter.isFinite ? jitter : 0))
        let unit = Swift.min(1, Swift.max(0, random.isFinite ? random : 0.5))
        let jittered = base * (1 - spread + 2 * spread * unit)
        return .seconds(Swift.min(cap, Swift.max(0, jittered)))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// `base^exponent` for a base of at least 1, by repeated squaring (no Foundation).
    private func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        var factor = base
        var remaining = Int(Swift.min(exponent, 4096))
        while remaining > 0 {
            if remaining & 1 == 1 { result *= factor }
            factor *= factor
            remaining >>= 1
            if !result.isFinite { return .infinity }
        }
        return result
    }
}
