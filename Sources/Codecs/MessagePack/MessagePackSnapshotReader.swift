import DictDBAPI

/// Reads a MessagePack snapshot back as events, checking the declared counts and verifying the CRC-32
/// before yielding ``SnapshotEvent/end``.
final class MessagePackSnapshotReader: SnapshotReader {
    /// Only ``next()`` touches it, and a reader is used by one thread at a time (it is not `Sendable`), so
    /// the runtime exclusivity check on every call is skipped.
    @exclusivity(unchecked) private var parser: MessagePackSnapshotParser

    /// Creates a reader of `source` within `limits`.
    init(from source: any ByteSource, limits: DecodingLimits) {
        parser = MessagePackSnapshotParser(
            scanner: MessagePackScanner(input: ByteInput(from: source), limits: limits))
    }

    func next() throws(DictDBError) -> SnapshotEvent? {
        try parser.next()
    }
}

/// The structure of a MessagePack snapshot as a state machine over a ``MessagePackScanner``.
struct MessagePackSnapshotParser {
    private enum State {
        case start
        case afterMeta
        case inTable
        case betweenTables
        case finished
        case failed
    }

    private var scanner: MessagePackScanner
    private var state = State.start
    private var tablesLeft = 0
    private var recordsLeft = 0

    /// Creates a parser reading through `scanner`.
    init(scanner: MessagePackScanner) { self.scanner = scanner }

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
            guard try scanner.peekByte("the map that opens a snapshot") == 0x83 else {
                throw scanner.corrupt("a DictDB MessagePack snapshot starts with a map of 3 entries", expected: "0x83")
            }
            scanner.input.position += 1
            try scanner.expectKey("_meta")
            let metaOffset = scanner.input.offset
            let meta = try scanner.parseObjectValue("the _meta map")
            let tableCount = try count("tableCount", in: meta, at: metaOffset)
            try scanner.expectKey("tables")
            let tablesOffset = scanner.input.offset
            let tables = try scanner.readArrayHeader("the tables array", streamed: true)
            guard tables == tableCount else {
                throw scanner.corrupt(
                    "the tables array holds \(tables) tables but _meta.tableCount is \(tableCount)", at: tablesOffset)
            }
            tablesLeft = tables
            state = .afterMeta
            return .meta(meta)
        case .afterMeta, .betweenTables:
            guard tablesLeft > 0 else {
                try verifyChecksumAndEnd()
                state = .finished
                return .end
            }
            tablesLeft -= 1
            let tableOffset = scanner.input.offset
            guard try scanner.readMapHeader("a table") == 2 else {
                throw scanner.corrupt("a table is a map of 2 entries (table, records)", at: tableOffset)
            }
            try scanner.expectKey("table")
            let headerOffset = scanner.input.offset
            let header = try scanner.parseObjectValue("the table header map")
            let recordCount = try count("recordCount", in: header, at: headerOffset)
            try scanner.expectKey("records")
            let recordsOffset = scanner.input.offset
            let records = try scanner.readArrayHeader("the records array", streamed: true)
            guard records == recordCount else {
                throw scanner.corrupt(
                    "the records array holds \(records) records but the header's recordCount is \(recordCount)",
                    at: recordsOffset)
            }
            recordsLeft = records
            state = .inTable
            return .beginTable(header)
        case .inTable:
            guard recordsLeft > 0 else {
                state = .betweenTables
                return .endTable
            }
            recordsLeft -= 1
            return .record(try scanner.parseRecord())
        case .finished:
            return nil
        case .failed:
            throw CodecErrors.unusableReader("msgpack")
        }
    }

    /// The non-negative int field `name` of `record`, read at `offset`.
    private func count(_ name: String, in record: Record, at offset: Int64) throws(DictDBError) -> Int {
        guard case .int(let value)? = record[field: name], value >= 0, value <= 0xFFFF_FFFF else {
            throw scanner.corrupt("the map lacks a non-negative int field \(name)", at: offset, expected: name)
        }
        return Int(value)
    }

    /// Reads the `"checksum"` key and its uint32, compares it with the bytes read, and checks that nothing
    /// follows.
    private mutating func verifyChecksumAndEnd() throws(DictDBError) {
        let computed = scanner.input.sealChecksum()
        try scanner.expectKey("checksum")
        let offset = scanner.input.offset
        let stored = try scanner.parseUInt32("the checksum")
        guard stored == computed else {
            throw CodecErrors.corrupt(
                "msgpack", "checksum mismatch: the content was damaged", at: offset,
                expected: String(computed, radix: 16), found: String(stored, radix: 16))
        }
        guard try scanner.input.isAtEnd() else {
            throw scanner.corrupt("unexpected bytes after the end of the snapshot", expected: "end of input")
        }
    }
}
