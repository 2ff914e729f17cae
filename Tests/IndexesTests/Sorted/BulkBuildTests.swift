import DictDBAPI
import Testing

@testable import Indexes

/// `build(from:)` of sorted and hash indexes against inserting the same entries one at a time: the same rows
/// for every predicate, the same visiting order and statistics, a sound tree, and an index that stays
/// correct under further inserts and removals.
@Suite struct BulkBuildTests {
    /// With internal checks on, every one-at-a-time insert checks the whole tree (O(*n*)), so the large
    /// case uses fewer entries.
    #if DICTDB_INTERNAL_CHECKS
    static let largeCount = 3_000
    #else
    static let largeCount = 100_000
    #endif

    typealias Entries = [(key: Value, row: RowID)]

    static let sortedDefinition = IndexDefinition(name: "f", fields: ["f"], kind: "sorted")
    static let hashDefinition = IndexDefinition(name: "f", fields: ["f"], kind: "hash")

    /// Entries in ascending row order, one key per row, keys drawn from `keys`.
    static func entries(count: Int, keys: [Value], random: inout SeededRandom) -> Entries {
        (0..<count).map { row in (key: random.pick(keys), row: row) }
    }

    /// A few random doubles, so keys repeat, next to values of every kind.
    static func mixedKeys(random: inout SeededRandom) -> [Value] {
        SampleValues.all + (0..<20).map { _ in .double(Double(Int.random(in: -50...50, using: &random)) / 4) }
    }

    static func insertedOneByOne(_ entries: Entries, fanout: Int) -> SortedIndex {
        var index = SortedIndex(definition: sortedDefinition, fanout: fanout)
        for entry in entries { index.insert(key: entry.key, row: entry.row) }
        return index
    }

    static func built(_ entries: Entries, fanout: Int) -> SortedIndex {
        var index = SortedIndex(definition: sortedDefinition, fanout: fanout)
        // Something to replace.
        index.insert(key: "stale", row: 999_999)
        index.build(from: entries)
        return index
    }

    /// Every entry in visiting order.
    static func visited(_ index: SortedIndex, ascending: Bool) -> [String] {
        var result: [String] = []
        index.forEachEntry(matching: nil, ascending: ascending) { key, row in
            result.append("\(key)#\(row)")
            return true
        }
        return result
    }

    /// Predicates over `keys`: equality on each, some ranges, prefixes and an `in`.
    static func predicates(over keys: [Value]) -> [IndexPredicate] {
        var predicates = keys.map { IndexPredicate.equal($0) }
        predicates += [
            .range(lower: RangeBound(-3, inclusive: true), upper: RangeBound(2, inclusive: false)),
            .range(lower: RangeBound(0.5, inclusive: false), upper: nil),
            .range(lower: nil, upper: RangeBound("b", inclusive: true)),
            .prefix("a"), .prefix(""), .anyOf([1, "a", .null, [1, 2]]),
        ]
        return predicates
    }

    /// `built` and `expected` answer alike; `built`'s tree is sound and no taller.
    static func expectSame(
        _ built: SortedIndex, _ expected: SortedIndex, keys: [Value], _ comment: Comment,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(built.invariantViolation() == nil, comment, sourceLocation: sourceLocation)
        #expect(built.statistics.entries == expected.statistics.entries, comment, sourceLocation: sourceLocation)
        #expect(
            built.statistics.distinctKeys == expected.statistics.distinctKeys, comment,
            sourceLocation: sourceLocation)
        // Full leaves make the built tree at most as tall as one grown by inserts.
        #expect(built.statistics.height <= expected.statistics.height, comment, sourceLocation: sourceLocation)
        #expect(visited(built, ascending: true) == visited(expected, ascending: true), comment)
        #expect(visited(built, ascending: false) == visited(expected, ascending: false), comment)
        for predicate in predicates(over: keys) {
            #expect(
                built.rows(matching: predicate) == expected.rows(matching: predicate), "\(comment) \(predicate)",
                sourceLocation: sourceLocation)
            #expect(
                built.estimatedRows(matching: predicate) == expected.estimatedRows(matching: predicate),
                "\(comment) \(predicate)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [4, BPlusTree<SortedIndexEntry>.defaultFanout])
    func sortedBuildEqualsInsertingForEverySizeUpTo300(fanout: Int) {
        var random = SeededRandom(seed: UInt64(fanout))
        let keys = Self.mixedKeys(random: &random)
        for size in 0...300 {
            let entries = Self.entries(count: size, keys: keys, random: &random)
            let built = Self.built(entries, fanout: fanout)
            let expected = Self.insertedOneByOne(entries, fanout: fanout)
            Self.expectSame(built, expected, keys: Array(keys.prefix(12)), "size \(size) fanout \(fanout)")
        }
    }

