import Codecs
import DictDBAPI
import DictDBContracts
import Foundation
import Testing

/// The shared codec contract (``StorageCodecContract``) run over each codec and composition, plus what the
/// built-in formats and the registry's detection promise beyond it.
@Suite struct StorageCodecContractTests {
    @Test(arguments: SnapshotCodecs.names)
    func keepsTheCodecContract(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        let ownCompressor = SnapshotCodecs.parts(of: codec).compressor?.name
        // Two compositions with one compressor share the container's magic: 16 compressed bytes do not tell
        // the base codec, which the reader checks after decompressing.
        let others = try SnapshotCodecs.names.map(SnapshotCodecs.codec).filter { other in
            ownCompressor == nil || SnapshotCodecs.parts(of: other).compressor?.name != ownCompressor
        }
        try StorageCodecContract.check(codec, others: others)
    }

    // MARK: Detection

    @Test(arguments: SnapshotCodecs.names)
    func registryDetectsTheCodecOfItsFiles(_ name: String) throws {
        let registry = SnapshotCodecs.registry
        let codec = try SnapshotCodecs.codec(name)
        let bytes = try SnapshotIO.write(.small, with: codec)
        let detected = try registry.detectCodec(prefix: Array(bytes.prefix(16)))
        if let compressor = SnapshotCodecs.parts(of: codec).compressor {
            #expect(detected.name == "auto+\(compressor.name)")
            expectError(.invalidArgument) { _ = try detected.makeWriter(to: BufferSink()) }
        } else {
            #expect(detected.name == name)
        }
        #expect(try SnapshotIO.read(bytes, with: detected).isIdentical(to: .small))
        #expect(try SnapshotIO.read(bytes, with: detected, maxReadSize: 1).isIdentical(to: .small))
    }

    @Test func detectionRejectsUnknownFormatsListingTheKnownOnes() throws {
        let registry = SnapshotCodecs.registry
        for prefix in [[], Array("PK\u{3}\u{4}not a snapshot".utf8), [0x83, 0xA5, 0x5F], [0x00, 0x01]] as [[UInt8]] {
            do {
                _ = try registry.detectCodec(prefix: prefix)
                Issue.record("\(prefix) was detected")
            } catch {
                #expect(error.code == .unsupportedFormat)
                #expect(error.message.contains("json") && error.message.contains("msgpack"))
                #expect(error.message.contains("gzip") && error.message.contains("lz4"))
            }
        }
        // A compressed file whose content is not a snapshot: detected as compressed, rejected when read.
        for compressor in [GzipCompressor(), LZ4FrameCompressor()] as [any Compressor] {
            let bytes = try compressor.compress(Array("just some text, not a snapshot".utf8))
            let detected = try registry.detectCodec(prefix: Array(bytes.prefix(16)))
            expectError(.unsupportedFormat) { _ = try SnapshotIO.read(bytes, with: detected) }
        }
    }

    @Test(arguments: SnapshotCodecs.names)
    func rejectsDeepNestingQuickly(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        let base = SnapshotCodecs.parts(of: codec).base
        let depth = 100_000
        let hostile: [UInt8]
        let value: [UInt8]
        if base.name == "json" {
            value = [UInt8](repeating: UInt8(ascii: "["), count: depth)
            hostile = Array(#"{"_meta":{"a":"#.utf8) + value
        } else {
            value = [UInt8](repeating: 0x91, count: depth)
            hostile = [0x83, 0xA5] + Array("_meta".utf8) + [0x81, 0xA1, UInt8(ascii: "a")] + value
        }
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            expectError(.limitExceeded) {
                _ = try SnapshotIO.read(try SnapshotCodecs.wrap(hostile, for: codec), with: codec)
            }
            expectError(.limitExceeded) { _ = try codec.decode(value, limits: .default) }
        }
        #expect(elapsed < .seconds(10), "deep nesting took \(elapsed)")
        // Just within the limit is fine.
        let limits = DecodingLimits(maxDepth: 3)
        let nested: Value = ["a": [["b": 1]]]
        #expect(ExactValue.equal(try codec.decode(codec.encode(nested), limits: limits), nested))
        expectError(.limitExceeded) { _ = try codec.decode(codec.encode(["a": [[["b": 1]]]]), limits: limits) }
    }

    @Test(arguments: SnapshotCodecs.names.filter { $0.contains("+") })
    func stopsADecompressionBomb(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        let (base, compressor) = SnapshotCodecs.parts(of: codec)
        // A valid-looking start, then a string that goes on for 16 MiB of zeros.
        let start: [UInt8] =
            base.name == "json"
            ? Array(#"{"_meta":{"a":""#.utf8)
            : [0x83, 0xA5] + Array("_meta".utf8) + [0x81, 0xA1, UInt8(ascii: "a"), 0xDB, 0x0F, 0xFF, 0xFF, 0xFF]
        let stream = try #require(compressor).makeCompressionStream()
        var bomb: [UInt8] = []
        try start.withUnsafeBytes { try stream.compress($0, finish: false, into: &bomb) }
        let zeros = [UInt8](repeating: base.name == "json" ? UInt8(ascii: "0") : 0, count: 1 << 20)
        for _ in 0..<16 { try zeros.withUnsafeBytes { try stream.compress($0, finish: false, into: &bomb) } }
        try stream.compress(UnsafeRawBufferPointer(start: nil, count: 0), finish: true, into: &bomb)
        #expect(bomb.count < 1 << 20)
        let limits = DecodingLimits(decompression: DecompressionLimits(maxOutputBytes: 1 << 20))
        do {
            _ = try SnapshotIO.read(bomb, with: codec, limits: limits)
            Issue.record("the bomb was read")
        } catch let error as DictDBError {
            #expect(error.code == .limitExceeded, "\(error)")
            #expect(error.context.plugin?.hasPrefix("compressor:") == true, "\(error)")
        }
    }

    @Test(arguments: SnapshotCodecs.names)
    func checksumMismatchIsCorrupt(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        // Change one value in the base bytes and keep the old checksum.
        let base = SnapshotCodecs.parts(of: codec).base
        var bytes = try SnapshotIO.write(.small, with: base)
        let needle = Array("Ada".utf8)
        let index = try #require(bytes.indices.first { bytes[$0...].starts(with: needle) })
        bytes[index] = UInt8(ascii: "E")
        let error = SnapshotIO.readFailure(
            try SnapshotCodecs.wrap(bytes, for: codec), with: codec, expected: .small, "edited")
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("checksum") == true, "\(String(describing: error))")
    }
}
