import CZlib

/// A streaming CRC-32 (the zlib / gzip / PNG polynomial) over zlib's `crc32`.
///
/// Feed bytes in any chunking; ``value`` is the checksum of everything fed so far.
///
/// ```swift
/// var crc = CRC32()
/// crc.update(Array("1234".utf8))
/// crc.update(Array("56789".utf8))
/// print(String(crc.value, radix: 16))   // cbf43926
/// ```
public struct CRC32: Sendable, Hashable {
    /// The checksum of every byte fed so far (0 before any).
    public private(set) var value: UInt32 = 0

    /// Creates a checksum of no bytes.
    public init() {}

    /// Adds `bytes` to the checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var pointer = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var remaining = bytes.count
        var crc = uLong(value)
        while remaining > 0 {
            // zlib takes a 32-bit length.
            let count = min(remaining, 1 << 30)
            crc = crc32(crc, pointer, uInt(count))
            pointer += count
            remaining -= count
        }
        value = UInt32(truncatingIfNeeded: crc)
    }

    /// Adds `bytes` to the checksum.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
