import DictDBAPI
import Testing

@testable import Engine

@Suite struct JournalFormatTests {
    func journal(records count: Int, base: UInt64 = 10) -> (bytes: [UInt8], offsets: [Int]) {
        var bytes = JournalFormat.encodeHeader(.init(generation: 3, baseSequence: base))
        var offsets: [Int] = []
        for i in 0..<count {
            offsets.append(bytes.count)
            let payload = Array("change \(i) ".utf8) + Array(repeating: UInt8(i & 0xFF), count: i % 7)
            bytes += JournalFormat.encode(.init(type: .commit, sequence: base + 1 + UInt64(i), payload: payload))
        }
        return (bytes, offsets)
    }

    @Test func aCleanJournalYieldsEveryRecordInOrder() throws {
        let (bytes, _) = journal(records: 50)
        let scan = try JournalScan.scan(bytes, path: "j")
        #expect(scan.header == .init(generation: 3, baseSequence: 10))
        #expect(scan.records.count == 50)
        #expect(scan.records.map(\.sequence) == Array(11...60))
        #expect(scan.records[3].payload == Array("change 3 ".utf8) + [3, 3, 3])
        #expect(scan.ending == .clean)
        #expect(scan.validEnd == bytes.count)
    }

    @Test func everyTruncationInsideTheLastRecordIsATornTail() throws {
        let (bytes, offsets) = journal(records: 5)
        let last = offsets[4]
        for cut in last..<bytes.count {
            let scan = try JournalScan.scan(Array(bytes[..<cut]), path: "j")
            #expect(scan.records.count == 4)
            #expect(scan.validEnd == last)
            if cut > last { #expect(scan.ending != .clean) } else { #expect(scan.ending == .clean) }
            if case .damaged = scan.ending { Issue.record("a cut at \(cut) is not damage in the middle") }
        }
    }

    @Test func zerosOrGarbageAfterTheLastRecordAreATornTail() throws {
        let (bytes, _) = journal(records: 3)
        for tail in [
            [UInt8](repeating: 0, count: 4096), Array("garbage".utf8), [0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4, 5],
        ] {
            let scan = try JournalScan.scan(bytes + tail, path: "j")
            #expect(scan.records.count == 3)
            guard case .tornTail(let offset, _) = scan.ending else {
                Issue.record("expected a torn tail, got \(scan.ending)")
                continue
            }
            #expect(offset == bytes.count)
        }
    }

    @Test func everyBitFlipInAMiddleRecordIsDamageFollowedByValidRecords() throws {
        let (bytes, offsets) = journal(records: 6)
        for position in offsets[2]..<offsets[3] {
            for bit in 0..<8 {
                var damaged = bytes
                damaged[position] ^= UInt8(1 << bit)
                let scan = try JournalScan.scan(damaged, path: "j")
                #expect(scan.records.count == 2, "byte \(position) bit \(bit)")
                guard case .damaged(let offset, _, let next) = scan.ending else {
                    Issue.record("byte \(position) bit \(bit): expected damage, got \(scan.ending)")
                    continue
                }
                #expect(offset == offsets[2])
                #expect(next == offsets[3])
            }
        }
    }

    @Test func aSequenceGapOrRepeatIsNotAcceptedAsValid() throws {
        var bytes = JournalFormat.encodeHeader(.init(generation: 1, baseSequence: 0))
        bytes += JournalFormat.encode(.init(type: .commit, sequence: 1, payload: [1]))
        let gapAt = bytes.count
        bytes += JournalFormat.encode(.init(type: .commit, sequence: 3, payload: [3]))
        let scan = try JournalScan.scan(bytes, path: "j")
        #expect(scan.records.map(\.sequence) == [1])
        #expect(scan.validEnd == gapAt)
        #expect(scan.ending != .clean)
    }

    @Test func badHeadersAreTypedErrors() {
        let good = JournalFormat.encodeHeader(.init(generation: 1, baseSequence: 0))
        var badMagic = good
        badMagic[0] = 0x58
        var badVersion = good
        badVersion[4] = 9
        var badChecksum = good
        badChecksum[10] ^= 1
        let cases: [([UInt8], DictDBError.Code)] = [
            ([], .corrupt), (Array(good.prefix(20)), .corrupt), (badMagic, .unsupportedFormat),
            (badVersion, .unsupportedFormat), (badChecksum, .corrupt),
        ]
        for (bytes, code) in cases {
            #expect(throws: DictDBError.self) { try JournalScan.scan(bytes, path: "j") }
            do {
                _ = try JournalScan.scan(bytes, path: "j")
            } catch {
                #expect(error.code == code)
                #expect(error.context.path == "j")
            }
        }
    }

    @Test func hugeDeclaredLengthsAreDamageNotAllocations() throws {
        var bytes = JournalFormat.encodeHeader(.init(generation: 1, baseSequence: 0))
        bytes += [0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 20)
        let scan = try JournalScan.scan(bytes, path: "j")
        #expect(scan.records.isEmpty)
        #expect(scan.ending != .clean)
    }

    @Test func crc32cMatchesTheStandardCheckValueAndMaskingRoundTrips() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        for value: UInt32 in [0, 1, 0xDEAD_BEEF, .max] { #expect(CRC32C.unmask(CRC32C.mask(value)) == value) }
    }
}

@Suite struct CRC32CTests {
    /// The eight-bytes-per-step CRC equals the plain byte-at-a-time definition for every length and
    /// alignment, and extends across split buffers.
    @Test func slicingAgreesWithTheBitwiseDefinition() {
        func bitwise(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                c ^= UInt32(byte)
                for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            }
            return ~c
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let bytes = (0..<300).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        for start in 0..<9 {
            for end in start...bytes.count where (end - start) % 7 == 0 || end - start < 20 {
                let slice = bytes[start..<end]
                #expect(CRC32C.checksum(Array(slice)) == bitwise(slice))
            }
        }
        let split = 37
        let whole = CRC32C.checksum(bytes)
        let first = bytes[..<split].withUnsafeBytes { CRC32C.update(0, $0) }
        #expect(bytes[split...].withUnsafeBytes { CRC32C.update(first, $0) } == whole)
    }
}
