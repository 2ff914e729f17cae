import DictDBAPI
import Testing

@testable import Indexes

/// A deterministic random source (SplitMix64) so that every failure replays from its seed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly chosen element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &self)]
    }

    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool {
        Int.random(in: 0..<100, using: &self) < percent
    }
}

extension BPlusTree {
    /// Every element in ascending order.
    var elements: [Element] {
        var result: [Element] = []
        forEach(in: 0..<count, ascending: true) { element in
            result.append(element)
            return true
        }
        return result
    }
}

/// Values of every kind, with the cases that trip sorted indexes: ints and doubles that are equal, large
/// integers next to doubles, strings with shared prefixes, mixed case, combining marks (canonically equal but distinct
/// spellings), emoji and U+10FFFF, nested arrays and objects.
enum SampleValues {
    static let scalars: [Value] = [
        .null, false, true,
        -3, 0, 1, 2, 5, .double(-3.0), .double(0.0), .double(-0.0), .double(1.0), .double(2.0), 2.5, -0.5,
        .int(Int64.max), .int(Int64.min), .int(9_007_199_254_740_993), .double(9_007_199_254_740_992.0),
        "", "a", "ab", "abc", "abd", "b", "A", "Ab", "aB", "e", "e\u{301}", "\u{e9}", "\u{e9}t\u{e9}",
        "e\u{301}x", "\u{1F600}", "\u{1F600}a", "\u{1F468}\u{200D}\u{1F469}", "\u{1F468}", "a\u{10FFFF}",
        "a\u{10FFFF}\u{10FFFF}", "a\u{10FFFF}\u{10FFFF}\u{10FFFF}z", "ab\u{10FFFF}\u{10FFFF}b",
        "\u{1100}", "\u{1100}\u{1161}", "\u{AC00}",
    ]

    static let containers: [Value] = [
        [], [1], [1, 2], [1, "a"], [.double(1.0), 3], [nil], [nil, 1], ["a", 1], [[1], 2], [1, 2, 3], [2],
        [true, 1], ["k": 1], ["k": 2], ["a": 1, "b": 2], .object(Record()),
    ]

    static let all: [Value] = scalars + containers

    /// Prefixes for `.prefix` predicates.
    static let prefixes: [String] = [
        "", "a", "ab", "A", "e", "\u{e9}", "e\u{301}", "\u{1F600}", "\u{1F468}", "a\u{10FFFF}",
        "a\u{10FFFF}\u{10FFFF}", "\u{1100}", "abc", "z",
    ]

    /// Elements of composite keys.
    static let parts: [Value] = [.null, false, 1, .double(1.0), 2, 2.5, "a", "b", "ab", [1]]

    /// A random composite key of 2 or 3 parts, now and then a key that is not an array at all.
    static func compositeKey(using random: inout SeededRandom) -> Value {
        if random.chance(5) { return random.pick(scalars) }
        let count = random.chance(80) ? 2 : 3
        return .array((0..<count).map { _ in random.pick(parts) })
    }
}

/// The plain model of an index: (key, row) entries in insertion order, answered by brute force with the
/// semantics of conditions.
struct IndexModel {
    var entries: [(key: Value, row: RowID)] = []

    /// Inserts unless an equal entry is there, as an index does.
    mutating func insert(_ key: Value, _ row: RowID) {
        if !entries.contains(where: { $0.key == key && $0.row == row }) { entries.append((key, row)) }
    }

    mutating func remove(_ key: Value, _ row: RowID) {
        entries.removeAll { $0.key == key && $0.row == row }
    }

    var distinctKeys: Int { Set(entries.map(\.key)).count }

    /// Whether `key` satisfies `predicate` as a condition on the field would decide.
    static func matches(_ key: Value, _ predicate: IndexPredicate) -> Bool {
        predicate.matches(key)
    }

    /// The matching entries ordered as an ordered index must visit them: by key (ascending or descending),
    /// then by ascending row in both directions.
    func ordered(matching predicate: IndexPredicate?, ascending: Bool) -> [(key: Value, row: RowID)] {
        let matching = entries.filter { entry in predicate.map { Self.matches(entry.key, $0) } ?? true }
        return matching.sorted { a, b in
            let order = Value.compare(a.key, b.key)
            if order != 0 { return ascending ? order < 0 : order > 0 }
            return a.row < b.row
        }
    }
}
