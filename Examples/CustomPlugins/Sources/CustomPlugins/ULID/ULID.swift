/// A ULID: a 48-bit millisecond timestamp and 80 random bits, written as 26 Crockford base-32 digits whose
/// text order is their time order.
struct ULID: Hashable, Comparable {
    /// Milliseconds since 1970-01-01T00:00:00Z, below 2^48.
    var milliseconds: UInt64
    /// The high 16 of the 80 random bits.
    var randomHigh: UInt16
    /// The low 64 of the 80 random bits.
    var randomLow: UInt64

    /// The largest timestamp a ULID holds.
    static let maxMilliseconds: UInt64 = (1 << 48) - 1

    /// Parses 26 digits; the first must be 0-7 (the value has 128 bits). Case and `I L O` are forgiven.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 26 else { return nil }
        var value: (high: UInt64, low: UInt64) = (0, 0)
        for (position, byte) in bytes.enumerated() {
            guard let digit = Crockford32.value(of: byte) else { return nil }
            if position == 0 && digit > 7 { return nil }
            value.high = (value.high << 5) | (value.low >> 59)
            value.low = (value.low << 5) | UInt64(digit)
        }
        milliseconds = value.high >> 16
        randomHigh = UInt16(truncatingIfNeeded: value.high)
        randomLow = value.low
    }

    /// A ULID from its parts; `milliseconds` must be below 2^48.
    init(milliseconds: UInt64, randomHigh: UInt16, randomLow: UInt64) {
        self.milliseconds = milliseconds
        self.randomHigh = randomHigh
        self.randomLow = randomLow
    }

    /// The canonical text: 26 upper-case digits.
    var text: String {
        var high = (milliseconds << 16) | UInt64(randomHigh)
        var low = randomLow
        var digits = [UInt8](repeating: 0, count: 26)
        for position in (0..<26).reversed() {
            digits[position] = Crockford32.digits[Int(low & 31)]
            low = (low >> 5) | (high << 59)
            high >>= 5
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// The next ULID in order: the random part plus one, carrying into the timestamp; `nil` after the last.
    var successor: ULID? {
        var next = self
        next.randomLow &+= 1
        if next.randomLow == 0 {
            next.randomHigh &+= 1
            if next.randomHigh == 0 {
                guard milliseconds < Self.maxMilliseconds else { return nil }
                next.milliseconds += 1
            }
        }
        return next
    }

    static func < (a: ULID, b: ULID) -> Bool {
        (a.milliseconds, a.randomHigh, a.randomLow) < (b.milliseconds, b.randomHigh, b.randomLow)
    }
}
