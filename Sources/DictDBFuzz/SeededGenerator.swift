/// A SplitMix64 random number generator: fast, seedable, and the same on every machine.
///
/// Each iteration of a run gets its own generator derived from the run's seed and the iteration number
/// (``forIteration(_:seed:)``), so one case can be replayed alone with `--seed S --replay I`.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The generator of iteration `iteration` of the run seeded with `seed`.
    static func forIteration(_ iteration: Int, seed: UInt64) -> SeededGenerator {
        var generator = SeededGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: iteration) &* 0xD1B5_4A32_D192_ED03))
        _ = generator.next()
        return generator
    }

    /// A random index into a non-empty collection of `count` elements (0 when `count` is not positive).
    mutating func index(below count: Int) -> Int {
        count > 0 ? Int.random(in: 0..<count, using: &self) : 0
    }

    /// True with probability `numerator / denominator`.
    mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        Int.random(in: 0..<max(denominator, 1), using: &self) < numerator
    }
}
