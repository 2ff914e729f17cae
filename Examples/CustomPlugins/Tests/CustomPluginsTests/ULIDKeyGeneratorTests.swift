import CustomPlugins
import DictDB
import Synchronization
import Testing

@Suite struct ULIDKeyGeneratorTests {
    /// A generator whose clock the test moves and whose random bits are fixed.
    func generator(clock: Clock, random: (UInt16, UInt64) = (0x1234, 0x0102_0304_0506_0708)) -> ULIDKeyGenerator {
        ULIDKeyGenerator(clock: { clock.now }, random: { random })
    }

    final class Clock: Sendable {
        private let value = Mutex<UInt64>(0)
        init(_ start: UInt64) { value.withLock { $0 = start } }
        var now: UInt64 { value.withLock { $0 } }
        func set(_ milliseconds: UInt64) { value.withLock { $0 = milliseconds } }
    }

    @Test func keysAreTwentySixCrockfordDigitsThatSortByTime() throws {
        let clock = Clock(1_700_000_000_000)
        let ulid = generator(clock: clock)
        var state = ulid.initialState
        let first = try ulid.nextKey(state: &state)
        clock.set(1_700_000_000_001)
        let second = try ulid.nextKey(state: &state)
        let text = try #require(first.stringValue)
        #expect(text.count == 26)
        #expect(text.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
        // 1,700,000,000,000 ms is 01HF... in the first ten digits.
        #expect(text.hasPrefix("01HF"))
        #expect(try #require(second.stringValue) > text)
        #expect(state == second)
    }

    @Test func withinOneMillisecondAndWhenTheClockStepsBackKeysStillIncrease() throws {
        let clock = Clock(1_700_000_000_000)
        let ulid = generator(clock: clock)
        var state = ulid.initialState
        var keys: [String] = []
        for step in 0..<50 {
            if step == 25 { clock.set(1_600_000_000_000) }
            keys.append(try #require(try ulid.nextKey(state: &state).stringValue))
        }
        #expect(keys == keys.sorted())
        #expect(Set(keys).count == keys.count)
    }

    @Test func theRandomPartCarriesIntoTheTimestampAtItsEnd() throws {
        let clock = Clock(5)
        let ulid = generator(clock: clock, random: (.max, .max))
        var state = ulid.initialState
        let last = try #require(try ulid.nextKey(state: &state).stringValue)
        let next = try #require(try ulid.nextKey(state: &state).stringValue)
        #expect(last == "000000000" + "5" + String(repeating: "Z", count: 16))
        #expect(next == "000000000" + "6" + String(repeating: "0", count: 16))
    }

    @Test func explicitKeysMustBeULIDsAndLaterOnesMoveTheSequencePastThem() throws {
        let clock = Clock(1_000)
        let ulid = generator(clock: clock)
        expectError(.invalidKey) { try ulid.validate(explicitKey: 42) }
        expectError(.invalidKey) { try ulid.validate(explicitKey: "not-a-ulid") }
        expectError(.invalidKey) { try ulid.validate(explicitKey: "8ZZZZZZZZZZZZZZZZZZZZZZZZZ") }
        try ulid.validate(explicitKey: "01hf0000000000000000000000")

        var state = ulid.initialState
        let future: Value = "7ZZZZZZZZZ0000000000000000"
        ulid.observe(explicitKey: future, state: &state)
        let next = try #require(try ulid.nextKey(state: &state).stringValue)
        #expect(next == "7ZZZZZZZZZ0000000000000001")
        ulid.observe(explicitKey: "01HF0000000000000000000000", state: &state)
        #expect(state == .string(next))
    }

    @Test func aDamagedStateIsCorruptNotAnotherKey() {
        let ulid = generator(clock: Clock(1))
        var state: Value = 17
        expectError(.corrupt) { _ = try ulid.nextKey(state: &state) }
        state = "garbage"
        expectError(.corrupt) { _ = try ulid.nextKey(state: &state) }
    }

    @Test func aTableKeepsItsULIDSequenceThroughSaveAndLoad() throws {
        try withTemporaryDirectory { directory in
            let registry = try pluginRegistry()
            let db = Database(registry: registry)
            let events = try db.createTable("events", keyGenerator: "ulid")
            let keys = try (0..<20).map { _ in try events.insert(["kind": "login"]) }
            let path = directory + "/events.json"
            try db.save(to: path)
            let loaded = try Database.load(from: path, registry: registry)
            let more = try loaded.table("events").insert(["kind": "logout"])
            #expect(keys.compactMap(\.stringValue) == keys.compactMap(\.stringValue).sorted())
            #expect(try #require(more.stringValue) > (keys.last?.stringValue ?? ""))
            expectError(.invalidKey) { _ = try loaded.table("events").insert(["id": 7, "kind": "x"]) }
        }
    }
}
