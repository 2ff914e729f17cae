import Codecs
import DictDBContracts
import Testing

/// The streaming CRC-32 the snapshot checksums use.
@Suite struct CRC32Tests {
    @Test func matchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func givesTheSameValueWhateverTheChunking() {
        let data = CompressorInputs.mixed(100_000, seed: 3)
        var generator = SeededGenerator(seed: 4)
        var crc = CRC32()
        var offset = 0
        while offset < data.count {
            let count = min(Int.random(in: 0...5000, using: &generator), data.count - offset)
            crc.update(Array(data[offset..<offset + count]))
            offset += count
        }
        #expect(crc.value == CRC32.checksum(data))
    }
}
