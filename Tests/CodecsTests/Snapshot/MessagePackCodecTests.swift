import Codecs
import DictDBAPI
import Foundation
import Testing

/// What the `msgpack` codec writes and what it accepts, beyond the shared contract.
@Suite struct MessagePackCodecTests {
    private let codec = MessagePackCodec()

    private func decode(_ bytes: [UInt8], limits: DecodingLimits = .default) throws -> Value {
        try codec.decode(bytes, limits: limits)
    }

    @Test func writesIntegersInTheirSmallestEncoding() throws {
        let cases: [(Int64, [UInt8])] = [
            (0, [0x00]), (127, [0x7F]), (128, [0xCC, 0x80]), (255, [0xCC, 0xFF]), (256, [0xCD, 0x01, 0x00]),
            (65535, [0xCD, 0xFF, 0xFF]), (65536, [0xCE, 0x00, 0x01, 0x00, 0x00]),
            (4_294_967_296, [0xCF, 0, 0, 0, 1, 0, 0, 0, 0]), (-1, [0xFF]), (-32, [0xE0]), (-33, [0xD0, 0xDF]),
            (-128, [0xD0, 0x80]), (-129, [0xD1, 0xFF, 0x7F]), (-32769, [0xD2, 0xFF, 0xFF, 0x7F, 0xFF]),
            (.min, [0xD3, 0x80, 0, 0, 0, 0, 0, 0, 0]), (.max, [0xCF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
        ]
        for (value, bytes) in cases {
            #expect(try codec.encode(.int(value)) == bytes, "\(value)")
            #expect(ExactValue.equal(try decode(bytes), .int(value)))
        }
    }

    @Test func writesDoublesAsFloat64AndStringsAsStr() throws {
        #expect(
            try codec.encode(.double(30103.0)) == [0xCB] + withUnsafeBytes(of: 30103.0.bitPattern.bigEndian, Array.init)
        )
        #expect(try codec.encode(.double(1.0)) == [0xCB, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0])
        #expect(try codec.encode("") == [0xA0])
        #expect(try codec.encode(.string(String(repeating: "a", count: 31))).prefix(1) == [0xBF])
        #expect(try codec.encode(.string(String(repeating: "a", count: 32))).prefix(2) == [0xD9, 32])
        #expect(try codec.encode(.string(String(repeating: "a", count: 256))).prefix(3) == [0xDA, 0x01, 0x00])
        #expect(try codec.encode(.string(String(repeating: "a", count: 65536))).prefix(5) == [0xDB, 0, 1, 0, 0])
        #expect(try codec.encode([.null, true, false]) == [0x93, 0xC0, 0xC3, 0xC2])
        #expect(try codec.encode(["b": 1, "a": 2]) == [0x82, 0xA1, 0x62, 0x01, 0xA1, 0x61, 0x02])
        let big = Value.array(Array(repeating: .null, count: 70_000))
        #expect(try codec.encode(big).prefix(5) == [0xDD, 0, 1, 0x11, 0x70])
        #expect(ExactValue.equal(try decode(codec.encode(big)), big))
    }

    @Test func readsOtherStandardForms() throws {
        #expect(ExactValue.equal(try decode([0xCA, 0x3F, 0xC0, 0x00, 0x00]), .double(1.5)))
        #expect(ExactValue.equal(try decode([0xCC, 0x05]), .int(5)))
        #expect(ExactValue.equal(try decode([0xD3, 0, 0, 0, 0, 0, 0, 0, 5]), .int(5)))
        #expect(ExactValue.equal(try decode([0xD9, 0x02, 0x68, 0x69]), .string("hi")))
        #expect(ExactValue.equal(try decode([0xDC, 0x00, 0x01, 0x01]), .array([1])))
        #expect(ExactValue.equal(try decode([0xDE, 0x00, 0x01, 0xA1, 0x61, 0xC0]), .object(["a": .null])))
    }

    @Test func rejectsWhatHasNoDictDBValue() throws {
        let cases: [([UInt8], DictDBError.Code)] = [
            ([0xCF, 0x80, 0, 0, 0, 0, 0, 0, 0], .invalidValue),
            ([0xCB, 0x7F, 0xF8, 0, 0, 0, 0, 0, 0], .invalidValue),
            ([0xCA, 0x7F, 0x80, 0x00, 0x00], .invalidValue),
            ([0xC4, 0x01, 0x00], .unsupportedFormat),
            ([0xD4, 0x01, 0x00], .unsupportedFormat),
            ([0xC1], .corrupt),
            ([0x81, 0x01, 0x02], .corrupt),
            ([0x82, 0xA1, 0x61, 0x01, 0xA1, 0x61, 0x02], .corrupt),
            ([0xA2, 0xC3, 0x28], .corrupt),
            ([0x01, 0x02], .corrupt),
            ([0x92, 0x01], .corrupt),
            ([], .corrupt),
        ]
        for (bytes, code) in cases {
            expectError(code, "\(bytes)") { _ = try decode(bytes) }
        }
    }

    @Test func refusesHugeDeclaredLengthsWithoutAllocating() throws {
        let huge: [[UInt8]] = [
            [0xDB, 0xFF, 0xFF, 0xFF, 0xFF, 0x61], [0xDD, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], [0xDF, 0xFF, 0xFF, 0xFF, 0xFF],
        ]
        for bytes in huge {
            expectError(.limitExceeded, "\(bytes)") { _ = try decode(bytes) }
            let file = [0x83, 0xA5] + Array("_meta".utf8) + [0x81, 0xA1, 0x61] + bytes
            expectError(.limitExceeded, "\(bytes)") { _ = try SnapshotIO.read(file, with: codec) }
        }
        // Within the limits but longer than the input: the read stops at the end of the input.
        for bytes in [[0xDB, 0x0F, 0xFF, 0xFF, 0xFF, 0x61], [0xDD, 0x0F, 0xFF, 0xFF, 0xFF, 0x01]] as [[UInt8]] {
            expectError(.corrupt, "\(bytes)") { _ = try decode(bytes) }
        }
        let file =
            [0x83, 0xA5] + Array("_meta".utf8) + [0x81, 0xA1, 0x61, 0xDB, 0x0F, 0xFF, 0xFF, 0xFF]
            + [UInt8](repeating: 0x61, count: 200_000)
        expectError(.corrupt) { _ = try SnapshotIO.read(file, with: codec) }
    }

    @Test func writerNeedsCountsThatMatchTheEvents() throws {
        func writer() throws -> any SnapshotWriter { try codec.makeWriter(to: BufferSink()) }
        expectError(.invalidState, "no tableCount") { try writer().write(.meta(["format": "dictdb"])) }
        expectError(.invalidState, "tableCount not an int") { try writer().write(.meta(["tableCount": 1.0])) }
        expectError(.invalidState, "negative tableCount") { try writer().write(.meta(["tableCount": -1])) }

        let tooFewTables = try writer()
        try tooFewTables.write(.meta(["tableCount": 1]))
        expectError(.invalidState) { try tooFewTables.write(.end) }

        let tooManyTables = try writer()
        try tooManyTables.write(.meta(["tableCount": 0]))
        expectError(.invalidState) { try tooManyTables.write(.beginTable(["recordCount": 0])) }

        let noRecordCount = try writer()
        try noRecordCount.write(.meta(["tableCount": 1]))
        expectError(.invalidState) { try noRecordCount.write(.beginTable(["name": "t"])) }
        // The rejected event changed nothing: a correct one still goes through.
        try noRecordCount.write(.beginTable(["name": "t", "recordCount": 1]))
        expectError(.invalidState) { try noRecordCount.write(.endTable) }
        try noRecordCount.write(.record(["a": 1]))
        expectError(.invalidState) { try noRecordCount.write(.record(["a": 2])) }
        try noRecordCount.write(.endTable)
        try noRecordCount.write(.end)
    }

    @Test func readerChecksTheDeclaredCounts() throws {
        func file(tableCount: Int, tables: Int, recordCount: Int, records: Int) -> [UInt8] {
            var bytes: [UInt8] = [0x83, 0xA5] + Array("_meta".utf8)
            bytes += [0x81, 0xAA] + Array("tableCount".utf8) + [UInt8(tableCount)]
            bytes += [0xA6] + Array("tables".utf8) + [0x90 | UInt8(tables)]
            for _ in 0..<tables {
                bytes +=
                    [0x82, 0xA5] + Array("table".utf8) + [0x81, 0xAB] + Array("recordCount".utf8) + [UInt8(recordCount)]
                bytes +=
                    [0xA7] + Array("records".utf8) + [0x90 | UInt8(records)] + [UInt8](repeating: 0x80, count: records)
            }
            let crc = CRC32.checksum(bytes)
            return bytes + [0xA8] + Array("checksum".utf8) + [0xCE] + withUnsafeBytes(of: crc.bigEndian, Array.init)
        }
        #expect(
            try SnapshotIO.read(file(tableCount: 1, tables: 1, recordCount: 2, records: 2), with: codec).tables.count
                == 1)
        expectError(.corrupt) {
            _ = try SnapshotIO.read(file(tableCount: 2, tables: 1, recordCount: 2, records: 2), with: codec)
        }
        expectError(.corrupt) {
            _ = try SnapshotIO.read(file(tableCount: 1, tables: 1, recordCount: 3, records: 2), with: codec)
        }
    }

