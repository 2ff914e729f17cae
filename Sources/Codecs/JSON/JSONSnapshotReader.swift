import DictDBAPI

/// Reads a JSON snapshot back as events, verifying the CRC-32 before yielding ``SnapshotEvent/end``.
final class JSONSnapshotReader: SnapshotReader {
    /// Only ``next()`` touches it, and a reader is used by one thread at a time (it is not `Sendable`), so
    /// the runtime exclusivity check on every call is skipped.
    @exclusivity(unchecked) private var parser: JSONSnapshotParser

    /// Creates a reader of `source` within `limits`.
    init(from source: any ByteSource, limits: DecodingLimits) {
        parser = JSONSnapshotParser(scanner: JSONScanner(input: ByteInput(from: source), limits: limits))
    }

    func next() throws(DictDBError) -> SnapshotEvent? {
        try parser.next()
    }
}

/// The structure of a JSON snapshot as a state machine over a ``JSONScanner``.
struct JSONSnapshotParser {
    private enum State {
        case start
        case afterMeta
        case inTable(firstRecord: Bool)
        case betweenTables
        case finished
        case failed
    }

    private var scanner: JSONScanner
    private var state = State.start

    /// Creates a parser reading through `scanner`.
    init(scanner: JSONScanner) { self.scanner = scanner }

    /// The next event; `nil` after ``SnapshotEvent/end``. After an error, every call throws `invalidState`.
    mutating func next() throws(DictDBError) -> SnapshotEvent? {
        do {
            return try step()
        } catch {
            state = .failed
            throw error
        }
    }

    private mutating func step() throws(DictDBError) -> SnapshotEvent? {
        switch state {
        case .start:
            try scanner.expect(UInt8(ascii: "{"), "the { that opens a DictDB JSON snapshot")
            try scanner.expectKey("_meta")
            let meta = try scanner.parseObjectValue("the _meta object")
            state = .afterMeta
            return .meta(meta)
        case .afterMeta:
            try scanner.expect(UInt8(ascii: ","), "a comma after _meta")
            try scanner.expectKey("tables")
            try scanner.expect(UInt8(ascii: "["), "the [ that opens the tables")
            return try tableOrEnd(first: true)
        case .inTable(let firstRecord):
            guard let byte = try scanner.nextNonWhitespace() else { throw scanner.truncated("a record or ]") }
            if byte == UInt8(ascii: "]") {
                scanner.input.position += 1
                try scanner.expect(UInt8(ascii: "}"), "the } that closes a table")
                state = .betweenTables
                return .endTable
            }
            if !firstRecord {
                guard byte == UInt8(ascii: ",") else {
                    throw scanner.corrupt("expected , or ] after a record", expected: ", or ]")
                }
                scanner.input.position += 1
            }
            let record = try scanner.parseRecord()
            if firstRecord { state = .inTable(firstRecord: false) }
            return .record(record)
        case .betweenTables:
            return try tableOrEnd(first: false)
        case .finished:
            return nil
        case .failed:
            throw CodecErrors.unusableReader("json")
        }
    }

    /// After the tables' `[` or after a table: the next table's header, or the end of the snapshot.
    private mutating func tableOrEnd(first: Bool) throws(DictDBError) -> SnapshotEvent {
        guard let byte = try scanner.nextNonWhitespace() else { throw scanner.truncated("a table or ]") }
        if byte == UInt8(ascii: "]") {
            scanner.input.position += 1
            try verifyChecksumAndEnd()
            state = .finished
            return .end
        }
        if !first {
            guard byte == UInt8(ascii: ",") else {
                throw scanner.corrupt("expected , or ] after a table", expected: ", or ]")
            }
            scanner.input.position += 1
        }
        try scanner.expect(UInt8(ascii: "{"), "the { that opens a table")
        try scanner.expectKey("table")
        let header = try scanner.parseObjectValue("the table header object")
        try scanner.expect(UInt8(ascii: ","), "a comma after the table header")
        try scanner.expectKey("records")
        try scanner.expect(UInt8(ascii: "["), "the [ that opens the records")
        state = .inTable(firstRecord: true)
        return .beginTable(header)
    }

    /// Reads `,"checksum":"crc32:xxxxxxxx"}`, compares it with the bytes read, and checks that only
    /// whitespace follows.
    private mutating func verifyChecksumAndEnd() throws(DictDBError) {
        guard let comma = try scanner.nextNonWhitespace() else { throw scanner.truncated("the checksum") }
        guard comma == UInt8(ascii: ",") else {
            throw scanner.corrupt("the snapshot has no checksum after its tables", expected: ",\"checksum\"")
        }
        scanner.input.position += 1
        guard let quote = try scanner.nextNonWhitespace() else { throw scanner.truncated("the checksum key") }
        guard quote == UInt8(ascii: "\"") else {
            throw scanner.corrupt("expected the checksum key", expected: "\"checksum\"")
        }
        let computed = scanner.input.sealChecksum()
        try scanner.expectKey("checksum")
        guard let valueQuote = try scanner.nextNonWhitespace() else { throw scanner.truncated("the checksum value") }
        let valueOffset = scanner.input.offset
        guard valueQuote == UInt8(ascii: "\"") else {
            throw scanner.corrupt("the checksum must be a string", expected: "\"crc32:xxxxxxxx\"")
        }
        let text = try scanner.parseString()
        let expected = JSONChecksum.format(computed)
        guard let stored = JSONChecksum.parse(text) else {
            throw CodecErrors.corrupt(
                "json", "the checksum must be \"crc32:\" and 8 lowercase hex digits", at: valueOffset,
                expected: expected, found: text)
        }
        guard stored == computed else {
            throw CodecErrors.corrupt(
                "json", "checksum mismatch: the content was damaged", at: valueOffset, expected: expected,
                found: text)
        }
        try scanner.expect(UInt8(ascii: "}"), "the } that closes the snapshot")
        if let extra = try scanner.nextNonWhitespace() {
            throw scanner.corrupt(
                "unexpected bytes after the end of the snapshot (first: \(JSONScanner.describe(extra)))",
                expected: "end of input")
        }
    }
}

/// The `"crc32:xxxxxxxx"` text of a JSON snapshot's checksum.
enum JSONChecksum {
    /// `crc32:` and the 8 lowercase hex digits of `crc`.
    static func format(_ crc: UInt32) -> String {
        let hex = String(crc, radix: 16)
        return "crc32:" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The checksum in `text`, which must be exactly `crc32:` and 8 lowercase hex digits.
    static func parse(_ text: String) -> UInt32? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 14, utf8.starts(with: Array("crc32:".utf8)) else { return nil }
        var value: UInt32 = 0
        for byte in utf8[6...] {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(byte - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt32(byte - 0x57)
            default: return nil
            }
        }
        return value
    }
}
