import DictDBAPI
import Testing

/// `CompressedCodec`, the registry's `codec+compressor` names and codec detection, with a toy codec and a
/// toy compressor so that only the composition is under test.
@Suite struct CompressedCodecTests {
    private var registry: Registry {
        var registry = Registry()
        registry.register(codec: ToyCodec())
        registry.register(compressor: ToyCompressor())
        return registry
    }

    private static let events: [SnapshotEvent] = [
        .meta(["n": 7]), .beginTable(["n": 2]), .record(["n": 1]), .record(["n": -5]), .endTable,
        .beginTable(["n": 0]), .endTable, .end,
    ]

    private static func write(_ events: [SnapshotEvent], with codec: any StorageCodec) throws -> [UInt8] {
        let sink = BufferSink()
        let writer = try codec.makeWriter(to: sink)
        for event in events { try writer.write(event) }
        return sink.bytes
    }

    private static func read(
        _ bytes: [UInt8], with codec: any StorageCodec, maxReadSize: Int = .max, limits: DecodingLimits = .default
    ) throws -> [SnapshotEvent] {
        let reader = try codec.makeReader(from: BufferSource(bytes, maxReadSize: maxReadSize), limits: limits)
        var events: [SnapshotEvent] = []
        while let event = try reader.next() { events.append(event) }
        return events
    }

    private static func code(_ body: () throws -> Void) -> DictDBError.Code? {
        do {
            try body()
            return nil
        } catch let error as DictDBError {
            return error.code
        } catch {
            return DictDBError.Code(rawValue: "not a DictDBError: \(error)")
        }
    }

    @Test func isNamedAfterItsParts() {
        let codec = CompressedCodec(base: ToyCodec(), compressor: ToyCompressor())
        #expect(codec.name == "toy+blocks")
        #expect(codec.recognizes(prefix: ToyCompressor.magicBytes + [1, 2, 3]))
        #expect(!codec.recognizes(prefix: ToyCodec.magic))
        #expect(!codec.recognizes(prefix: []))
    }

    @Test func registryComposesNamesWithOnePlus() throws {
        let codec = try registry.codec(named: "toy+blocks")
        #expect(codec.name == "toy+blocks")
        #expect(codec is CompressedCodec)
        #expect(try registry.codec(named: "toy").name == "toy")
    }

    @Test func registryNamesTheUnknownPart() {
        for (name, plugin) in [("nope+blocks", "codec:nope"), ("toy+zip", "compressor:zip"), ("+blocks", "codec:")] {
            do {
                _ = try registry.codec(named: name)
                Issue.record("\(name) resolved")
            } catch {
                #expect(error.code == .unknownPlugin, "\(name): \(error)")
                #expect(error.context.plugin == plugin, "\(name): \(error)")
            }
        }
        #expect(throws: DictDBError.self) { try registry.codec(named: "toy+blocks+blocks") }
    }

    @Test func aRegisteredNameWithAPlusWinsOverComposition() throws {
        var registry = registry
        registry.register(codec: ToyCodec(name: "toy+blocks"))
        #expect(!(try registry.codec(named: "toy+blocks") is CompressedCodec))
    }

    @Test func roundTripsThroughTheCompressor() throws {
        let codec = try registry.codec(named: "toy+blocks")
        let bytes = try Self.write(Self.events, with: codec)
        #expect(bytes.starts(with: ToyCompressor.magicBytes))
        #expect(try ToyCompressor().decompress(bytes) == Self.write(Self.events, with: ToyCodec()))
        #expect(try Self.read(bytes, with: codec) == Self.events)
        #expect(try Self.read(bytes, with: codec, maxReadSize: 1) == Self.events)
    }

    @Test func truncatedCompressedInputIsCorrupt() throws {
        let codec = try registry.codec(named: "toy+blocks")
        let bytes = try Self.write(Self.events, with: codec)
        for length in 0..<bytes.count {
            let code = Self.code { _ = try Self.read(Array(bytes.prefix(length)), with: codec) }
            #expect(code == .corrupt, "truncated to \(length): \(String(describing: code))")
        }
    }

    @Test func bytesAfterTheCompressedStreamAreCorrupt() throws {
        let codec = try registry.codec(named: "toy+blocks")
        let bytes = try Self.write(Self.events, with: codec)
        #expect(Self.code { _ = try Self.read(bytes + [0], with: codec) } == .corrupt)
    }

    @Test func decompressionStopsAtTheLimit() throws {
        let codec = try registry.codec(named: "toy+blocks")
        let bytes = try Self.write(Self.events, with: codec)
        let plainSize = try Self.write(Self.events, with: ToyCodec()).count
        let enough = DecodingLimits(decompression: DecompressionLimits(maxOutputBytes: Int64(plainSize)))
        #expect(try Self.read(bytes, with: codec, limits: enough) == Self.events)
        let tooLittle = DecodingLimits(decompression: DecompressionLimits(maxOutputBytes: Int64(plainSize - 1)))
        #expect(Self.code { _ = try Self.read(bytes, with: codec, limits: tooLittle) } == .limitExceeded)
    }