    @Test func writesTheDocumentedLayoutWithACRC32OfTheBytesBeforeTheChecksumKey() throws {
        let bytes = try SnapshotIO.write(.small, with: codec)
        #expect(bytes.starts(with: [0x83, 0xA5] + Array("_meta".utf8)))
        let trailer = Array(bytes.suffix(14))
        #expect(Array(trailer.prefix(10)) == [0xA8] + Array("checksum".utf8) + [0xCE])
        let stored = trailer.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(stored == CRC32.checksum(Array(bytes.dropLast(14))))
        #expect(codec.recognizes(prefix: Array(bytes.prefix(16))))
        #expect(!codec.recognizes(prefix: [0x83, 0xA5] + Array("_meta".utf8).dropLast()))
        #expect(!codec.recognizes(prefix: Array(#"{"_meta":{}}"#.utf8)))
    }

    @Test func readsASmallerChecksumEncodingFromOtherWriters() throws {
        // Some encoders write a uint32 that fits in 16 bits as uint16; the value is what counts.
        var bytes: [UInt8] = [0x83, 0xA5] + Array("_meta".utf8) + [0x81, 0xAA] + Array("tableCount".utf8) + [0x00]
        bytes += [0xA6] + Array("tables".utf8) + [0x90]
        let crc = CRC32.checksum(bytes)
        let value: [UInt8] =
            crc <= 0xFFFF
            ? [0xCD, UInt8(crc >> 8), UInt8(crc & 0xFF)] : [0xCE] + withUnsafeBytes(of: crc.bigEndian, Array.init)
        let file = bytes + [0xA8] + Array("checksum".utf8) + value
        #expect(try SnapshotIO.read(file, with: codec).tables.isEmpty)
    }
}
