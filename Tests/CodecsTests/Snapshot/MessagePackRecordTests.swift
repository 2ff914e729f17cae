import Codecs
import DictDBAPI
import Foundation
import Testing

/// How the `msgpack` reader reads a table's records: a record with the keys of the record before it and
/// only scalar values is read in one pass over the buffered bytes, and everything else the general way.
/// Both ways must give the same records and, for damaged input, the same errors at the same offsets.
@Suite struct MessagePackRecordTests {
    private let codec = MessagePackCodec()

    /// Encoded values of every scalar form, and some the one-pass read leaves to the general one: invalid
    /// numbers and UTF-8, containers, `bin`, `ext` and the unused type byte.
    private static let values: [[UInt8]] = [
        [0x05], [0x7F], [0xE0], [0xFF], [0xCC, 0xC8], [0xCD, 0x01, 0x00], [0xCE, 0x00, 0x01, 0x00, 0x00],
        [0xCF, 0, 0, 0, 1, 0, 0, 0, 0], [0xCF, 0x80, 0, 0, 0, 0, 0, 0, 0], [0xD0, 0x80], [0xD1, 0xFF, 0x7F],
        [0xD2, 0xFF, 0xFF, 0x7F, 0xFF], [0xD3, 0x80, 0, 0, 0, 0, 0, 0, 0], [0xCA, 0x3F, 0xC0, 0x00, 0x00],
        [0xCA, 0x7F, 0x80, 0x00, 0x00], [0xCB, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0], [0xCB, 0x7F, 0xF8, 0, 0, 0, 0, 0, 0],
        [0xCB, 0x80, 0, 0, 0, 0, 0, 0, 0], [0xC0], [0xC2], [0xC3], [0xA0], [0xA2] + Array("hi".utf8),
        [0xA7] + Array("1234567".utf8), [0xA8] + Array("12345678".utf8), [0xAF] + Array("123456789012345".utf8),
        [0xB0] + Array("1234567890123456".utf8), [0xBF] + Array(String(repeating: "z", count: 31).utf8),
        [0xD9, 0x02] + Array("hi".utf8), [0xDA, 0x00, 0x03] + Array("hey".utf8),
        [0xDB, 0x00, 0x00, 0x00, 0x03] + Array("abc".utf8), [0xA2, 0xC3, 0xA9], [0xA4, 0xF0, 0x9F, 0x98, 0x80],
        [0xB1] + Array("caf\u{e9} cr\u{e8}me br\u{fb}l\u{e9}".utf8), [0xA2, 0xC3, 0x28], [0xA1, 0xFF],
        [0xA3, 0xF0, 0x9F, 0x98], [0x92, 0x01, 0xA1, 0x61], [0x81, 0xA1, 0x61, 0x01], [0x90], [0x80],
        [0xC4, 0x01, 0x00], [0xD4, 0x01, 0x00], [0xC1],
    ]

    /// Record keys: short ones, one of exactly 7 bytes, a longer one, a non-ASCII one.
    private static let keys: [[UInt8]] = [
        [0xA2] + Array("id".utf8), [0xA4] + Array("name".utf8), [0xA7] + Array("salary1".utf8),
        [0xAF] + Array("a-long-key-name".utf8), [0xA2, 0xC3, 0xA9],
    ]

    /// A record of `keys` holding `values`.
    private static func record(_ values: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = [0x80 | UInt8(values.count)]
        for (key, value) in zip(keys, values) { bytes += key + value }
        return bytes
    }

    /// A snapshot of one table holding `records` (already encoded) and a valid checksum.
    private static func snapshot(_ records: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = [0x83, 0xA5] + Array("_meta".utf8)
        bytes += [0x81, 0xAA] + Array("tableCount".utf8) + [0x01]
        bytes += [0xA6] + Array("tables".utf8) + [0x91]
        bytes += [0x82, 0xA5] + Array("table".utf8)
        bytes += [0x81, 0xAB] + Array("recordCount".utf8) + [UInt8(records.count)]
        bytes += [0xA7] + Array("records".utf8) + [0x90 | UInt8(records.count)]
        for record in records { bytes += record }
        let crc = CRC32.checksum(bytes)
        return bytes + [0xA8] + Array("checksum".utf8) + [0xCE] + withUnsafeBytes(of: crc.bigEndian, Array.init)
    }

    /// The records read from `bytes`, or the error's code and offset.
    private func outcome(_ bytes: [UInt8], maxReadSize: Int) -> Result<[Record], DictDBError> {
        do {
            let content = try SnapshotIO.read(bytes, with: codec, maxReadSize: maxReadSize)
            return .success(content.tables.first?.records ?? [])
        } catch let error as DictDBError {
            return .failure(error)
        } catch {
            Issue.record("a non-DictDBError \(error)")
            return .success([])
        }
    }

