@_spi(Storage) import DictDBAPI
import Testing

@testable import Indexes

/// A hash index's buckets while its keys are few (a list searched by comparison), across the key that
/// makes them many (a dictionary), and back after `removeAll`: against a dictionary model, with keys that
/// are equal but spelled or stored apart, and with copies that must not see each other's changes.
@Suite struct HashBucketsTests {
    static let definition = IndexDefinition(name: "k", fields: ["k"], kind: "hash")

    /// A string longer than a small string holds, made at run time, so each call has its own storage.
    static func storedString(_ n: Int) -> Value {
        .string(String(repeating: "category-", count: 2) + String(n))
    }

    /// Key `n` in one of its spellings: `n` and `Double(n)` are equal, and so are two stored strings.
    static func key(_ n: Int, spelling: Int) -> Value {
        switch n % 3 {
        case 0: return spelling % 2 == 0 ? .int(Int64(n)) : .double(Double(n))
        case 1: return storedString(n)
        default: return .string("k\(n)")
        }
    }

    static func expectMatches(
        _ index: HashIndex, _ model: [Value: Set<RowID>], keys: Range<Int>, _ comment: Comment
    ) {
        #expect(index.statistics.distinctKeys == model.count, comment)
        #expect(index.statistics.entries == model.values.reduce(0) { $0 + $1.count }, comment)
        for n in keys {
            let key = key(n, spelling: n)
            #expect(index.rows(matching: .equal(key)) == (model[key] ?? []).sorted(), "\(comment) key \(key)")
        }
    }

    @Test(arguments: [1, 2, 3])
    func insertsAndRemovesAcrossTheLimitMatchAModel(seed: Int) {
        var index = HashIndex(definition: Self.definition)
        var model: [Value: Set<RowID>] = [:]
        var keyPool = 3
        for step in 0..<3_000 {
            // The pool grows past the list's limit half-way through.
            if step % 100 == 99 { keyPool = min(keyPool + 2, 2 * HashBuckets.fewKeys + 8) }
            let n = (step * 7 + seed * 13 + step / 3) % keyPool
            let key = Self.key(n, spelling: step + seed)
            let row = (step * 31 + seed) % 400
            if (step + seed) % 3 == 0 {
                index.remove(key: key, row: row)
                model[key]?.remove(row)
                if model[key]?.isEmpty == true { model[key] = nil }
            } else {
                index.insert(key: key, row: row)
                model[key, default: []].insert(row)
            }
            if step % 250 == 0 || step == 2_999 {
                Self.expectMatches(index, model, keys: 0..<keyPool, "seed \(seed) step \(step)")
            }
        }
        #expect(model.count > HashBuckets.fewKeys, "the keys outgrew the list")
        index.removeAll()
        Self.expectMatches(index, [:], keys: 0..<keyPool, "after removeAll")
        index.insert(key: 1, row: 1)
        #expect(index.rows(matching: .equal(.double(1))) == [1])
    }

    @Test func copiesDoNotSeeEachOthersChangesOnEitherSideOfTheLimit() {
        var index = HashIndex(definition: Self.definition)
        for n in 0..<5 { index.insert(key: Self.key(n, spelling: 0), row: n) }
        let fewCopy = index
        index.insert(key: Self.key(0, spelling: 1), row: 100)
        index.remove(key: Self.key(1, spelling: 0), row: 1)
        #expect(fewCopy.rows(matching: .equal(Self.key(0, spelling: 0))) == [0])
        #expect(fewCopy.rows(matching: .equal(Self.key(1, spelling: 0))) == [1])
        for n in 5..<(HashBuckets.fewKeys + 5) { index.insert(key: Self.key(n, spelling: 0), row: n) }
        #expect(fewCopy.statistics.distinctKeys == 5)
        let manyCopy = index
        index.remove(key: Self.key(7, spelling: 1), row: 7)
        #expect(manyCopy.rows(matching: .equal(Self.key(7, spelling: 0))) == [7])
        #expect(index.rows(matching: .equal(Self.key(7, spelling: 0))) == [])
        #expect(index.rows(matching: .equal(Self.key(0, spelling: 0))) == [0, 100])
    }
}
