/// Times a closure with the monotonic clock.
enum Stopwatch {
    /// Runs `body` once and returns its result and the elapsed seconds.
    static func time<T>(_ body: () throws -> T) rethrows -> (result: T, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        let elapsed = clock.now - start
        let (seconds, attoseconds) = elapsed.components
        return (result, Double(seconds) + Double(attoseconds) * 1e-18)
    }
}

extension Array where Element == Double {
    /// The median (the mean of the two middle values for an even count); 0 for an empty array.
    var median: Double {
        guard !isEmpty else { return 0 }
        let sorted = self.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }
}
