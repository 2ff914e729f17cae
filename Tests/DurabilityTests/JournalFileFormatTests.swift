import DictDB
import Testing

@testable import Engine

/// Every journal layout, with the codec its bodies use: the contract tests run once per case.
enum JournalLayout: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case binaryMessagePack = "binary+msgpack"
    case binaryJSON = "binary+json"
    case ndjson

    var testDescription: String { rawValue }

    /// The layout, with `limits` for decoding bodies.
    func make(limits: DecodingLimits = .default) throws(DictDBError) -> any JournalFileFormat {
        let registry = Registry.standard
        switch self {
        case .binaryMessagePack: return BinaryJournalFormat(codec: try registry.codec(named: "msgpack"), limits: limits)
        case .binaryJSON: return BinaryJournalFormat(codec: try registry.codec(named: "json"), limits: limits)
        case .ndjson: return NDJSONJournalFormat(jsonCodec: try registry.codec(named: "json"), limits: limits)
        }
    }
}

/// A journal file built in memory, with where each entry starts.
struct SampleJournal {
    var header: JournalFormat.Header
    var bytes: [UInt8]
    /// The offset of each entry, in order.
    var offsets: [Int]
    var entries: [JournalEntry]

    /// The offset just after the header.
    var headerEnd: Int { offsets.first ?? bytes.count }

    /// The bytes of entry `index`.
    func entryBytes(_ index: Int) -> [UInt8] {
        Array(bytes[offsets[index]..<(index + 1 < offsets.count ? offsets[index + 1] : bytes.count)])
    }

    /// Writes `count` entries of alternating types with varied bodies.
    init(
        _ format: any JournalFileFormat, entries count: Int, generation: UInt64 = 7, baseSequence: UInt64 = 40
    ) throws(DictDBError) {
        header = JournalFormat.Header(generation: generation, baseSequence: baseSequence)
        bytes = format.encodeHeader(header)
        offsets = []
        entries = []
        for index in 0..<count {
            let entry = JournalEntry(
                type: index % 3 == 2 ? .catalog : .commit, sequence: baseSequence + 1 + UInt64(index),
                body: sampleBody(index))
            offsets.append(bytes.count)
            bytes += format.frame(
                type: entry.type, sequence: entry.sequence, encodedBody: try format.encodeBody(entry.body))
            entries.append(entry)
        }
    }
}

/// A body that differs with `index`: nested objects and arrays, unicode, empty and escaped strings, extreme
/// integers, doubles, and a field that looks like an entry's checksum.
func sampleBody(_ index: Int) -> Value {
    let strings = [
        "", "Ada", "é and e\u{301}", "日本語 🦊", "line\nbreak\ttab\u{0}nul\u{1F}", #"quote " and \ backslash"#,
        #",\"crc\":12}"#, String(repeating: "x", count: index * 7),
    ]
    let numbers: [Value] = [
        .int(Int64.max), .int(Int64.min), .int(0), .int(-1), .double(30103.0), .double(0.1), .double(-2.5e-300),
        .double(1.7976931348623157e308), .double(.leastNonzeroMagnitude),
    ]
    var nested = Record()
    nested.setField("crc", to: .int(Int64(index)))
    nested.setField("tags", to: .array([.string(strings[index % strings.count]), .null, .bool(index % 2 == 0)]))
    nested.setField("deeper", to: .object(["n": numbers[(index + 3) % numbers.count], "empty": .object(Record())]))
    var body = Record()
    body.setField("table", to: .string(index % 3 == 2 ? "catalog" : "users"))
    body.setField("id", to: numbers[index % numbers.count])
    body.setField("name", to: .string(strings[(index + 1) % strings.count]))
    body.setField("", to: .string(""))
    body.setField(
        "changes", to: .array((0..<(index % 4)).map { Value.object(["i": .int(Int64($0)), "v": .double(1.5)]) }))
    body.setField("nested", to: .object(nested))
    return .object(body)
}