    @Test func sortedBuildOfManyEntriesEqualsInserting() {
        var random = SeededRandom(seed: 100)
        let entries = (0..<Self.largeCount).map { row in
            (key: Value.double(Double(Int.random(in: 0..<(Self.largeCount / 3), using: &random)) / 8), row: row)
        }
        let fanout = BPlusTree<SortedIndexEntry>.defaultFanout
        let built = Self.built(entries, fanout: fanout)
        let expected = Self.insertedOneByOne(entries, fanout: fanout)
        Self.expectSame(built, expected, keys: [0, 1.5, 100, 2000.125], "large")
    }

    /// Keys of one numeric spelling take a faster sort; its order must be `Value`'s, rows ascending within
    /// a key, with repeated entries (`-0.0` beside `0.0` included) kept as inserting keeps them.
    @Test(arguments: ["ints", "doubles", "ints and doubles"])
    func sortedBuildOfNumericKeysInAnyRowOrderEqualsInserting(spelling: String) {
        var random = SeededRandom(seed: 23)
        var entries: Entries = (0..<2_000).map { _ in
            let n = Int.random(in: -40...40, using: &random)
            let key: Value
            switch spelling {
            case "ints": key = .int(Int64(n) * 1_000_003)
            case "doubles": key = n == 0 ? .double(Bool.random(using: &random) ? 0.0 : -0.0) : .double(Double(n) / 3)
            default: key = Bool.random(using: &random) ? .int(Int64(n)) : .double(Double(n))
            }
            return (key: key, row: Int.random(in: 0..<600, using: &random))
        }
        entries += entries.prefix(100)
        let keys: [Value] = [0, .double(-0.0), 3, .double(1.0 / 3), -40_000_120, .int(.max)]
        let fanout = BPlusTree<SortedIndexEntry>.defaultFanout
        let built = Self.built(entries, fanout: fanout)
        Self.expectSame(built, Self.insertedOneByOne(entries, fanout: fanout), keys: keys, "\(spelling)")
    }

    @Test(arguments: [4, 5, BPlusTree<SortedIndexEntry>.defaultFanout])
    func sortedBuildOfFewKeysWithManyRows(fanout: Int) {
        var random = SeededRandom(seed: 7)
        let keys: [Value] = [1, .double(1.0), "a", .null, [1, 2], false]
        let entries = Self.entries(count: 3_000, keys: keys, random: &random)
        let built = Self.built(entries, fanout: fanout)
        #expect(built.statistics.distinctKeys == 5)
        Self.expectSame(built, Self.insertedOneByOne(entries, fanout: fanout), keys: keys, "few keys \(fanout)")
    }

    @Test func sortedBuildDropsRepeatedEntriesAndAcceptsAnyRowOrder() {
        var random = SeededRandom(seed: 11)
        let keys = Self.mixedKeys(random: &random)
        var entries = Self.entries(count: 400, keys: keys, random: &random)
        // Repeat some entries (under an equal spelling where there is one) and shuffle the rows.
        for entry in entries.prefix(60) {
            let key: Value = if case .int(let i) = entry.key { .double(Double(i)) } else { entry.key }
            entries.append((key: key, row: entry.row))
        }
        entries.shuffle(using: &random)
        let built = Self.built(entries, fanout: 4)
        Self.expectSame(built, Self.insertedOneByOne(entries, fanout: 4), keys: keys, "repeats")
    }

