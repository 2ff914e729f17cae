import DictDBAPI
import Testing

@testable import Indexes

/// The numeric layouts of a sorted index (every key an integer, or every key a double) against the plain
/// model: random inserts and removals of one spelling, now and then a key the layout cannot hold (which
/// moves the entries to the values layout), removals through another spelling of an equal key, and
/// emptying (after which the next key chooses the layout again). Every predicate's rows, estimate and
/// order must agree with the model throughout, whatever the layout.
@Suite struct SortedIndexLayoutTests {
    struct Configuration: Sendable, CustomTestStringConvertible {
        var layout: SortedIndexLayout
        var fanout: Int
        var seed: UInt64

        var testDescription: String { "\(layout) fanout \(fanout) seed \(seed)" }
    }

    static let configurations: [Configuration] = [
        Configuration(layout: .integers, fanout: 4, seed: 11),
        Configuration(layout: .integers, fanout: 32, seed: 12),
        Configuration(layout: .doubles, fanout: 4, seed: 13),
        Configuration(layout: .doubles, fanout: 32, seed: 14),
    ]

    static let integers: [Value] = [.int(.min), .int(.min + 1), -1_000, -3, -1, 0, 1, 2, 3, 5, 1_000, .int(.max)]
    static let doubles: [Value] = [
        .double(-.infinity), -1e300, -2.5, -1.0, .double(-Double.leastNonzeroMagnitude), 0.0, 0.5, 1.0, 2.5, 3.0,
        1e300, .double(.infinity),
    ]
    /// Keys the layout cannot hold, and equal spellings of its own keys in the other numeric kind.
    static let intruders: [Value] = [.double(-0.0), 2.5, .int(3), .double(3.0), "a", .null, [1]]

    @Test(arguments: configurations)
    func randomOperationsAgreeWithTheModelAcrossLayoutChanges(_ configuration: Configuration) throws {
        let model = SortedIndexModelTests()
        var random = SeededRandom(seed: configuration.seed)
        let pool = configuration.layout == .integers ? Self.integers : Self.doubles
        var index = SortedIndex(
            definition: IndexDefinition(name: "i", fields: ["f"], kind: "sorted"), fanout: configuration.fanout)
        var entries = IndexModel()
        var stepsInLayout = 0
        var layoutChanges = 0
        for step in 0..<1500 {
            let before = index.layout
            if random.chance(1), !entries.entries.isEmpty {
                // Empty the index one entry at a time, so the next key chooses the layout again.
                for entry in entries.entries { index.remove(key: entry.key, row: entry.row) }
                entries = IndexModel()
            } else if random.chance(35), !entries.entries.isEmpty {
                let entry = random.pick(entries.entries)
                let key = random.chance(5) ? model.equalSpelling(of: entry.key) : entry.key
                index.remove(key: key, row: entry.row)
                entries.remove(entry.key, entry.row)
            } else {
                let key = random.chance(1) ? random.pick(Self.intruders) : random.pick(pool)
                let row = Int.random(in: 0..<80, using: &random)
                index.insert(key: key, row: row)
                entries.insert(key, row)
            }
            if index.layout == configuration.layout { stepsInLayout += 1 }
            if index.layout != before { layoutChanges += 1 }
            if step % 30 == 0 || step == 1499 {
                #expect(index.invariantViolation() == nil, "step \(step)")
                #expect(index.statistics.entries == entries.entries.count, "step \(step)")
                #expect(index.statistics.distinctKeys == entries.distinctKeys, "step \(step)")
                try model.checkOrder(index, entries, predicate: nil, random: &random)
                for _ in 0..<15 {
                    let predicate = Self.numberPredicate(pool: pool + Self.intruders, random: &random)
                    try model.check(index, entries, predicate, composite: false, random: &random)
                }
            }
        }
        // The run must have spent most of its time in the layout under test and changed layouts.
        #expect(stepsInLayout > 500, "\(stepsInLayout) steps in the \(configuration.layout) layout")
        #expect(layoutChanges >= 2, "\(layoutChanges) layout changes")
    }

    /// Equality, `in` and ranges over `pool`, ranges mostly bounded by keys of one kind.
    static func numberPredicate(pool: [Value], random: inout SeededRandom) -> IndexPredicate {
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
            return .equal(random.pick(pool))
        case 1:
            return .anyOf((0..<Int.random(in: 0...4, using: &random)).map { _ in random.pick(pool) })
        default:
            let lower = random.chance(25) ? nil : RangeBound(random.pick(pool), inclusive: random.chance(50))
            let upper = random.chance(25) ? nil : RangeBound(random.pick(pool), inclusive: random.chance(50))
            return .range(lower: lower, upper: upper ?? (lower == nil ? RangeBound(0, inclusive: true) : nil))
        }
    }

    @Test func aKeyOfAnotherKindMovesEveryEntryToTheValuesLayout() {
        var index = SortedIndex(definition: IndexDefinition(name: "i", fields: ["f"], kind: "sorted"), fanout: 4)
        for row in 0..<200 { index.insert(key: .int(Int64(row % 50)), row: row) }
        #expect(index.layout == .integers)
        index.insert(key: "text", row: 500)
        #expect(index.layout == .values)
        #expect(index.invariantViolation() == nil)
        #expect(index.statistics.entries == 201)
        #expect(index.statistics.distinctKeys == 51)
        #expect(index.rows(matching: .equal(.double(7.0))) == [7, 57, 107, 157])
        #expect(index.rows(matching: .equal("text")) == [500])
    }

    @Test func negativeZeroKeepsItsSignInTheValuesLayout() {
        var index = SortedIndex(definition: IndexDefinition(name: "i", fields: ["f"], kind: "sorted"))
        index.insert(key: 1.5, row: 0)
        index.insert(key: .double(-0.0), row: 1)
        #expect(index.layout == .values)
        var keys: [Value] = []
        index.forEachEntry(matching: nil, ascending: true) { key, _ in
            keys.append(key)
            return true
        }
        guard case .double(let zero) = keys.first else {
            Issue.record("first key \(String(describing: keys.first))")
            return
        }
        #expect(zero == 0 && zero.sign == .minus)
        #expect(index.rows(matching: .equal(0.0)) == [1])
    }

    @Test func aBuildOfNumbersTakesTheNumericLayoutAndAnEmptiedIndexChoosesAgain() {
        var index = SortedIndex(definition: IndexDefinition(name: "i", fields: ["f"], kind: "sorted"))
        index.build(from: (0..<1_000).map { (key: .double(Double($0 % 100) / 2), row: $0) })
        #expect(index.layout == .doubles)
        #expect(index.statistics.distinctKeys == 100)
        #expect(index.rows(matching: .range(lower: RangeBound(49, inclusive: true), upper: nil))?.count == 20)
        index.removeAll()
        index.insert(key: 7, row: 1)
        #expect(index.layout == .integers)
        index.remove(key: 7, row: 1)
        index.insert(key: "a", row: 2)
        #expect(index.layout == .values)
        #expect(index.invariantViolation() == nil)
    }
}
