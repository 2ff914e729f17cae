/// Inputs of the shapes compressors care about, from seeds: the data `CompressorContract` runs through a
/// compressor, for a plugin's own tests too (interoperability with a command-line tool, say).
public enum CompressorInputs {
    /// `count` incompressible bytes.
    public static func random(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next().littleEndian) { bytes.append(contentsOf: $0) }
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// `count` bytes of repetitive text, as a JSON snapshot would look.
    public static func compressible(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 128)
        var line = 0
        while bytes.count < count {
            bytes.append(contentsOf: #"{"id": \#(line), "name": "user \#(line % 97)", "active": true}"#.utf8)
            bytes.append(0x0A)
            line += 1
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// Alternating stretches of random and compressible bytes, `count` in all.
    public static func mixed(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            let stretch = min(Int.random(in: 1...20_000, using: &generator), count - bytes.count)
            if Bool.random(using: &generator) {
                bytes += random(stretch, seed: generator.next())
            } else {
                bytes += compressible(stretch)
            }
        }
        return bytes
    }
}
