import DictDBAPI

/// The binary journal's on-disk layout.
///
/// A file starts with a 32-byte header: magic `DDBJ`, format version (u16), reserved (u16), generation
/// (u64), base sequence (u64: the sequence of the snapshot the journal follows), then a masked CRC-32C
/// (u32) of the 24 bytes before it, and 4 reserved zero bytes. Records follow, each written with one
/// `write()`:
///
/// ```
/// length u32 | masked CRC-32C u32 | type u8 | sequence u64 | payload (length - 9 bytes)
/// ```
///
/// All integers are little-endian. `length` counts type, sequence and payload; the CRC covers the same
/// bytes. A record is valid when its length fits the file and the limit, its CRC matches, and its
/// sequence is the one after the previous record's.
enum JournalFormat {
    static let magic: [UInt8] = Array("DDBJ".utf8)
    static let version: UInt16 = 1
    static let headerSize = 32
    /// Bytes of a record before its payload: length, CRC, type, sequence.
    static let recordOverhead = 17
    /// The largest record accepted: a longer declared length is damage, not an allocation.
    static let maxRecordLength = 1 << 30

    /// What a journal file's header says.
    struct Header: Hashable {
        var generation: UInt64
        var baseSequence: UInt64
    }

    /// The kinds of journal records.
    enum RecordType: UInt8 {
        /// One committed operation or transaction: a change set over one or more tables.
        case commit = 1
        /// A catalog change: create or drop a table, create or drop an index.
        case catalog = 2
    }

    /// One decoded record.
    struct Record: Hashable {
        var type: RecordType
        var sequence: UInt64
        var payload: [UInt8]
    }

    static func encodeHeader(_ header: Header) -> [UInt8] {
        var bytes = magic
        append(UInt64(version), bytes: 2, to: &bytes)
        append(0, bytes: 2, to: &bytes)
        append(header.generation, bytes: 8, to: &bytes)
        append(header.baseSequence, bytes: 8, to: &bytes)
        append(UInt64(CRC32C.mask(CRC32C.checksum(bytes))), bytes: 4, to: &bytes)
        append(0, bytes: 4, to: &bytes)
        return bytes
    }

    /// Decodes a header, or explains why the bytes are not one. The version is checked before the checksum:
    /// a later version may lay its header out differently.
    static func decodeHeader(_ bytes: [UInt8], path: String) throws(DictDBError) -> Header {
        guard bytes.count >= headerSize else {
            throw DictDBError(
                .corrupt, "\(path) is shorter than a journal header (\(bytes.count) of \(headerSize) bytes)",
                context: .init(path: path, offset: 0))
        }
        guard Array(bytes[0..<4]) == magic else {
            throw DictDBError(
                .unsupportedFormat, "\(path) is not a DictDB journal (bad magic)",
                context: .init(path: path, offset: 0, expected: "DDBJ"))
        }
        let version = read(bytes, at: 4, bytes: 2)
        guard version == UInt64(Self.version) else {
            throw DictDBError(
                .unsupportedFormat, "\(path) has journal version \(version); this build reads version 1",
                context: .init(path: path, offset: 4, expected: "1", found: String(version)))
        }
        let stored = UInt32(read(bytes, at: 24, bytes: 4))
        let expected = CRC32C.checksum(Array(bytes[0..<24]))
        guard CRC32C.unmask(stored) == expected, bytes[28..<32].allSatisfy({ $0 == 0 }) else {
            throw DictDBError(
                .corrupt, "\(path): the journal header checksum does not match", context: .init(path: path, offset: 24))
        }
        return Header(generation: read(bytes, at: 8, bytes: 8), baseSequence: read(bytes, at: 16, bytes: 8))
    }

    /// The bytes of one record, ready for a single `write()`.
    static func encode(_ record: Record) -> [UInt8] {
        var body: [UInt8] = [record.type.rawValue]
        body.reserveCapacity(9 + record.payload.count)
        append(record.sequence, bytes: 8, to: &body)
        body += record.payload
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + body.count)
        append(UInt64(body.count), bytes: 4, to: &bytes)
        append(UInt64(CRC32C.mask(CRC32C.checksum(body))), bytes: 4, to: &bytes)
        bytes += body
        return bytes
    }

    static func append(_ value: UInt64, bytes count: Int, to bytes: inout [UInt8]) {
        for i in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    static func read(_ bytes: [UInt8], at offset: Int, bytes count: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<count { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        return value
    }
}