    @Test func singleValuesUseTheBaseCodec() throws {
        let codec = try registry.codec(named: "toy+blocks")
        #expect(try codec.encode(42) == ToyCodec().encode(42))
        #expect(try codec.decode(codec.encode(42), limits: .default) == 42)
    }

    @Test func theWriterFinishesTheStreamOnlyAtEnd() throws {
        let codec = try registry.codec(named: "toy+blocks")
        let sink = BufferSink()
        let writer = try codec.makeWriter(to: sink)
        try writer.write(.meta(["n": 1]))
        #expect(Self.code { try writer.write(.meta(["n": 1])) } == .invalidState)
        try writer.write(.end)
        let finished = sink.bytes
        #expect(finished.suffix(4) == [0, 0, 0, 0])
        #expect(Self.code { try writer.write(.end) } == .invalidState)
        #expect(sink.bytes == finished)
    }

    @Test func detectsPlainAndCompressedFiles() throws {
        let plain = try Self.write(Self.events, with: ToyCodec())
        #expect(try registry.detectCodec(prefix: Array(plain.prefix(16))).name == "toy")
        let compressed = try Self.write(Self.events, with: registry.codec(named: "toy+blocks"))
        let detected = try registry.detectCodec(prefix: Array(compressed.prefix(16)))
        #expect(detected.name == "auto+blocks")
        #expect(try Self.read(compressed, with: detected) == Self.events)
        #expect(try Self.read(compressed, with: detected, maxReadSize: 1) == Self.events)
        #expect(Self.code { _ = try detected.makeWriter(to: BufferSink()) } == .invalidArgument)
        let other = try ToyCompressor().compress(Array("something else entirely".utf8))
        let otherCodec = try registry.detectCodec(prefix: Array(other.prefix(16)))
        #expect(Self.code { _ = try Self.read(other, with: otherCodec) } == .unsupportedFormat)
    }

    @Test func detectionListsWhatIsKnownWhenNothingMatches() {
        do {
            _ = try registry.detectCodec(prefix: Array("PK\u{3}\u{4}".utf8))
            Issue.record("a zip file was detected")
        } catch {
            #expect(error.code == .unsupportedFormat)
            #expect(error.message.contains("toy") && error.message.contains("blocks (b1 0c)"), "\(error)")
            #expect(error.context.found == "50 4b 03 04")
        }
    }

    @Test func bufferSourceHandsOutAtMostMaxReadSize() throws {
        let source = BufferSource([1, 2, 3, 4, 5], maxReadSize: 2)
        var buffer = [UInt8](repeating: 0, count: 4)
        var reads: [Int] = []
        while true {
            let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            reads.append(count)
        }
        #expect(reads == [2, 2, 1])
        #expect(source.position == 5)
        #expect(try BufferSource(Array(repeating: 7, count: 100_000)).readAll().count == 100_000)
        #expect(Self.code { _ = try BufferSource([1, 2, 3]).readAll(maxBytes: 2) } == .limitExceeded)
    }

    @Test func bufferSinkCollectsWrites() throws {
        let sink = BufferSink()
        try sink.write([1, 2])
        try sink.write([3])
        #expect(sink.bytes == [1, 2, 3])
        #expect(sink.take() == [1, 2, 3])
        #expect(sink.bytes.isEmpty)
    }
}

// MARK: - A toy codec and a toy compressor

/// A codec whose records hold one int field `n`: a magic, then one tag byte per event and 8 bytes per int.
private struct ToyCodec: StorageCodec {
    static let magic = Array("TOY!".utf8)
    var name = "toy"

    func recognizes(prefix: [UInt8]) -> Bool { prefix.starts(with: Self.magic) }

    func makeWriter(to sink: any ByteSink) throws(DictDBError) -> any SnapshotWriter { ToyWriter(sink: sink) }

    func makeReader(from source: any ByteSource, limits: DecodingLimits) throws(DictDBError) -> any SnapshotReader {
        ToyReader(source: source)
    }

    func encode(_ value: Value) throws(DictDBError) -> [UInt8] {
        withUnsafeBytes(of: (value.intValue ?? 0).littleEndian, Array.init)
    }

    func decode(_ bytes: [UInt8], limits: DecodingLimits) throws(DictDBError) -> Value {
        guard bytes.count == 8 else { throw DictDBError(.corrupt, "a toy value has 8 bytes") }
        return .int(bytes.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) })
    }
}

private final class ToyWriter: SnapshotWriter {
    let sink: any ByteSink
    var started = false
    var ended = false

    init(sink: any ByteSink) { self.sink = sink }