    @Test(arguments: [4, BPlusTree<SortedIndexEntry>.defaultFanout])
    func sortedIndexStaysCorrectAfterABuild(fanout: Int) {
        var random = SeededRandom(seed: 21 + UInt64(fanout))
        let keys = Self.mixedKeys(random: &random)
        let entries = Self.entries(count: 500, keys: keys, random: &random)
        var built = Self.built(entries, fanout: fanout)
        var expected = Self.insertedOneByOne(entries, fanout: fanout)
        var model = IndexModel()
        for entry in entries { model.insert(entry.key, entry.row) }
        for step in 0..<1500 {
            let row = Int.random(in: 0..<600, using: &random)
            let key = random.pick(keys)
            if random.chance(50), let entry = model.entries.isEmpty ? nil : random.pick(model.entries) {
                built.remove(key: entry.key, row: entry.row)
                expected.remove(key: entry.key, row: entry.row)
                model.remove(entry.key, entry.row)
            } else if random.chance(10) {
                built.remove(key: key, row: row)
                expected.remove(key: key, row: row)
                model.remove(key, row)
            } else {
                built.insert(key: key, row: row)
                expected.insert(key: key, row: row)
                model.insert(key, row)
            }
            #expect(built.statistics.entries == model.entries.count, "step \(step)")
            #expect(built.statistics.distinctKeys == model.distinctKeys, "step \(step)")
            if step % 100 == 0 {
                #expect(built.invariantViolation() == nil, "step \(step)")
            }
        }
        #expect(expected.statistics.distinctKeys == model.distinctKeys)
        Self.expectSame(built, expected, keys: keys, "after updates")
        // Rebuilding from the model's entries gives the same index again.
        let rebuilt = Self.built(model.entries.sorted { $0.row < $1.row }, fanout: fanout)
        Self.expectSame(rebuilt, expected, keys: keys, "rebuilt")
    }

    /// Distinct-key counting through single inserts and removals, whose neighbours often lie in another
    /// leaf at fanout 4: keys shared by runs of rows, checked against a brute-force count after every step.
    @Test func distinctKeysStayExactAcrossLeafEdges() {
        var random = SeededRandom(seed: 31)
        var index = SortedIndex(definition: Self.sortedDefinition, fanout: 4)
        var model = IndexModel()
        let keys: [Value] = (0..<12).map { .int($0) }
        for step in 0..<3000 {
            let key = random.pick(keys)
            let row = Int.random(in: 0..<40, using: &random)
            if random.chance(45) {
                index.remove(key: key, row: row)
                model.remove(key, row)
            } else {
                index.insert(key: key, row: row)
                model.insert(key, row)
            }
            #expect(index.statistics.distinctKeys == model.distinctKeys, "step \(step)")
            #expect(index.statistics.entries == model.entries.count, "step \(step)")
        }
        #expect(index.invariantViolation() == nil)
    }

    @Test func treeBuildFillsEveryLevelWithinBounds() {
        for fanout in [4, 5, 6, 7, 32] {
            for count in 0...200 {
                var tree = BPlusTree<Int>(fanout: fanout)
                tree.insert(-1)
                tree.build(fromAscending: Array(0..<count))
                #expect(tree.invariantViolation() == nil, "fanout \(fanout) count \(count)")
                #expect(tree.elements == Array(0..<count), "fanout \(fanout) count \(count)")
                #expect(tree.count == count)
                // Then it grows and shrinks like any other tree.
                for element in stride(from: count, to: -count, by: -3) { tree.insert(element) }
                for element in stride(from: 0, to: count, by: 2) { tree.remove(element) }
                #expect(tree.invariantViolation() == nil, "fanout \(fanout) count \(count) after updates")
            }
        }
    }

    // MARK: - Hash index

