import Codecs
import DictDBAPI
import Testing

/// The ``Compressor`` contract, run over every built-in compressor.
@Suite struct CompressorContractTests {
    private static var empty: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }

    @Test(arguments: CompressorCase.all)
    func roundTripsEmptyInput(_ subject: CompressorCase) throws {
        let packed = try subject.compressor.compress([])
        #expect(try subject.compressor.decompress(packed) == [])
    }

    @Test(arguments: CompressorCase.all)
    func roundTripsOneByte(_ subject: CompressorCase) throws {
        let packed = try subject.compressor.compress([0x2A])
        #expect(try subject.compressor.decompress(packed) == [0x2A])
    }

    @Test(arguments: CompressorCase.all)
    func roundTripsOneMebibyteOfRandomBytes(_ subject: CompressorCase) throws {
        let data = TestData.random(1 << 20, seed: 1)
        let packed = try subject.compressor.compress(data)
        #expect(try subject.compressor.decompress(packed) == data)
    }

    @Test(arguments: CompressorCase.all)
    func roundTripsAndShrinksHighlyCompressibleData(_ subject: CompressorCase) throws {
        let data = TestData.compressible(1 << 20)
        let packed = try subject.compressor.compress(data)
        #expect(packed.count < data.count / 5)
        #expect(try subject.compressor.decompress(packed) == data)
    }

    @Test(arguments: CompressorCase.all)
    func roundTripsWhateverTheChunking(_ subject: CompressorCase) throws {
        var generator = SeededGenerator(seed: 2)
        for size in [0, 1, 7919, 100_000, 700_000] {
            let data = TestData.mixed(size, seed: generator.next())
            let packed = try Chunked.compress(data, with: subject.compressor, using: &generator)
            let unpacked = try Chunked.decompress(packed, with: subject.compressor, using: &generator)
            #expect(unpacked == data, "size \(size)")
        }
    }

    @Test(arguments: CompressorCase.all)
    func outputStartsWithMagic(_ subject: CompressorCase) throws {
        for data in [[], [0x00], TestData.mixed(50_000, seed: 3)] {
            let packed = try subject.compressor.compress(data)
            #expect(packed.starts(with: subject.compressor.magic))
        }
    }

    @Test(arguments: CompressorCase.all)
    func truncatedInputIsNeverTakenAsComplete(_ subject: CompressorCase) throws {
        let data = TestData.mixed(60_000, seed: 4)
        let packed = try subject.compressor.compress(data)
        let lengths = Set(
            Array(0..<64) + Array(stride(from: 0, to: packed.count, by: 97)) + (packed.count - 64..<packed.count))
        for length in lengths.sorted() where length < packed.count {
            let prefix = Array(packed[..<length])
            let stream = try subject.compressor.makeDecompressionStream(limits: .default)
            var output: [UInt8] = []
            do {
                try prefix.withUnsafeBytes { try stream.decompress($0, into: &output) }
                #expect(!stream.isFinished, "\(length) of \(packed.count) bytes were taken as a whole stream")
            } catch let error as DictDBError {
                #expect(error.code == .corrupt, "\(error)")
            }
            expectError(.corrupt, "prefix of \(length) bytes") { _ = try subject.compressor.decompress(prefix) }
        }
    }

    /// Flips every bit after the container header, one at a time. Each damaged stream must throw, except
    /// for the few bits the format itself ignores (deflate's padding bits, the unused match-length nibble of
    /// an LZ4 block's last sequence): those decode to the original bytes, which is harmless. No flip may
    /// ever yield different bytes without an error.
    @Test(arguments: CompressorCase.all)
    func bitFlipsInTheBodyAreDetected(_ subject: CompressorCase) throws {
        let data = TestData.compressible(2_000) + TestData.random(500, seed: 5) + TestData.compressible(2_000)
        let packed = try subject.compressor.compress(data)
        var ignored: [Int] = []
        for bit in subject.headerLength * 8..<packed.count * 8 {
            var damaged = packed
            damaged[bit / 8] ^= 1 << UInt8(bit % 8)
            do {
                let unpacked = try subject.compressor.decompress(damaged)
                #expect(unpacked == data, "flipping bit \(bit) changed the output without an error")
                ignored.append(bit)
            } catch {
                #expect(error.code == .corrupt, "bit \(bit): \(error)")
            }
        }
        #expect(ignored.count <= 16, "bits \(ignored) of \(packed.count * 8) went unnoticed")
    }

    @Test(arguments: CompressorCase.all)
    func decompressionBombStopsAtTheLimit(_ subject: CompressorCase) throws {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        let compression = try subject.compressor.makeCompressionStream()
        var bomb: [UInt8] = []
        for _ in 0..<64 {
            try zeros.withUnsafeBytes { try compression.compress($0, finish: false, into: &bomb) }
        }
        try compression.compress(Self.empty, finish: true, into: &bomb)
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

    @Test(arguments: CompressorCase.all)
    func outputOfExactlyTheLimitIsAllowed(_ subject: CompressorCase) throws {
        let data = TestData.mixed(100_000, seed: 7)
        let packed = try subject.compressor.compress(data)
        #expect(try subject.compressor.decompress(packed, limits: .init(maxOutputBytes: 100_000)) == data)
        expectError(.limitExceeded) {
            _ = try subject.compressor.decompress(packed, limits: .init(maxOutputBytes: 99_999))
        }
        let nothing = try subject.compressor.compress([])
        #expect(try subject.compressor.decompress(nothing, limits: .init(maxOutputBytes: 0)) == [])
    }

    @Test(arguments: CompressorCase.all)
    func trailingBytesAfterTheStreamAreRejected(_ subject: CompressorCase) throws {
        let packed = try subject.compressor.compress(TestData.compressible(5_000))
        expectError(.corrupt) { _ = try subject.compressor.decompress(packed + [0x00]) }
        expectError(.corrupt) { _ = try subject.compressor.decompress(packed + packed) }

        let stream = try subject.compressor.makeDecompressionStream(limits: .default)
        var output: [UInt8] = []
        try packed.withUnsafeBytes { try stream.decompress($0, into: &output) }
        #expect(stream.isFinished)
        try [UInt8]().withUnsafeBytes { try stream.decompress($0, into: &output) }
        expectError(.corrupt) {
            try [UInt8](repeating: 0x41, count: 3).withUnsafeBytes { try stream.decompress($0, into: &output) }
        }
    }

    @Test(arguments: CompressorCase.all)
    func compressAfterFinishThrowsInvalidState(_ subject: CompressorCase) throws {
        let stream = try subject.compressor.makeCompressionStream()
        var output: [UInt8] = []
        try [UInt8](repeating: 1, count: 10).withUnsafeBytes { try stream.compress($0, finish: true, into: &output) }
        let finished = output
        expectError(.invalidState) { try stream.compress(Self.empty, finish: false, into: &output) }
        expectError(.invalidState) { try stream.compress(Self.empty, finish: true, into: &output) }
        #expect(output == finished)
    }

    @Test(arguments: CompressorCase.all)
    func otherFormatsAndGarbageAreRejected(_ subject: CompressorCase) throws {
        for other in CompressorCase.all where other.compressor.name != subject.compressor.name {
            let foreign = try other.compressor.compress(TestData.compressible(1_000))
            expectError(.corrupt, "\(other.compressor.name) data") { _ = try subject.compressor.decompress(foreign) }
        }
        expectError(.corrupt) { _ = try subject.compressor.decompress(TestData.random(4_096, seed: 8)) }
    }

    @Test(arguments: CompressorCase.all)
    func aFailedStreamRefusesMoreInput(_ subject: CompressorCase) throws {
        let stream = try subject.compressor.makeDecompressionStream(limits: .default)
        var output: [UInt8] = []
        expectError(.corrupt) {
            try [UInt8](repeating: 0xFF, count: 64).withUnsafeBytes { try stream.decompress($0, into: &output) }
        }
        let packed = try subject.compressor.compress([1, 2, 3])
        expectError(.invalidState) { try packed.withUnsafeBytes { try stream.decompress($0, into: &output) } }
        #expect(!stream.isFinished)
    }
}