    func write(_ event: SnapshotEvent) throws(DictDBError) {
        var isMeta = false
        if case .meta = event { isMeta = true }
        guard !ended, started != isMeta else { throw DictDBError(.invalidState, "out of order") }
        var bytes = started ? [] : ToyCodec.magic
        started = true
        switch event {
        case .meta(let record): bytes += [0x4D] + ToyCodec().encodeInt(record["n"])
        case .beginTable(let record): bytes += [0x54] + ToyCodec().encodeInt(record["n"])
        case .record(let record): bytes += [0x52] + ToyCodec().encodeInt(record["n"])
        case .endTable: bytes += [0x45]
        case .end:
            bytes += [0x5A]
            ended = true
        }
        try sink.write(bytes)
    }
}

extension ToyCodec {
    fileprivate func encodeInt(_ value: Value) -> [UInt8] {
        withUnsafeBytes(of: (value.intValue ?? 0).littleEndian, Array.init)
    }
}

private final class ToyReader: SnapshotReader {
    let source: any ByteSource
    var done = false
    var offset: Int64 = 0

    init(source: any ByteSource) { self.source = source }

    private func readByte() throws(DictDBError) -> UInt8? {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 1)
        defer { buffer.deallocate() }
        return try source.read(into: buffer) == 1 ? buffer[0] : nil
    }

    private func bytes(_ count: Int) throws(DictDBError) -> [UInt8] {
        var result: [UInt8] = []
        while result.count < count {
            guard let byte = try readByte() else {
                throw DictDBError(.corrupt, "truncated", context: .init(offset: offset))
            }
            result.append(byte)
            offset += 1
        }
        return result
    }

    private func number() throws(DictDBError) -> Record {
        let raw = try bytes(8)
        return ["n": .int(raw.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) })]
    }

    func next() throws(DictDBError) -> SnapshotEvent? {
        if done { return nil }
        if offset == 0 {
            guard try bytes(4) == ToyCodec.magic else { throw DictDBError(.corrupt, "bad magic") }
        }
        switch try bytes(1)[0] {
        case 0x4D: return .meta(try number())
        case 0x54: return .beginTable(try number())
        case 0x52: return .record(try number())
        case 0x45: return .endTable
        case 0x5A:
            guard try readByte() == nil else {
                throw DictDBError(.corrupt, "trailing bytes", context: .init(offset: offset))
            }
            done = true
            return .end
        default: throw DictDBError(.corrupt, "bad tag", context: .init(offset: offset))
        }
    }
}

/// A compressor whose stream is a magic, then blocks `length (4 bytes LE) | bytes XOR 0x5A`, ended by an
/// empty block.
private struct ToyCompressor: Compressor {
    static let magicBytes: [UInt8] = [0xB1, 0x0C]
    var name: String { "blocks" }
    var magic: [UInt8] { Self.magicBytes }

    func makeCompressionStream() throws(DictDBError) -> any CompressionStream { ToyCompression() }

    func makeDecompressionStream(limits: DecompressionLimits) throws(DictDBError) -> any DecompressionStream {
        ToyDecompression(limit: limits.maxOutputBytes)
    }
}

private final class ToyCompression: CompressionStream {
    var started = false
    var finished = false

    func compress(_ input: UnsafeRawBufferPointer, finish: Bool, into output: inout [UInt8]) throws(DictDBError) {
        guard !finished else { throw DictDBError(.invalidState, "finished") }
        if !started {
            output += ToyCompressor.magicBytes
            started = true
        }
        if !input.isEmpty {
            output += withUnsafeBytes(of: UInt32(input.count).littleEndian, Array.init)
            output += input.map { $0 ^ 0x5A }
        }
        if finish {
            output += [0, 0, 0, 0]
            finished = true
        }
    }
}

private final class ToyDecompression: DecompressionStream {
    let limit: Int64
    var produced: Int64 = 0
    var pending: [UInt8] = []
    var sawMagic = false
    private(set) var isFinished = false

    init(limit: Int64) { self.limit = limit }

    func decompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(DictDBError) {
        guard !input.isEmpty else { return }
        guard !isFinished else { throw DictDBError(.corrupt, "bytes after the end") }
        pending += input
        if !sawMagic {
            guard pending.count >= 2 else { return }
            guard Array(pending.prefix(2)) == ToyCompressor.magicBytes else { throw DictDBError(.corrupt, "magic") }
            pending.removeFirst(2)
            sawMagic = true
        }
        while pending.count >= 4 {
            let length = Int(pending.prefix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            if length == 0 {
                pending.removeFirst(4)
                isFinished = true
                guard pending.isEmpty else { throw DictDBError(.corrupt, "bytes after the end") }
                return
            }
            guard pending.count >= 4 + length else { return }
            guard produced + Int64(length) <= limit else { throw DictDBError(.limitExceeded, "limit") }
            produced += Int64(length)
            output += pending[4..<4 + length].map { $0 ^ 0x5A }
            pending.removeFirst(4 + length)
        }
    }
}
