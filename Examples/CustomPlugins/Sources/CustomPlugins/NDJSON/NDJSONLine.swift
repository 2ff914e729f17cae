import DictDBAPI

/// One line of an NDJSON snapshot: `{"e":"<event>","v":<value>,"c":"<crc>"}` and a newline, where the
/// CRC-32C (8 lower-case hex digits) covers every byte of the line before `,"c":`. The value is absent for
/// `endTable`. Each line is a JSON object, so `jq` and other NDJSON tools read the file as it is.
enum NDJSONLine {
    /// The first line of every file; its first 16 bytes identify the format.
    static let header = Array(#"{"dictdb-ndjson":1}"#.utf8) + [0x0A]
    /// The bytes a reader needs to recognize a file.
    static let magic = Array(#"{"dictdb-ndjson""#.utf8)

    /// The event names, as the `e` field spells them.
    enum Kind: String {
        case meta
        case table
        case record
        case endTable
        case end
    }

    /// The bytes of one line, newline included.
    static func encode(_ kind: Kind, value: [UInt8]?) -> [UInt8] {
        var line = Array(#"{"e":""#.utf8) + Array(kind.rawValue.utf8) + [UInt8(ascii: "\"")]
        if let value { line += Array(#","v":"#.utf8) + value }
        let crc = CRC32C.of(line)
        line += Array(#","c":""#.utf8) + hex(crc) + Array("\"}\n".utf8)
        return line
    }

    /// The length of `,"c":"xxxxxxxx"}`, the checksum suffix of every line (newline excluded).
    static let suffixLength = 16

    /// Splits a line (without its newline) into kind and value bytes, checking its checksum.
    /// - Throws: ``DictDBAPI/DictDBError/Code/corrupt`` with `offset` for any damage.
    static func decode(_ line: ArraySlice<UInt8>, offset: Int64) throws(DictDBError) -> (Kind, ArraySlice<UInt8>?) {
        guard line.count > suffixLength + 8 else { throw corrupt("a line is too short to be an event", offset) }
        let bodyEnd = line.endIndex - suffixLength
        let body = line[line.startIndex..<bodyEnd]
        let suffix = line[bodyEnd...]
        guard suffix.starts(with: Array(#","c":""#.utf8)), suffix.last == UInt8(ascii: "}"),
            suffix[suffix.endIndex - 2] == UInt8(ascii: "\""),
            let stored = parseHex(suffix[(bodyEnd + 6)..<(bodyEnd + 14)])
        else { throw corrupt("a line does not end with its checksum", offset) }
        guard CRC32C.of(body) == stored else { throw corrupt("a line's checksum does not match", offset) }

        let opening = Array(#"{"e":""#.utf8)
        guard body.starts(with: opening) else { throw corrupt("a line does not start with its event", offset) }
        let nameStart = body.startIndex + opening.count
        guard let quote = body[nameStart...].firstIndex(of: UInt8(ascii: "\"")),
            let kind = Kind(rawValue: String(decoding: body[nameStart..<quote], as: UTF8.self))
        else { throw corrupt("a line names no known event", offset) }
        let rest = body[(quote + 1)...]
        if rest.isEmpty { return (kind, nil) }
        let valueKey = Array(#","v":"#.utf8)
        guard rest.starts(with: valueKey) else { throw corrupt("a line's value is malformed", offset) }
        return (kind, rest.dropFirst(valueKey.count))
    }

    private static func hex(_ value: UInt32) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return (0..<8).reversed().map { digits[Int((value >> (UInt32($0) * 4)) & 0xF)] }
    }

    private static func parseHex(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        for byte in bytes {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    static func corrupt(_ message: String, _ offset: Int64) -> DictDBError {
        DictDBError(.corrupt, "ndjson snapshot: \(message)", context: .init(plugin: "codec:ndjson", offset: offset))
    }
}
