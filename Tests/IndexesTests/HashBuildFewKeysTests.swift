import DictDBAPI
import Testing

@testable import Indexes

/// A hash index's bulk build groups entries whose first entries show few distinct keys by comparing keys
/// rather than hashing them: keys that are equal but spelled or stored apart (`1` and `1.0`, one string in
/// two storages) share a group, and more distinct keys after the sample than it showed fall back to the
/// dictionary, with the same index as inserting one at a time in every case.
@Suite struct HashBuildFewKeysTests {
    /// A string longer than a small string holds, made at run time, so each call has its own storage.
    static func storedString(_ n: Int) -> Value {
        .string(String(repeating: "category-", count: 2) + String(n))
    }

    @Test func equalKeysInDifferentSpellingsOrStoragesShareAGroup() {
        var random = SeededRandom(seed: 61)
        let spellings: [[Value]] = [
            [1, .double(1.0)], [Self.storedString(1), Self.storedString(1)], ["small", "small"], [.null],
        ]
        let entries: BulkBuildTests.Entries = (0..<3_000).map { row in
            (key: random.pick(random.pick(spellings)), row: row)
        }
        let built = BulkBuildTests.hashBuilt(entries)
        #expect(built.statistics.distinctKeys == 4)
        BulkBuildTests.expectSame(
            built, BulkBuildTests.hashInsertedOneByOne(entries), keys: spellings.flatMap { $0 }, "spellings")
    }

    @Test(arguments: [HashIndex.fewKeys, 2 * HashIndex.fewKeys, 2 * HashIndex.fewKeys + 1, 500])
    func keysBeyondTheSampleStillEqualInserting(distinctAfterTheSample: Int) {
        var random = SeededRandom(seed: 67)
        let early: [Value] = ["a", "b", 3]
        var entries: BulkBuildTests.Entries = (0..<HashIndex.buildSampleSize).map { (key: random.pick(early), row: $0) }
        let late: [Value] = (0..<distinctAfterTheSample).map { .string("late-\($0)") }
        for row in entries.count..<(entries.count + 4 * distinctAfterTheSample) {
            entries.append((key: random.pick(late + early), row: row))
        }
        BulkBuildTests.expectSame(
            BulkBuildTests.hashBuilt(entries), BulkBuildTests.hashInsertedOneByOne(entries),
            keys: early + late.prefix(20), "\(distinctAfterTheSample) more keys")
    }
}