    static func hashInsertedOneByOne(_ entries: Entries) -> HashIndex {
        var index = HashIndex(definition: hashDefinition)
        for entry in entries { index.insert(key: entry.key, row: entry.row) }
        return index
    }

    static func hashBuilt(_ entries: Entries) -> HashIndex {
        var index = HashIndex(definition: hashDefinition)
        index.insert(key: "stale", row: 999_999)
        index.build(from: entries)
        return index
    }

    static func expectSame(
        _ built: HashIndex, _ expected: HashIndex, keys: [Value], _ comment: Comment,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(built.statistics == expected.statistics, comment, sourceLocation: sourceLocation)
        for key in keys + ["stale", "absent"] {
            #expect(
                built.rows(matching: .equal(key)) == expected.rows(matching: .equal(key)), "\(comment) \(key)",
                sourceLocation: sourceLocation)
            #expect(
                built.estimatedRows(matching: .equal(key)) == expected.estimatedRows(matching: .equal(key)),
                "\(comment) \(key)", sourceLocation: sourceLocation)
        }
        let some = IndexPredicate.anyOf(Array(keys.prefix(5)))
        #expect(
            built.rows(matching: some)?.sorted() == expected.rows(matching: some)?.sorted(), comment,
            sourceLocation: sourceLocation)
    }

    @Test func hashBuildEqualsInsertingForEverySizeUpTo300() {
        var random = SeededRandom(seed: 41)
        let keys = Self.mixedKeys(random: &random)
        for size in 0...300 {
            let entries = Self.entries(count: size, keys: keys, random: &random)
            Self.expectSame(
                Self.hashBuilt(entries), Self.hashInsertedOneByOne(entries), keys: keys, "size \(size)")
        }
    }

    @Test func hashBuildOfManyEntriesEqualsInserting() {
        var random = SeededRandom(seed: 43)
        let strings: [Value] = (0..<10).map { .string("value-\($0)") }
        let fewKeys = Self.entries(count: Self.largeCount, keys: strings, random: &random)
        let built = Self.hashBuilt(fewKeys)
        #expect(built.statistics == IndexStatistics(entries: Self.largeCount, distinctKeys: 10))
        Self.expectSame(built, Self.hashInsertedOneByOne(fewKeys), keys: strings, "few keys")
        let manyKeys = (0..<Self.largeCount).map { row in
            (key: Value.int(Int64.random(in: 0..<Int64(Self.largeCount), using: &random)), row: row)
        }
        let sample = manyKeys.prefix(50).map(\.key)
        Self.expectSame(Self.hashBuilt(manyKeys), Self.hashInsertedOneByOne(manyKeys), keys: sample, "many keys")
    }

    @Test func hashBuildDropsRepeatedEntriesAndAcceptsAnyRowOrder() {
        var random = SeededRandom(seed: 47)
        let keys = Self.mixedKeys(random: &random)
        var entries = Self.entries(count: 400, keys: keys, random: &random)
        for entry in entries.prefix(60) {
            let key: Value = if case .int(let i) = entry.key { .double(Double(i)) } else { entry.key }
            entries.append((key: key, row: entry.row))
        }
        entries.shuffle(using: &random)
        Self.expectSame(Self.hashBuilt(entries), Self.hashInsertedOneByOne(entries), keys: keys, "repeats")
    }

    @Test func hashIndexStaysCorrectAfterABuild() {
        var random = SeededRandom(seed: 53)
        let keys = Self.mixedKeys(random: &random)
        let entries = Self.entries(count: 500, keys: keys, random: &random)
        var built = Self.hashBuilt(entries)
        var expected = Self.hashInsertedOneByOne(entries)
        for _ in 0..<1500 {
            let key = random.pick(keys)
            let row = Int.random(in: 0..<600, using: &random)
            if random.chance(45) {
                built.remove(key: key, row: row)
                expected.remove(key: key, row: row)
            } else {
                built.insert(key: key, row: row)
                expected.insert(key: key, row: row)
            }
        }
        Self.expectSame(built, expected, keys: keys, "after updates")
    }
}
