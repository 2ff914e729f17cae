import DictDBAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ulid`: keys are ULIDs (`01JDQ7ZK3M8W5V2T9X4N6B0C1D`), 26-character strings that sort by creation
/// time, so a sorted index on the key, an export, or `ORDER BY id` lists records in insertion order.
///
/// Keys are strictly increasing per table: within one millisecond (or when the clock steps back) the next
/// key is the previous one plus one, so no two keys repeat. The table's state is the last key generated or
/// observed (a string; `null` at first), so it survives save, load and recovery with the table. An
/// explicit key must itself be a ULID (any case); a larger one moves the sequence past it.
///
/// ```swift
/// registry.register(keyGenerator: ULIDKeyGenerator())
/// let events = try db.createTable("events", keyGenerator: "ulid")
/// let key = try events.insert(["kind": "login"])   // .string("01JDQ7ZK3M8W5V2T9X4N6B0C1D")
/// ```
public struct ULIDKeyGenerator: PrimaryKeyGenerator {
    /// Milliseconds since 1970 for new keys.
    private let clock: @Sendable () -> UInt64
    /// 80 random bits for a new millisecond: (high 16, low 64).
    private let random: @Sendable () -> (UInt16, UInt64)

    /// Creates a generator over the system clock and the system's random number generator.
    public init() {
        self.init(
            clock: Self.wallClockMilliseconds,
            random: {
                var generator = SystemRandomNumberGenerator()
                return (UInt16.random(in: .min ... .max, using: &generator), generator.next())
            })
    }

    /// Creates a generator over the given clock (milliseconds since 1970) and random bits, for tests
    /// and for deterministic replays.
    public init(clock: @escaping @Sendable () -> UInt64, random: @escaping @Sendable () -> (UInt16, UInt64)) {
        self.clock = clock
        self.random = random
    }

    /// `"ulid"`.
    public var name: String { "ulid" }

    /// `null`: nothing generated yet.
    public var initialState: Value { .null }

    /// The next ULID: a fresh one when the clock has passed the last key's millisecond, else the last plus
    /// one.
    /// - Throws: ``DictDBAPI/DictDBError/Code/limitExceeded`` after the last ULID (year 10889), and
    ///   ``DictDBAPI/DictDBError/Code/corrupt`` when the state is not a ULID (a damaged table header).
    public func nextKey(state: inout Value) throws(DictDBError) -> Value {
        let now = min(clock(), ULID.maxMilliseconds)
        let next: ULID
        switch state {
        case .null:
            let (high, low) = random()
            next = ULID(milliseconds: now, randomHigh: high, randomLow: low)
        case .string(let text):
            guard let last = ULID(text) else {
                throw DictDBError(
                    .corrupt, "the ulid generator's state is not a ULID", context: .init(plugin: name, found: text))
            }
            if now > last.milliseconds {
                let (high, low) = random()
                next = ULID(milliseconds: now, randomHigh: high, randomLow: low)
            } else if let successor = last.successor {
                next = successor
            } else {
                throw DictDBError(.limitExceeded, "no ULID follows \(text)", context: .init(plugin: name))
            }
        default:
            throw DictDBError(
                .corrupt, "the ulid generator's state is not a ULID",
                context: .init(plugin: name, found: state.description))
        }
        let key = next.text
        state = .string(key)
        return .string(key)
    }

    /// Milliseconds since 1970 by the system's real-time clock.
    @Sendable static func wallClockMilliseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(max(0, now.tv_sec)) * 1000 + UInt64(max(0, now.tv_nsec)) / 1_000_000
    }

    /// Accepts ULID strings only.
    /// - Throws: ``DictDBAPI/DictDBError/Code/invalidKey`` for anything else.
    public func validate(explicitKey: Value) throws(DictDBError) {
        guard case .string(let text) = explicitKey, ULID(text) != nil else {
            throw DictDBError(
                .invalidKey, "a ulid table's keys are ULIDs: 26 Crockford base-32 digits",
                context: .init(key: explicitKey, plugin: name, expected: "ULID"))
        }
    }

    /// Moves the state to `explicitKey` when it is a later ULID, so generated keys stay above it.
    public func observe(explicitKey: Value, state: inout Value) {
        guard case .string(let text) = explicitKey, let observed = ULID(text) else { return }
        if case .string(let current) = state, let last = ULID(current), last >= observed { return }
        state = .string(observed.text)
    }
}