/// Whether two values are the same to the bit: ints stay ints, doubles keep their bit pattern, strings
/// their exact UTF-8, objects their field order.
func identical(_ lhs: Value, _ rhs: Value) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.int(let a), .int(let b)): return a == b
    case (.double(let a), .double(let b)): return a.bitPattern == b.bitPattern
    case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)
    case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { identical($0, $1) }
    case (.object(let a), .object(let b)):
        return a.fieldNames.count == b.fieldNames.count
            && zip(a.fieldNames, b.fieldNames).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
            && zip(a.values, b.values).allSatisfy { identical($0, $1) }
    default: return false
    }
}

/// Whether `entries` are exactly the first `entries.count` of `originals`.
func isExactPrefix(_ entries: [JournalEntry], of originals: [JournalEntry]) -> Bool {
    entries.count <= originals.count
        && zip(entries, originals).allSatisfy {
            $0.type == $1.type && $0.sequence == $1.sequence && identical($0.body, $1.body)
        }
}

/// A small deterministic generator (SplitMix64), so a failing fuzz case can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct JournalFileFormatTests {
    let path = "/journals/000007.journal"

    @Test(arguments: JournalLayout.allCases)
    func roundTripsTheHeaderAndEntriesOfBothTypes(_ layout: JournalLayout) throws {
        let format = try layout.make()
        for (count, base) in [(0, UInt64(0)), (1, 0), (60, 40), (5, UInt64(Int64.max) + 10)] {
            let journal = try SampleJournal(format, entries: count, generation: 3 + base, baseSequence: base)
            let scan = try format.scan(journal.bytes, path: path)
            #expect(scan.header == journal.header)
            #expect(scan.entries.count == count)
            #expect(isExactPrefix(scan.entries, of: journal.entries))
            #expect(scan.validEnd == journal.bytes.count)
            #expect(scan.ending == .clean)
        }
    }

    @Test(arguments: JournalLayout.allCases)
    func everyTruncationOfTheLastEntryIsATornTail(_ layout: JournalLayout) throws {
        let format = try layout.make()
        let journal = try SampleJournal(format, entries: 5)
        let last = journal.offsets[4]
        for cut in last..<journal.bytes.count {
            let scan = try format.scan(Array(journal.bytes[..<cut]), path: path)
            #expect(isExactPrefix(scan.entries, of: journal.entries) && scan.entries.count == 4, "cut at \(cut)")
            #expect(scan.validEnd == last)
            if cut == last {
                #expect(scan.ending == .clean)
            } else if case .tornTail(let offset, _) = scan.ending {
                #expect(offset == last)
            } else {
                Issue.record("cut at \(cut): expected a torn tail, got \(scan.ending)")
            }
        }
    }

    @Test(arguments: JournalLayout.allCases)
    func garbageOrAStaleEntryAfterTheLastEntryIsATornTail(_ layout: JournalLayout) throws {
        let format = try layout.make()
        let journal = try SampleJournal(format, entries: 3)
        let tails: [[UInt8]] = [
            [UInt8](repeating: 0, count: 600), Array("garbage\n\n{}\n".utf8), [0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4, 5],
            Array("junk\n".utf8) + journal.entryBytes(0),
        ]
        for tail in tails {
            let scan = try format.scan(journal.bytes + tail, path: path)
            #expect(isExactPrefix(scan.entries, of: journal.entries) && scan.entries.count == 3)
            #expect(scan.validEnd == journal.bytes.count)
            guard case .tornTail(let offset, _) = scan.ending else {
                Issue.record("expected a torn tail, got \(scan.ending)")
                continue
            }
            #expect(offset == journal.bytes.count)
        }
    }

    @Test(arguments: JournalLayout.allCases)
    func aBitFlipInAMiddleEntryIsDamageBeforeTheNextEntry(_ layout: JournalLayout) throws {
        let format = try layout.make()
        let journal = try SampleJournal(format, entries: 6)
        let (start, next) = (journal.offsets[2], journal.offsets[3])
        for position in start..<next {
            for bit in 0..<8 {
                var bytes = journal.bytes
                bytes[position] ^= UInt8(1 << bit)
                let scan = try format.scan(bytes, path: path)
                #expect(isExactPrefix(scan.entries, of: journal.entries) && scan.entries.count == 2)
                #expect(scan.validEnd == start)
                // A lost newline joins the entry to the next line, so the first valid line is the one after.
                let firstValid = layout == .ndjson && position == next - 1 ? journal.offsets[4] : next
                guard case .damaged(let offset, _, let nextValidOffset) = scan.ending else {
                    Issue.record("byte \(position) bit \(bit): expected damage, got \(scan.ending)")
                    continue
                }
                #expect(offset == start, "byte \(position) bit \(bit)")
                #expect(nextValidOffset == firstValid, "byte \(position) bit \(bit)")
            }
        }
    }

    @Test(arguments: JournalLayout.allCases)
    func aBitFlipInTheLastEntryIsATornTail(_ layout: JournalLayout) throws {
        let format = try layout.make()
        let journal = try SampleJournal(format, entries: 4)
        let last = journal.offsets[3]
        for position in last..<journal.bytes.count {
            var bytes = journal.bytes
            bytes[position] ^= UInt8(1 << (position % 8))
            let scan = try format.scan(bytes, path: path)
            #expect(isExactPrefix(scan.entries, of: journal.entries) && scan.entries.count == 3)
            guard case .tornTail(let offset, _) = scan.ending else {
                Issue.record("byte \(position): expected a torn tail, got \(scan.ending)")
                continue
            }
            #expect(offset == last)
        }
    }

    @Test(arguments: JournalLayout.allCases)
    func aSkippedOrRepeatedSequenceEndsTheValidEntries(_ layout: JournalLayout) throws {
        let format = try layout.make()
        let header = JournalFormat.Header(generation: 1, baseSequence: 0)
        let body = try format.encodeBody(["k": 1])
        let first = format.frame(type: .commit, sequence: 1, encodedBody: body)
        let start = format.encodeHeader(header).count + first.count
        for sequences: [UInt64] in [[3], [1], [0], [3, 4], [1, 2], [0, 1], [1, 1]] {
            var bytes = format.encodeHeader(header) + first
            var offsets: [Int] = []
            for sequence in sequences {
                offsets.append(bytes.count)
                bytes += format.frame(type: .catalog, sequence: sequence, encodedBody: body)
            }
            let scan = try format.scan(bytes, path: path)
            #expect(scan.entries.map(\.sequence) == [1], "\(sequences)")
            #expect(scan.validEnd == start)
            // Only a later entry at or after the sequence due (2) counts as valid data after the bad one.
            let laterValid = sequences.count == 2 && sequences[1] >= 2
            switch scan.ending {
            case .damaged(let offset, _, let next):
                #expect(laterValid && offset == start && next == offsets[1], "\(sequences)")
            case .tornTail(let offset, _):
                #expect(!laterValid && offset == start, "\(sequences)")
            case .clean:
                Issue.record("\(sequences): a wrong sequence was accepted")
            }
        }
    }

    @Test(arguments: JournalLayout.allCases)
    func anEntryWhoseChecksumHoldsButWhoseBodyCannotBeDecodedIsCorrupt(_ layout: JournalLayout) throws {
        let format = try layout.make()
        var bytes = format.encodeHeader(.init(generation: 1, baseSequence: 0))
        bytes += format.frame(type: .commit, sequence: 1, encodedBody: [0xC1, UInt8(ascii: "{")])
        let error = #expect(throws: DictDBError.self) { try format.scan(bytes, path: path) }
        #expect(error?.code == .corrupt)
        #expect(error?.context.path == path)
    }

    @Test(arguments: JournalLayout.allCases)
    func aBodyBeyondTheDecodingLimitsIsATypedError(_ layout: JournalLayout) throws {
        let format = try layout.make(limits: DecodingLimits(maxDepth: 8))
        var deep = Value.int(1)
        for _ in 0..<20 { deep = .object(["d": deep]) }
        var bytes = format.encodeHeader(.init(generation: 1, baseSequence: 0))
        bytes += format.frame(type: .commit, sequence: 1, encodedBody: try format.encodeBody(deep))
        let error = #expect(throws: DictDBError.self) { try format.scan(bytes, path: path) }
        #expect(error?.code == .corrupt)
        #expect((error?.underlying as? DictDBError)?.code == .limitExceeded)
    }

    @Test(arguments: JournalLayout.allCases)
    func aFileCutInsideTheHeaderIsCorrupt(_ layout: JournalLayout) throws {
        let format = try layout.make()
        let header = format.encodeHeader(.init(generation: 9, baseSequence: 12))
        for cut in 0..<header.count {
            let error = #expect(throws: DictDBError.self) { try format.scan(Array(header[..<cut]), path: path) }
            #expect(error?.code == .corrupt, "cut at \(cut)")
            #expect(error?.context.path == path && error?.context.offset != nil)
        }
    }

    @Test(arguments: JournalLayout.allCases)
    func aFileOfAnotherKindIsAnUnsupportedFormat(_ layout: JournalLayout) throws {
        let format = try layout.make()
        let other: any JournalFileFormat =
            layout == .ndjson ? try JournalLayout.binaryJSON.make() : try JournalLayout.ndjson.make()
        let foreign = [
            other.encodeHeader(.init(generation: 1, baseSequence: 0)),
            Array(#"{"_meta":{"format":"dictdb"}}"#.utf8)
                + [UInt8](repeating: 0x20, count: 300) + [0x0A],
        ]
        for bytes in foreign {
            let error = #expect(throws: DictDBError.self) { try format.scan(bytes, path: path) }
            #expect(error?.code == .unsupportedFormat)
            #expect(error?.context.path == path && error?.context.offset == 0)
        }
    }

    @Test(arguments: JournalLayout.allCases)
    func aNewerVersionIsAnUnsupportedFormat(_ layout: JournalLayout) throws {
        let format = try layout.make()
        var bytes = format.encodeHeader(.init(generation: 1, baseSequence: 0))
        if layout == .ndjson {
            let old = Array(#""version":1,"#.utf8)
            let start = try #require(bytes.indices.first { bytes[$0...].starts(with: old) })
            bytes[start + old.count - 2] = UInt8(ascii: "2")
        } else {
            bytes[4] = 2
        }
        let error = #expect(throws: DictDBError.self) { try format.scan(bytes, path: path) }
        #expect(error?.code == .unsupportedFormat)
        #expect(error?.context.found == "2" && error?.context.path == path)
    }

    @Test(arguments: JournalLayout.allCases)
    func everyBitFlipInTheHeaderIsATypedError(_ layout: JournalLayout) throws {
        let format = try layout.make()
        let journal = try SampleJournal(format, entries: 2)
        for position in 0..<journal.headerEnd {
            var bytes = journal.bytes
            bytes[position] ^= UInt8(1 << (position % 8))
            // A flip in a reserved byte of the binary header is the one change no check sees.
            let scan: JournalFileScan
            do throws(DictDBError) {
                scan = try format.scan(bytes, path: path)
            } catch {
                #expect(error.code == .corrupt || error.code == .unsupportedFormat)
                #expect(error.context.path == path && error.context.offset != nil)
                continue
            }
            #expect(layout != .ndjson && position >= 28, "byte \(position) was not detected")
            #expect(scan.header == journal.header && isExactPrefix(scan.entries, of: journal.entries))
        }
    }

    @Test func eachNDJSONLineIsAJSONObjectWithSeqTypeBodyAndChecksum() throws {
        let json = try Registry.standard.codec(named: "json")
        let format = NDJSONJournalFormat(jsonCodec: json)
        let journal = try SampleJournal(format, entries: 12, generation: 5, baseSequence: 100)
        let lines = journal.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        #expect(lines.count == 14 && lines.last?.isEmpty == true)
        #expect(journal.bytes.allSatisfy { $0 >= 0x20 || $0 == 0x0A }, "a raw control character")

        let header = try json.decode(Array(lines[0]), limits: .default)
        guard case .object(let headerFields) = header else {
            Issue.record("the header is \(header.typeName)")
            return
        }
        #expect(headerFields.fieldNames == ["format", "version", "generation", "baseSequence", "crc"])
        #expect(headerFields["format"] == "dictdb-journal" && headerFields["version"] == 1)
        #expect(headerFields["generation"] == 5 && headerFields["baseSequence"] == 100)

        for (index, line) in lines.dropFirst().dropLast().enumerated() {
            let bytes = Array(line)
            guard case .object(let fields) = try json.decode(bytes, limits: .default) else {
                Issue.record("line \(index + 1) is not an object")
                continue
            }
            let entry = journal.entries[index]
            #expect(fields.fieldNames == ["seq", "type", "body", "crc"])
            #expect(fields["seq"] == .int(Int64(entry.sequence)))
            #expect(fields["type"] == .string(entry.type == .commit ? "commit" : "catalog"))
            #expect(identical(fields["body"], entry.body))
            // The checksum covers the bytes before `,"crc":`, the last occurrence on the line.
            let crcKey = Array(#","crc":"#.utf8)
            let crcStart = (0...(bytes.count - crcKey.count)).last {
                bytes[$0..<($0 + crcKey.count)].elementsEqual(crcKey)
            }
            let expected = crcStart.map { Int64(CRC32C.mask(CRC32C.checksum(Array(bytes[..<$0])))) }
            #expect(fields["crc"].intValue == expected && expected != nil)
        }
    }

    @Test func theNDJSONLayoutIsPinnedByteForByte() throws {
        let format = NDJSONJournalFormat(jsonCodec: try Registry.standard.codec(named: "json"))
        let header = format.encodeHeader(.init(generation: 3, baseSequence: 40))
        let commit = format.frame(
            type: .commit, sequence: 41, encodedBody: try format.encodeBody(["users": [["op": "insert", "id": 1]]]))
        let catalog = format.frame(
            type: .catalog, sequence: 42,
            encodedBody: try format.encodeBody(["op": "createTable", "name": "orders"]))
        #expect(
            String(decoding: header + commit + catalog, as: UTF8.self) == """
                {"format":"dictdb-journal","version":1,"generation":3,"baseSequence":40,"crc":1492898568}
                {"seq":41,"type":"commit","body":{"users":[{"op":"insert","id":1}]},"crc":884942383}
                {"seq":42,"type":"catalog","body":{"op":"createTable","name":"orders"},"crc":824784144}

                """)
    }

    @Test func anNDJSONLineThatIsNotExactlyAsWrittenIsNotAnEntry() throws {
        let format = NDJSONJournalFormat(jsonCodec: try Registry.standard.codec(named: "json"))
        let journal = try SampleJournal(format, entries: 3)
        let last = journal.offsets[2]
        let line = journal.entryBytes(2).dropLast()
        let crcDigits = try #require(line.lastIndex(of: UInt8(ascii: ":"))) + 1 - line.startIndex
        let variants: [String: [UInt8]] = [
            "a leading zero in the checksum": Array(line.prefix(crcDigits)) + [0x30] + line.dropFirst(crcDigits),
            "a space before the closing brace": line.dropLast() + Array(" }".utf8),
            "a CRLF ending": line + [0x0D],
            "a checksum beyond 32 bits": Array(line.prefix(crcDigits)) + Array("99999999999}".utf8),
            "a space after the opening brace": [line[line.startIndex], 0x20] + line.dropFirst(),
        ]
        for (label, variant) in variants {
            let scan = try format.scan(Array(journal.bytes[..<last]) + variant + [0x0A], path: path)
            #expect(scan.entries.count == 2 && scan.validEnd == last, "\(label)")
            guard case .tornTail(let offset, _) = scan.ending else {
                Issue.record("\(label): expected a torn tail, got \(scan.ending)")
                continue
            }
            #expect(offset == last, "\(label)")
        }
    }

    @Test(arguments: JournalLayout.allCases)
    func randomMutationsEitherThrowOrYieldAnExactPrefixOfTheEntries(_ layout: JournalLayout) throws {
        let format = try layout.make()
        let journal = try SampleJournal(format, entries: 8)
        var random = SeededGenerator(state: 0xD1C7_DB00 &+ UInt64(layout.rawValue.utf8.count))
        var outcomes: [String: Int] = [:]
        for round in 0..<1500 {
            let bytes = mutate(journal, using: &random)
            let scan: JournalFileScan
            do throws(DictDBError) {
                scan = try format.scan(bytes, path: path)
            } catch {
                #expect(error.code == .corrupt || error.code == .unsupportedFormat, "round \(round)")
                outcomes["throws", default: 0] += 1
                continue
            }
            #expect(scan.header == journal.header, "round \(round)")
            #expect(isExactPrefix(scan.entries, of: journal.entries), "round \(round): a wrong entry")
            #expect(scan.validEnd <= bytes.count)
            switch scan.ending {
            case .clean:
                #expect(scan.validEnd == bytes.count)
                outcomes["clean", default: 0] += 1
            case .tornTail(let offset, _):
                #expect(offset == scan.validEnd && offset < bytes.count)
                outcomes["torn", default: 0] += 1
            case .damaged(let offset, _, let next):
                #expect(offset == scan.validEnd && next > offset && next < bytes.count)
                outcomes["damaged", default: 0] += 1
            }
        }
        // The mutations reach every outcome, so the checks above are not vacuous.
        #expect(outcomes.keys.sorted() == ["clean", "damaged", "throws", "torn"], "\(outcomes)")
    }

    /// A copy of the journal with one to three random mutations.
    private func mutate(_ journal: SampleJournal, using random: inout SeededGenerator) -> [UInt8] {
        var bytes = journal.bytes
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            guard !bytes.isEmpty else { break }
            let position = Int.random(in: 0..<bytes.count, using: &random)
            let entry = Int.random(in: 0..<journal.offsets.count, using: &random)
            switch Int.random(in: 0..<7, using: &random) {
            case 0:
                bytes[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            case 1:
                bytes.removeSubrange(position...)
            case 2:
                let inserted = (0..<Int.random(in: 1...8, using: &random)).map { _ in
                    Bool.random(using: &random) ? UInt8(ascii: "\n") : UInt8.random(in: 0...255, using: &random)
                }
                bytes.insert(contentsOf: inserted, at: position)
            case 3:
                // Duplicate an entry (an NDJSON line), at its place or elsewhere.
                let at = Bool.random(using: &random) ? journal.offsets[entry] : position
                bytes.insert(contentsOf: journal.entryBytes(entry), at: min(at, bytes.count))
            case 4:
                // A clean cut between entries (clean only while earlier mutations left the offsets in place).
                bytes.removeSubrange(min(journal.offsets[entry], bytes.count)...)
            case 5:
                bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...40, using: &random)))
            default:
                let end = min(bytes.count, position + Int.random(in: 1...16, using: &random))
                for index in position..<end { bytes[index] = UInt8.random(in: 0...255, using: &random) }
            }
        }
        return bytes
    }
}
