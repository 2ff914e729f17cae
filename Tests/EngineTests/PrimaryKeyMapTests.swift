@_spi(Storage) import DictDBAPI
import PropertyBased
import Testing

@testable import Engine

/// The primary-key map (row ids in slots, keys read from the rows) against a `[Value: RowID]` model, over
/// random inserts, deletes, re-keys and key moves, including keys whose hashes collide in every bit a slot
/// keeps.
@Suite struct PrimaryKeyMapTests {
    /// Rows as `TableStorage` keeps them, the map over them, and the model.
    struct Harness {
        var rows = ChunkedArray<Record?>()
        var map: PrimaryKeyMap
        var model: [Value: RowID] = [:]

        init(seed: UInt64) { map = PrimaryKeyMap(seed: seed) }

        mutating func insert(_ key: Value) {
            let row = rows.count
            rows.append(["id": key, "row": .int(Int64(row))])
            map.set(key, row: row, in: rows, primaryKey: "id")
            model[key] = row
        }

        mutating func delete(row: RowID) {
            guard let record = rows[row] else { return }
            map.remove(record["id"], row: row)
            rows[row] = nil
            model[record["id"]] = nil
        }

        /// Gives `row` a new key, as an update of the primary key does: the old entry goes, the row changes,
        /// the new entry comes.
        mutating func rekey(row: RowID, to key: Value) {
            guard let record = rows[row], model[key] == nil else { return }
            map.remove(record["id"], row: row)
            model[record["id"]] = nil
            rows[row] = ["id": key, "row": .int(Int64(row))]
            map.set(key, row: row, in: rows, primaryKey: "id")
            model[key] = row
        }

        func check(_ probes: [Value], _ label: String) {
            #expect(map.count == model.count, "count: \(label)")
            for (key, row) in model {
                #expect(map.row(forKey: key, in: rows, primaryKey: "id") == row, "key \(key): \(label)")
            }
            for key in probes where model[key] == nil {
                #expect(map.row(forKey: key, in: rows, primaryKey: "id") == nil, "absent \(key): \(label)")
            }
        }
    }

    static func key(_ n: Int, kind: Int) -> Value {
        switch kind % 4 {
        case 0: return .int(Int64(n))
        case 1: return .double(Double(n) + 0.5)
        case 2: return .string("key-\(n)")
        default: return .string("a longer key that is not a small string \(n)")
        }
    }

    @Test func randomChangesFindExactlyWhatTheModelHolds() async {
        await propertyCheck(count: 60, input: Gen<UInt64>.uint64(), Gen.int(in: 1...3000)) { seed, size in
            var rng = SplitMix64(seed: seed)
            var harness = Harness(seed: rng.next())
            var probes: [Value] = []
            for step in 0..<size {
                let n = Int(rng.next() % UInt64(size * 2))
                let key = Self.key(n, kind: Int(rng.next() % 4))
                probes.append(key)
                switch rng.next() % 10 {
                case 0..<6:
                    if harness.model[key] == nil { harness.insert(key) }
                case 6..<8:
                    if harness.rows.count > 0 { harness.delete(row: Int(rng.next() % UInt64(harness.rows.count))) }
                default:
                    if harness.rows.count > 0 {
                        harness.rekey(row: Int(rng.next() % UInt64(harness.rows.count)), to: key)
                    }
                }
                if step % 500 == 499 { harness.check(probes, "seed \(seed), step \(step)") }
            }
            harness.check(probes, "seed \(seed), size \(size)")
        }
    }

    @Test func anIntegerKeyIsFoundByAnEqualDoubleAndTheOtherWayRound() {
        var harness = Harness(seed: 7)
        harness.insert(.int(5))
        harness.insert(.double(6))
        #expect(harness.map.row(forKey: .double(5), in: harness.rows, primaryKey: "id") == 0)
        #expect(harness.map.row(forKey: .int(6), in: harness.rows, primaryKey: "id") == 1)
        #expect(harness.map.row(forKey: .double(5.5), in: harness.rows, primaryKey: "id") == nil)
        #expect(harness.map.row(forKey: .string("5"), in: harness.rows, primaryKey: "id") == nil)
    }

    @Test func keysWhoseHashesShareEveryKeptBitAreToldApartByTheirRecords() throws {
        let seed: UInt64 = 0x5EED
        let map = PrimaryKeyMap(seed: seed)
        // Shard byte and tag: the 32 bits a slot and its shard keep. Among 200,000 keys a few pairs share them.
        var seen: [UInt64: Int64] = [:]
        var pair: (Int64, Int64)?
        for n in Int64(0)..<400_000 {
            let hash = map.hash(.int(n))
            let kept = (hash >> 56) << 24 | (hash & 0xFF_FFFF)
            if let other = seen[kept] {
                pair = (other, n)
                break
            }
            seen[kept] = n
        }
        let (a, b) = try #require(pair)
        var harness = Harness(seed: seed)
        harness.insert(.int(a))
        harness.insert(.int(b))
        harness.check([.int(a), .int(b)], "collision \(a), \(b)")
        harness.delete(row: 0)
        harness.check([.int(a), .int(b)], "after deleting \(a)")
        harness.insert(.int(a))
        harness.rekey(row: 1, to: .int(-1))
        harness.check([.int(a), .int(b), .int(-1)], "after re-keying \(b)")
    }

    @Test func settingAKeyHeldByAnotherRowMovesIt() {
        var harness = Harness(seed: 11)
        harness.insert(.int(1))
        harness.rows.append(["id": .int(1), "row": .int(1)])
        harness.map.set(.int(1), row: 1, in: harness.rows, primaryKey: "id")
        #expect(harness.map.count == 1)
        #expect(harness.map.row(forKey: .int(1), in: harness.rows, primaryKey: "id") == 1)
        // Removing the old row's entry no longer finds one.
        harness.map.remove(.int(1), row: 0)
        #expect(harness.map.count == 1)
    }

    @Test func insertIfAbsentAddsAKeyOnceAndRefusesItThen() {
        var rows = ChunkedArray<Record?>()
        var map = PrimaryKeyMap(seed: 3)
        for n in 0..<1000 {
            let key = Value.string("k\(n % 500)")
            let added = map.insertIfAbsent(key, row: rows.count, in: rows, primaryKey: "id")
            #expect(added == (n < 500), "key \(key) at \(n)")
            if added { rows.append(["id": key]) }
        }
        #expect(map.count == 500)
    }

    @Test func aCopyKeepsItsEntriesWhileTheOriginalChanges() {
        var harness = Harness(seed: 5)
        for n in 0..<2000 { harness.insert(.int(Int64(n))) }
        let copy = harness.map
        let rowsBefore = harness.rows
        for row in 0..<1000 { harness.delete(row: row) }
        for n in 0..<2000 {
            #expect(copy.row(forKey: .int(Int64(n)), in: rowsBefore, primaryKey: "id") == n)
        }
        #expect(copy.count == 2000)
        harness.check((0..<2000).map { .int(Int64($0)) }, "original after deletes")
    }

    @Test func slotsStayWithinTwiceTheKeysAtMostFivePerFourLoad() {
        var harness = Harness(seed: 9)
        for n in 0..<100_000 { harness.insert(.int(Int64(n))) }
        // At most 0.8 full, and powers of two: under 2.5 slots per key, plus the first 8 of each shard.
        #expect(harness.map.capacity <= 100_000 * 5 / 2 + 256 * 8)
        var reserved = PrimaryKeyMap(seed: 9)
        reserved.reserveCapacity(100_000)
        #expect(reserved.capacity >= 100_000 * 5 / 4)
    }
}
