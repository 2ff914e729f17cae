import Codecs
import DictDBAPI
import DictDBContracts
import Testing

/// The shared ``Compressor`` contract (``CompressorContract``) run over every built-in compressor, plus what
/// the built-ins promise beyond it.
@Suite struct CompressorContractTests {
    @Test(arguments: CompressorCase.all)
    func keepsTheCompressorContract(_ subject: CompressorCase) throws {
        let others = CompressorCase.all.map(\.compressor).filter { $0.name != subject.compressor.name }
        try CompressorContract.check(subject.compressor, others: others, uncheckedHeaderBytes: subject.headerLength)
    }

    @Test(arguments: CompressorCase.all)
    func roundTripsAndShrinksHighlyCompressibleData(_ subject: CompressorCase) throws {
        let data = CompressorInputs.compressible(1 << 20)
        let packed = try subject.compressor.compress(data)
        #expect(packed.count < data.count / 5)
        #expect(try subject.compressor.decompress(packed) == data)
    }

    @Test(arguments: CompressorCase.all)
    func aLargeDecompressionBombStopsAtTheLimit(_ subject: CompressorCase) throws {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        let compression = try subject.compressor.makeCompressionStream()
        var bomb: [UInt8] = []
        for _ in 0..<64 {
            try zeros.withUnsafeBytes { try compression.compress($0, finish: false, into: &bomb) }
        }
        try compression.compress(UnsafeRawBufferPointer(start: nil, count: 0), finish: true, into: &bomb)
        #expect(bomb.count < 1 << 20)

        let limit = 1 << 20
        let stream = try subject.compressor.makeDecompressionStream(limits: .init(maxOutputBytes: Int64(limit)))
        var output: [UInt8] = []
        expectError(.limitExceeded) {
            try bomb.withUnsafeBytes { try stream.decompress($0, into: &output) }
        }
        #expect(output.count <= limit)
        #expect(output.capacity < 4 * limit, "the output buffer grew towards the whole bomb")
    }
}
