/// Crockford's base 32 for ULIDs: `0-9A-Z` without `I L O U`, read case-insensitively (and `I`/`L` as 1,
/// `O` as 0, as the alphabet's specification allows).
enum Crockford32 {
    /// The 32 digits, in value order.
    static let digits: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// The value of one digit, or `nil` for a byte outside the alphabet.
    static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return value(of: byte - 32)
        case UInt8(ascii: "I"), UInt8(ascii: "L"): return 1
        case UInt8(ascii: "O"): return 0
        case UInt8(ascii: "U"): return nil
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
            guard let index = digits.firstIndex(of: byte) else { return nil }
            return UInt8(index)
        default: return nil
        }
    }
}
