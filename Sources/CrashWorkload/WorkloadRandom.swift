/// A SplitMix64 generator with its own bounded draws, so that a workload operation is the same on every
/// machine and toolchain (the standard library's `random(in:using:)` algorithms are not promised stable).
///
/// ```swift
/// var random = WorkloadRandom(seed: 42, stream: 7)
/// let pick = random.below(10)         // 0..<10, fixed by (42, 7)
/// ```
public struct WorkloadRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one numbered stream of a seed: operation `i` of a workload, cycle `c` of a loop.
    /// Streams of one seed are independent of each other.
    public init(seed: UInt64, stream: UInt64) {
        state = seed ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ 0x2545_F491_4F6C_DD1D
        _ = next()
        state ^= stream &* 0x9E37_79B9_7F4A_7C15
        _ = next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (0 when `bound` is not positive).
    public mutating func below(_ bound: Int) -> Int {
        guard bound > 0 else { return 0 }
        return Int(truncatingIfNeeded: next() % UInt64(bound))
    }

    /// A number in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `percent` / 100.
    public mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ elements: [T]) -> T {
        elements[below(elements.count)]
    }
}
