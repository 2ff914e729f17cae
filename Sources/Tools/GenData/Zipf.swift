import DictDBToolSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws ranks `0..<count` with probability proportional to `1 / (rank + 1)^exponent`: a few values are
/// common and many are rare, as countries of users or categories of products are.
struct Zipf {
    private let cumulative: [Double]

    /// A distribution over `count` ranks (at least 1); exponent 0 is uniform.
    init(count: Int, exponent: Double) {
        var total = 0.0
        var cumulative: [Double] = []
        cumulative.reserveCapacity(max(1, count))
        for rank in 0..<max(1, count) {
            total += 1 / pow(Double(rank + 1), exponent)
            cumulative.append(total)
        }
        self.cumulative = cumulative.map { $0 / total }
    }

    /// A random rank.
    func sample(_ random: inout SeededGenerator) -> Int {
        let u = Double.random(in: 0..<1, using: &random)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] <= u { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// A random element of `items`, the first ones the most likely.
    func pick<T>(_ items: [T], _ random: inout SeededGenerator) -> T {
        items[min(sample(&random), items.count - 1)]
    }
}
