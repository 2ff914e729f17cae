import Codecs
import DictDBAPI
import Foundation
import Testing

/// The contract every ``StorageCodec`` must keep, run over each codec and composition.
@Suite struct StorageCodecContractTests {
    // MARK: Round trips

    @Test(arguments: SnapshotCodecs.names)
    func roundTripsRandomSnapshotsExactly(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        for seed in UInt64(1)...4 {
            var generator = SnapshotGenerator(seed: seed)
            let content = generator.snapshot(tableCount: Int(seed) + 1, maxRecords: 300)
            let bytes = try SnapshotIO.write(content, with: codec)
            let read = try SnapshotIO.read(bytes, with: codec)
            #expect(read.isIdentical(to: content), "seed \(seed): \(content)")
        }
    }

    @Test(arguments: SnapshotCodecs.names)
    func roundTripsWithOneByteReads(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        var generator = SnapshotGenerator(seed: 99)
        let content = generator.snapshot(tableCount: 3, maxRecords: 40)
        let bytes = try SnapshotIO.write(content, with: codec)
        #expect(try SnapshotIO.read(bytes, with: codec, maxReadSize: 1).isIdentical(to: content))
        #expect(try SnapshotIO.read(bytes, with: codec, maxReadSize: 7).isIdentical(to: content))
        #expect(
            try SnapshotIO.read(SnapshotIO.write(.small, with: codec), with: codec, maxReadSize: 1).isIdentical(
                to: .small))
    }

    @Test(arguments: SnapshotCodecs.names)
    func readsStringsLongerThanAChunkAndTablesLongerThanTheContainerLimit(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        let long = String(repeating: "ab\"\u{1}é", count: 40_000)
        let records: [Record] = (0..<20).map { ["i": .int(Int64($0)), "s": .string($0 % 5 == 0 ? long : "x")] }
        let content = SnapshotContent(
            meta: ["tableCount": 1], tables: [.init(header: ["recordCount": 20], records: records)])
        let bytes = try SnapshotIO.write(content, with: codec)
        let limits = DecodingLimits(maxContainerCount: 2)
        #expect(try SnapshotIO.read(bytes, with: codec, limits: limits).isIdentical(to: content))
        #expect(try SnapshotIO.read(bytes, with: codec, maxReadSize: 4093).isIdentical(to: content))
    }

    @Test(arguments: SnapshotCodecs.names)
    func roundTripsAnEmptySnapshot(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        let content = SnapshotContent(meta: ["format": "dictdb", "version": 1, "tableCount": 0], tables: [])
        let bytes = try SnapshotIO.write(content, with: codec)
        #expect(try SnapshotIO.read(bytes, with: codec).isIdentical(to: content))
    }

    @Test(arguments: SnapshotCodecs.names)
    func streamsThroughTheSinkInBoundedChunks(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        final class CountingSink: ByteSink {
            var largestWrite = 0
            var total = 0
            func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) {
                largestWrite = max(largestWrite, bytes.count)
                total += bytes.count
            }
        }
        let sink = CountingSink()
        let writer = try codec.makeWriter(to: sink)
        try writer.write(.meta(["tableCount": 1]))
        try writer.write(.beginTable(["recordCount": 20_000]))
        for i in 0..<20_000 {
            try writer.write(.record(["id": .int(Int64(i)), "text": .string(String(repeating: "w", count: 40))]))
        }
        try writer.write(.endTable)
        try writer.write(.end)
        #expect(sink.total > 0)
        #expect(sink.largestWrite <= 256 * 1024, "a writer streams: \(sink.largestWrite) bytes in one write")
    }

    @Test(arguments: SnapshotCodecs.names)
    func roundTripsSingleValues(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        var generator = SnapshotGenerator(seed: 5)
        var values: [Value] = SnapshotGenerator.specialInts.map { .int($0) }
        values += SnapshotGenerator.specialDoubles.map { .double($0) }
        values += SnapshotGenerator.specialStrings.map { .string($0) }
        values += [.null, .bool(true), .bool(false), .array([]), .object(Record())]
        values += (0..<300).map { _ in generator.value(depth: 0) }
        for value in values {
            let bytes = try codec.encode(value)
            let decoded = try codec.decode(bytes, limits: .default)
            #expect(ExactValue.equal(decoded, value), "\(value)")
        }
    }

    @Test(arguments: SnapshotCodecs.names)
    func refusesNonFiniteDoubles(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        for number in [Double.nan, .infinity, -.infinity] {
            expectError(.invalidValue) { _ = try codec.encode(["x": .double(number)]) }
            let writer = try codec.makeWriter(to: BufferSink())
            try writer.write(.meta(["tableCount": 1]))
            try writer.write(.beginTable(["recordCount": 1]))
            expectError(.invalidValue) { try writer.write(.record(["x": .double(number)])) }
        }
    }

    // MARK: Detection

    @Test(arguments: SnapshotCodecs.names)
    func recognizesItsOwnFilesAndNotOtherFormats(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        let own = try SnapshotIO.write(.small, with: codec)
        #expect(codec.recognizes(prefix: Array(own.prefix(16))))
        let ownCompressor = SnapshotCodecs.parts(of: codec).compressor?.name
        for other in SnapshotCodecs.names where other != name {
            let otherCodec = try SnapshotCodecs.codec(other)
            let bytes = try SnapshotIO.write(.small, with: otherCodec)
            let otherCompressor = SnapshotCodecs.parts(of: otherCodec).compressor?.name
            // Two compositions with one compressor share the container's magic: 16 compressed bytes do not
            // tell the base codec, which the reader checks after decompressing.
            if ownCompressor != nil && ownCompressor == otherCompressor { continue }
            #expect(!codec.recognizes(prefix: Array(bytes.prefix(16))), "\(name) must not claim a \(other) file")
        }
        #expect(!codec.recognizes(prefix: []))
        #expect(!codec.recognizes(prefix: Array("hello, world....".utf8)))
    }

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

    // MARK: Damage

    @Test(arguments: SnapshotCodecs.names)
    func rejectsTruncationAtEveryOffset(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        let bytes = try SnapshotIO.write(.small, with: codec)
        for length in 0..<bytes.count {
            let error = SnapshotIO.readFailure(
                Array(bytes.prefix(length)), with: codec, expected: .small, "truncated to \(length) bytes")
            #expect(error != nil, "truncated to \(length) of \(bytes.count) bytes, \(name) read a whole snapshot")
            if let error, SnapshotCodecs.parts(of: codec).compressor == nil {
                #expect(error.code == .corrupt, "\(error)")
                #expect(error.context.offset != nil, "\(error)")
            }
        }
    }

    @Test(arguments: SnapshotCodecs.names)
    func detectsEverySingleBitFlip(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        let isCompressed = SnapshotCodecs.parts(of: codec).compressor != nil
        let bytes = try SnapshotIO.write(.small, with: codec)
        var unnoticed = 0
        for index in bytes.indices {
            for bit in 0..<8 {
                var damaged = bytes
                damaged[index] ^= 1 << bit
                let error = SnapshotIO.readFailure(
                    damaged, with: codec, expected: .small, "bit \(bit) of byte \(index)")
                if error == nil { unnoticed += 1 }
                if let error { #expect(error.context.offset != nil || isCompressed, "\(error)") }
            }
        }
        // Uncompressed files are covered by the CRC-32 end to end; compressed ones may carry bits no check
        // covers (gzip's mtime), which then read back identically (checked by readFailure).
        if !isCompressed { #expect(unnoticed == 0, "\(unnoticed) flips went unnoticed") }
    }

    @Test(arguments: SnapshotCodecs.names)
    func rejectsBytesAppendedAfterTheEnd(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        let bytes = try SnapshotIO.write(.small, with: codec)
        let tails: [[UInt8]] = [[0x00], [0xFF], Array("x".utf8), Array("{}".utf8), Array(" \n{\"a\":1}".utf8), bytes]
        for tail in tails {
            let error = SnapshotIO.readFailure(bytes + tail, with: codec, expected: .small, "tail \(tail.prefix(8))")
            #expect(error?.code == .corrupt, "tail \(tail.prefix(8)): \(String(describing: error))")
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

    @Test(arguments: SnapshotCodecs.names)
    func enforcesStringAndContainerLimits(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        let content = SnapshotContent(
            meta: ["tableCount": 1],
            tables: [
                .init(
                    header: ["recordCount": 1],
                    records: [["s": .string(String(repeating: "é", count: 50)), "a": [1, 2, 3, 4]]])
            ])
        let bytes = try SnapshotIO.write(content, with: codec)
        #expect(
            try SnapshotIO.read(bytes, with: codec, limits: DecodingLimits(maxStringBytes: 100, maxContainerCount: 4))
                .isIdentical(to: content))
        expectError(.limitExceeded) {
            _ = try SnapshotIO.read(bytes, with: codec, limits: DecodingLimits(maxStringBytes: 99))
        }
        expectError(.limitExceeded) {
            _ = try SnapshotIO.read(bytes, with: codec, limits: DecodingLimits(maxContainerCount: 3))
        }
        expectError(.limitExceeded) {
            _ = try codec.decode(codec.encode(.string("abcdef")), limits: DecodingLimits(maxStringBytes: 5))
        }
        expectError(.limitExceeded) {
            _ = try codec.decode(codec.encode([1, 2, 3]), limits: DecodingLimits(maxContainerCount: 2))
        }
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

    // MARK: Writer events

    @Test(arguments: SnapshotCodecs.names)
    func rejectsOutOfOrderEvents(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        let meta: SnapshotEvent = .meta(["tableCount": 1])
        let begin: SnapshotEvent = .beginTable(["recordCount": 1])
        let record: SnapshotEvent = .record(["id": 1])
        let sequences: [[SnapshotEvent]] = [
            [record], [begin], [.endTable], [.end], [meta, meta], [meta, record], [meta, .endTable],
            [meta, begin, .end], [meta, begin, meta], [meta, begin, begin],
            [meta, begin, record, .endTable, .end, meta],
            [meta, begin, record, .endTable, .end, .end],
        ]
        for sequence in sequences {
            let writer = try codec.makeWriter(to: BufferSink())
            for event in sequence.dropLast() { try writer.write(event) }
            expectError(.invalidState, "\(sequence)") { try writer.write(sequence[sequence.count - 1]) }
        }
    }

    @Test(arguments: SnapshotCodecs.names)
    func readerFailsForGoodAfterAnError(_ name: String) throws {
        let codec = try SnapshotCodecs.codec(name)
        let bytes = try SnapshotIO.write(.small, with: codec)
        let reader = try codec.makeReader(from: BufferSource(Array(bytes.prefix(bytes.count / 2))), limits: .default)
        var failed = false
        for _ in 0..<100 {
            do {
                guard try reader.next() != nil else { break }
            } catch {
                failed = true
                break
            }
        }
        #expect(failed)
        #expect(throws: DictDBError.self) { _ = try reader.next() }
    }
}
