import DictDBAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Random UUID strings (version 4), such as `"9b2f0c1e-5d7a-4c3b-8e21-6f4a0d9c7b15"`.
///
/// Stateless: 122 random bits make collisions practically impossible; a collision with an existing key is
/// still caught as `DictDBError.Code.duplicateKey`.
public struct UUIDv4KeyGenerator: PrimaryKeyGenerator {
    /// `"uuid"`.
    public let name = "uuid"
    /// `.null`: no state.
    public let initialState: Value = .null

    /// Creates the generator.
    public init() {}

    /// A new random UUID string.
    public func nextKey(state: inout Value) throws(DictDBError) -> Value {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return .string(UUIDFormatting.string(from: bytes))
    }
}

/// Time-ordered UUID strings (version 7): a 48-bit Unix millisecond timestamp then random bits, so keys
/// sort by creation time.
///
/// State: `[lastMillis, counter]`. Within one millisecond (or if the clock steps back) the 12-bit counter
/// increments, so keys from one table are strictly increasing.
public struct UUIDv7KeyGenerator: PrimaryKeyGenerator {
    /// `"uuid7"`.
    public let name = "uuid7"
    /// `[0, 0]`.
    public let initialState: Value = [0, 0]

    /// Creates the generator.
    public init() {}

    /// A new time-ordered UUID string, greater than every earlier one from the same state.
    public func nextKey(state: inout Value) throws(DictDBError) -> Value {
        let parts = state.arrayValue ?? []
        let lastMillis = parts.first?.intValue ?? 0
        let lastCounter = parts.count > 1 ? (parts[1].intValue ?? 0) : 0
        var millis = Self.nowMillis()
        var counter: Int64
        if millis > lastMillis {
            counter = 0
        } else {
            millis = lastMillis
            counter = lastCounter + 1
            if counter > 0xFFF {
                millis += 1
                counter = 0
            }
        }
        state = [.int(millis), .int(counter)]
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - i))) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: counter >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return .string(UUIDFormatting.string(from: bytes))
    }

    private static func nowMillis() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}

/// Formats 16 bytes as a lowercase hyphenated UUID.
enum UUIDFormatting {
    static func string(from bytes: [UInt8]) -> String {
        let hex: [Character] = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(36)
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { text.append("-") }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return text
    }
}
