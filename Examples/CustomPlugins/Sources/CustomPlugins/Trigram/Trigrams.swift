/// The trigrams of a string: every run of three consecutive UTF-8 bytes, packed into a `UInt32`.
///
/// Bytes rather than characters: UTF-8 is self-synchronizing, so a string contains another's code points
/// exactly when it contains its bytes, which is how `contains` is defined. A string shorter than three bytes
/// has no trigrams, and neither does a search text that short: the index declines those searches.
enum Trigrams {
    /// The distinct trigrams of `text`, in first-seen order.
    static func of(_ text: String) -> [UInt32] {
        var seen = Set<UInt32>()
        var result: [UInt32] = []
        var window: UInt32 = 0
        for (offset, byte) in text.utf8.enumerated() {
            window = ((window << 8) | UInt32(byte)) & 0x00FF_FFFF
            if offset >= 2 && seen.insert(window).inserted { result.append(window) }
        }
        return result
    }

    /// Whether a search text is long enough to have trigrams.
    static func canSearch(_ text: String) -> Bool {
        text.utf8.count >= 3
    }
}
