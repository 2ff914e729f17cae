import DictDBAPI
import Testing

@testable import Indexes

/// Random operation sequences on sorted and composite indexes against a plain model answered by brute force
/// with the semantics of conditions: every predicate's rows, estimate and visiting order must agree.
@Suite struct SortedIndexModelTests {
    struct Configuration: Sendable, CustomTestStringConvertible {
        var composite: Bool
        var fanout: Int
        var seed: UInt64

        var testDescription: String { "\(composite ? "composite" : "sorted") fanout \(fanout) seed \(seed)" }
    }

    static let configurations: [Configuration] = [
        Configuration(composite: false, fanout: 4, seed: 1),
        Configuration(composite: false, fanout: 5, seed: 2),
        Configuration(composite: false, fanout: 32, seed: 3),
        Configuration(composite: true, fanout: 4, seed: 4),
        Configuration(composite: true, fanout: 32, seed: 5),
    ]

    @Test(arguments: configurations)
    func randomOperationsAgreeWithTheModel(_ configuration: Configuration) throws {
        var random = SeededRandom(seed: configuration.seed)
        let fields = configuration.composite ? ["a", "b"] : ["f"]
        var index = SortedIndex(
            definition: IndexDefinition(
                name: "i", fields: fields, kind: configuration.composite ? "composite" : "sorted"),
            fanout: configuration.fanout)
        var model = IndexModel()
        func randomKey() -> Value {
            configuration.composite
                ? SampleValues.compositeKey(using: &random) : random.pick(SampleValues.all)
        }
        for step in 0..<1200 {
            if random.chance(3) {
                // One key shared by many rows.
                let key = randomKey()
                for row in 0..<Int.random(in: 5...25, using: &random) {
                    index.insert(key: key, row: row)
                    model.insert(key, row)
                }
            } else if random.chance(35), !model.entries.isEmpty {
                let entry = random.pick(model.entries)
                // Remove through an equal spelling of the key where there is one (1.0 for 1).
                let key = random.chance(50) ? equalSpelling(of: entry.key) : entry.key
                index.remove(key: key, row: entry.row)
                model.remove(entry.key, entry.row)
            } else if random.chance(10) {
                let key = randomKey()
                let row = Int.random(in: 0..<60, using: &random)
                index.remove(key: key, row: row)
                model.remove(key, row)
            } else {
                let key = randomKey()
                let row = Int.random(in: 0..<60, using: &random)
                index.insert(key: key, row: row)
                model.insert(key, row)
            }
            if step % 40 == 0 || step == 1199 {
                #expect(index.invariantViolation() == nil, "step \(step)")
                #expect(index.statistics.entries == model.entries.count, "step \(step)")
                #expect(index.statistics.distinctKeys == model.distinctKeys, "step \(step)")
                try checkOrder(index, model, predicate: nil, random: &random)
                for _ in 0..<20 {
                    let predicate = randomPredicate(composite: configuration.composite, random: &random)
                    try check(index, model, predicate, composite: configuration.composite, random: &random)
                }
            }
        }
        index.removeAll()
        #expect(index.statistics == IndexStatistics(entries: 0, distinctKeys: 0, height: 1))
    }

    /// The same value written another way: a whole double for an int.
    func equalSpelling(of key: Value) -> Value {
        switch key {
        case .int(let i) where i.magnitude < 1 << 52: return .double(Double(i))
        case .array(let parts): return .array(parts.map(equalSpelling))
        default: return key
        }
    }

    func randomBound(_ pool: [Value], random: inout SeededRandom) -> RangeBound? {
        random.chance(30) ? nil : RangeBound(random.pick(pool), inclusive: random.chance(50))
    }

    func randomPredicate(composite: Bool, random: inout SeededRandom) -> IndexPredicate {
        let pool = SampleValues.all
        switch Int.random(in: 0..<(composite ? 6 : 5), using: &random) {
        case 0:
            return .equal(
                composite && random.chance(70) ? SampleValues.compositeKey(using: &random) : random.pick(pool))
        case 1:
            let values = (0..<Int.random(in: 0...5, using: &random)).map { _ in
                composite && random.chance(70) ? SampleValues.compositeKey(using: &random) : random.pick(pool)
            }
            return .anyOf(values + (random.chance(30) ? values : []))
        case 2:
            // Bounds of the same kind most of the time, so that ranges are rarely empty.
            let lower = randomBound(pool, random: &random)
            var upper = randomBound(pool, random: &random)
            if let lower, let chosen = upper, random.chance(70) {
                let sameKind = pool.filter { $0.kind == lower.value.kind }
                upper = RangeBound(random.pick(sameKind), inclusive: chosen.inclusive)
            }
            return .range(lower: lower, upper: upper)
        case 3:
            return .prefix(random.pick(SampleValues.prefixes))
        case 4:
            let lower = RangeBound(random.pick(pool), inclusive: random.chance(50))
            return .range(lower: lower, upper: random.chance(50) ? lower : nil)
        default:
            let equal = (0..<Int.random(in: 0...2, using: &random)).map { _ in random.pick(SampleValues.parts) }
            let lower = randomBound(SampleValues.parts, random: &random)
            let upper = randomBound(SampleValues.parts, random: &random)
            return .compositeRange(equal: equal, lower: lower, upper: upper)
        }
    }

    func check(
        _ index: SortedIndex, _ model: IndexModel, _ predicate: IndexPredicate, composite: Bool,
        random: inout SeededRandom
    ) throws {
        let rows = index.rows(matching: predicate)
        let estimate = index.estimatedRows(matching: predicate)
        #expect((rows == nil) == (estimate == nil), "\(predicate)")
        switch predicate {
        case .range(lower: nil, upper: nil):
            #expect(rows == nil)
            return
        case .compositeRange where !composite:
            #expect(rows == nil)
            return
        default:
            break
        }
        let found = try #require(rows, "\(predicate)")
        let expected = model.ordered(matching: predicate, ascending: true)
        #expect(found.sorted() == expected.map(\.row).sorted(), "\(predicate)")
        if case .prefix = predicate {
            #expect(try #require(estimate) >= expected.count, "\(predicate)")
        } else {
            #expect(estimate == expected.count, "\(predicate)")
        }
        try checkOrder(index, model, predicate: predicate, random: &random)
    }

    /// Visits in both directions, in full and stopped early, match the model's order.
    func checkOrder(
        _ index: SortedIndex, _ model: IndexModel, predicate: IndexPredicate?, random: inout SeededRandom
    ) throws {
        for ascending in [true, false] {
            let expected = model.ordered(matching: predicate, ascending: ascending)
            let limit = Int.random(in: 0...(expected.count + 1), using: &random)
            for stop in [Int.max, limit] {
                var visited: [(key: Value, row: RowID)] = []
                index.forEachEntry(matching: predicate, ascending: ascending) { key, row in
                    if visited.count == stop { return false }
                    visited.append((key, row))
                    return true
                }
                let wanted = expected.prefix(stop)
                let description = "\(predicate.map(\.description) ?? "all") ascending \(ascending) stop \(stop)"
                #expect(visited.map(\.row) == wanted.map(\.row), "\(description)")
                #expect(visited.map(\.key) == wanted.map(\.key), "\(description)")
            }
        }
    }
}