    /// Reads `candidate` right after a record of the same keys (so the one-pass read tries it) and right
    /// after a record of other keys (so the general read takes it), and expects the same outcome.
    private func expectSameOutcome(_ candidate: [UInt8], _ comment: String, sourceLocation: SourceLocation) {
        let first = Self.record(Array(repeating: [0x01], count: Self.keys.count))
        let other: [UInt8] = [0x81, 0xA2] + Array("zz".utf8) + [0x01]
        let following = Self.snapshot([first, candidate])
        let general = Self.snapshot([first, other, candidate])
        for maxReadSize in [Int.max, 61, 5] {
            let note = "\(comment), reads of at most \(maxReadSize) bytes"
            switch (outcome(following, maxReadSize: maxReadSize), outcome(general, maxReadSize: maxReadSize)) {
            case (.success(let a), .success(let b)):
                #expect(a.count == 2 && b.count == 3, "\(note)", sourceLocation: sourceLocation)
                if a.count == 2, b.count == 3 {
                    #expect(ExactValue.equal(a[1], b[2]), "\(note): \(a[1]) vs \(b[2])", sourceLocation: sourceLocation)
                }
            case (.failure(let a), .failure(let b)):
                #expect(a.code == b.code, "\(note): \(a) vs \(b)", sourceLocation: sourceLocation)
                #expect(
                    a.context.offset.map { $0 + Int64(other.count) } == b.context.offset, "\(note): \(a) vs \(b)",
                    sourceLocation: sourceLocation)
            case (.success, .failure(let error)):
                Issue.record(
                    "\(note): read after a record of the same keys, failed otherwise: \(error)",
                    sourceLocation: sourceLocation)
            case (.failure(let error), .success):
                Issue.record(
                    "\(note): failed after a record of the same keys: \(error)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func readsEveryValueFormAfterARecordOfTheSameKeysAsAfterOtherKeys() {
        for (index, value) in Self.values.enumerated() {
            for field in Self.keys.indices {
                var values = Array(repeating: [UInt8]([0x02]), count: Self.keys.count)
                values[field] = value
                expectSameOutcome(
                    Self.record(values), "value \(index) in field \(field)", sourceLocation: #_sourceLocation)
            }
        }
    }

    @Test func readsValidRecordsAsTheirValues() throws {
        let values: [[UInt8]] = [
            [0xCD, 0x01, 0x00], [0xA2, 0xC3, 0xA9], [0xCB, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0], [0xC3], [0xC0],
        ]
        let expected: Record = ["id": 256, "name": "\u{e9}", "salary1": 1.5, "a-long-key-name": true, "\u{e9}": .null]
        let first = Self.record(Array(repeating: [0x01], count: Self.keys.count))
        for maxReadSize in [Int.max, 7, 1] {
            let records = try SnapshotIO.read(
                Self.snapshot([first, Self.record(values), Self.record(values)]), with: codec, maxReadSize: maxReadSize
            ).tables[0].records
            #expect(records.count == 3)
            for record in records.dropFirst() { #expect(ExactValue.equal(record, expected), "\(record)") }
        }
    }

    @Test func readsDamagedRecordsAfterARecordOfTheSameKeysAsAfterOtherKeys() {
        var random = SeededGenerator(seed: 0x5EED_0F_4EC0D)
        for trial in 0..<600 {
            let values = Self.keys.indices.map { _ in Self.values[Int(random.next() % UInt64(Self.values.count))] }
            var bytes = Self.record(values)
            switch trial % 3 {
            case 0:
                for _ in 0...(random.next() % 3) {
                    bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                }
            case 1:
                bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))
            default:
                bytes[0] = 0x80 | UInt8(random.next() % 8)
            }
            expectSameOutcome(bytes, "trial \(trial): \(bytes)", sourceLocation: #_sourceLocation)
        }
    }

    @Test func readsManyRecordsAcrossChunkBoundaries() throws {
        var random = SeededGenerator(seed: 7)
        var records: [Record] = []
        for id in 0..<6000 {
            let text = String(repeating: "x\u{e9}", count: Int(random.next() % 40))
            var record: Record = ["id": .int(Int64(id)), "name": .string(text), "score": .double(Double(id) / 7)]
            if id % 997 == 0 { record["extra"] = ["nested": [1, 2]] }
            if id % 1499 == 0 { record["big"] = .string(String(repeating: "b", count: 70_000)) }
            records.append(record)
        }
        let content = SnapshotContent(
            meta: ["tableCount": 1],
            tables: [.init(header: ["recordCount": .int(Int64(records.count))], records: records)])
        let bytes = try SnapshotIO.write(content, with: codec)
        for maxReadSize in [Int.max, 4093] {
            let read = try SnapshotIO.read(bytes, with: codec, maxReadSize: maxReadSize)
            #expect(read.isIdentical(to: content))
        }
    }
}
