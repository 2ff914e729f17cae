import DictDBAPI

/// The NDJSON layout of a journal: one compact JSON object per line, readable with `jq` and `tail -f`.
///
/// The first line is the header; every entry after it is exactly one line, written with one `write()`:
///
/// ```
/// {"format":"dictdb-journal","version":1,"generation":3,"baseSequence":40,"crc":1492898568}
/// {"seq":41,"type":"commit","body":{"users":[{"op":"insert","id":1}]},"crc":884942383}
/// {"seq":42,"type":"catalog","body":{"op":"createTable","name":"orders"},"crc":824784144}
/// ```
///
/// `crc` is the masked CRC-32C (``CRC32C/mask(_:)``) of the line's bytes before `,"crc":`, in decimal.
/// Numbers are plain decimal digits without leading zeros, so sequences keep the whole `UInt64` range. The
/// body is the `json` codec's compact text, which escapes control characters, so it never holds a raw
/// newline. An entry is valid when its line ends in `\n`, its checksum matches, its layout is the one above
/// with a known `type`, and its `seq` is the one after the previous entry's (the header's `baseSequence`
/// plus one for the first). A final line without its `\n` is a write cut short, never an entry.
///
/// The layout is written and read byte for byte as shown: a line that `jq` reformats no longer matches its
/// checksum.
struct NDJSONJournalFormat: JournalFileFormat {
    /// `"ndjson"`, the name a database directory records.
    let name = "ndjson"
    /// `"ndjson"`: journal files are named `*.ndjson`.
    let fileExtension = "ndjson"
    /// The codec that writes and reads bodies: the registry's `json` codec, whose `encode` writes compact,
    /// one-line JSON.
    let jsonCodec: any StorageCodec
    /// The limits a body is decoded within; lines are also capped at ``JournalFormat/maxRecordLength``.
    let limits: DecodingLimits

    /// The version of the layout this build writes and reads.
    static let version: UInt64 = 1
    /// The longest header line accepted, newline excluded (a real one is at most 126 bytes).
    static let maxHeaderLineLength = 256
    /// The most bytes an entry line adds around its body, newline included.
    static let entryOverhead = 96

    /// Creates the layout.
    /// - Parameters:
    ///   - jsonCodec: the registry's `json` codec (`try registry.codec(named: "json")`).
    ///   - limits: the limits bodies are decoded within.
    init(jsonCodec: any StorageCodec, limits: DecodingLimits = .default) {
        self.jsonCodec = jsonCodec
        self.limits = limits
    }

    /// The header line, newline included.
    func encodeHeader(_ header: JournalFormat.Header) -> [UInt8] {
        var line = Self.headerPrefix
        line += String(Self.version).utf8
        line += #","generation":"#.utf8
        line += String(header.generation).utf8
        line += #","baseSequence":"#.utf8
        line += String(header.baseSequence).utf8
        Self.appendChecksum(to: &line)
        return line
    }

    /// The body's compact JSON text.
    /// - Throws: ``DictDBError/Code/invalidValue`` for a value JSON cannot hold (a non-finite double) or a
    ///   codec whose output is not one line; ``DictDBError/Code/limitExceeded`` when the entry's line would
    ///   pass ``JournalFormat/maxRecordLength``.
    func encodeBody(_ body: Value) throws(DictDBError) -> [UInt8] {
        let bytes = try jsonCodec.encode(body)
        guard !bytes.isEmpty, !bytes.contains(Self.newline) else {
            throw DictDBError(
                .invalidValue, "the codec '\(jsonCodec.name)' did not write a journal body as one line of JSON",
                context: .init(plugin: "codec:\(jsonCodec.name)"))
        }
        guard bytes.count <= JournalFormat.maxRecordLength - Self.entryOverhead else {
            throw DictDBError(
                .limitExceeded,
                "a journal entry of \(bytes.count) bytes exceeds the limit of \(JournalFormat.maxRecordLength) bytes",
                context: .init(expected: "at most \(JournalFormat.maxRecordLength - Self.entryOverhead) bytes"))
        }
        return bytes
    }

    /// The entry's line, newline included: `{"seq":N,"type":T,"body":B,"crc":C}`.
    func frame(type: JournalFormat.RecordType, sequence: UInt64, encodedBody: [UInt8]) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(encodedBody.count + Self.entryOverhead)
        line += Self.seqKey
        line += String(sequence).utf8
        line += Self.typeKey
        line += Self.typeName(type)
        line += Self.bodyKey
        line += encodedBody
        Self.appendChecksum(to: &line)
        return line
    }

    /// Reads a whole journal file: the header line, then entry lines up to the first one that is not valid.
    ///
    /// After a bad line, the ending is ``JournalScan/Ending/damaged(offset:reason:nextValidOffset:)`` when a
    /// later complete line is a valid entry with a sequence at least the one due, and
    /// ``JournalScan/Ending/tornTail(offset:reason:)`` otherwise.
    /// - Throws: ``DictDBError/Code/unsupportedFormat`` for a file that is not an NDJSON journal or has
    ///   another version; ``DictDBError/Code/corrupt`` for a header cut short or failing its checksum, and for
    ///   an entry whose checksum holds but whose body cannot be decoded (within ``limits``).
    func scan(_ bytes: [UInt8], path: String) throws(DictDBError) -> JournalFileScan {
        let (header, headerEnd) = try decodeHeader(bytes, path: path)
        var entries: [JournalEntry] = []
        var offset = headerEnd
        var expected = header.baseSequence &+ 1
        while offset < bytes.count {
            guard let lineEnd = Self.newlineIndex(in: bytes, from: offset) else {
                let reason = "the last \(bytes.count - offset) bytes are a line without its newline (a write cut short)"
                let ending = JournalScan.Ending.tornTail(offset: offset, reason: reason)
                return JournalFileScan(header: header, entries: entries, validEnd: offset, ending: ending)
            }
            let problem: JournalScan.Problem
            switch Self.decodeLine(bytes, offset..<lineEnd) {
            case .success(let line) where line.sequence == expected:
                let body = try decodeBody(bytes, line, path: path)
                entries.append(JournalEntry(type: line.type, sequence: line.sequence, body: body))
                offset = lineEnd + 1
                expected &+= 1
                continue
            case .success(let line):
                problem = JournalScan.Problem(reason: "entry sequence \(line.sequence) where \(expected) was due")
            case .failure(let failure):
                problem = failure
            }
            let ending: JournalScan.Ending
            if let next = Self.nextValidLine(in: bytes, from: lineEnd + 1, minimumSequence: expected) {
                ending = .damaged(offset: offset, reason: problem.reason, nextValidOffset: next)
            } else {
                ending = .tornTail(offset: offset, reason: problem.reason)
            }
            return JournalFileScan(header: header, entries: entries, validEnd: offset, ending: ending)
        }
        return JournalFileScan(header: header, entries: entries, validEnd: offset, ending: .clean)
    }
}

extension NDJSONJournalFormat {
    /// Where one entry line's parts are: its type, its sequence and the byte range of its body.
    struct Line {
        var type: JournalFormat.RecordType
        var sequence: UInt64
        var body: Range<Int>
    }

    static let newline = UInt8(ascii: "\n")
    static let headerPrefix = Array(#"{"format":"dictdb-journal","version":"#.utf8)
    static let generationKey = Array(#","generation":"#.utf8)
    static let baseSequenceKey = Array(#","baseSequence":"#.utf8)
    static let seqKey = Array(#"{"seq":"#.utf8)
    static let typeKey = Array(#","type":""#.utf8)
    static let bodyKey = Array(#"","body":"#.utf8)
    static let crcKey = Array(#","crc":"#.utf8)

    /// The name of a record type in a line: `commit` or `catalog`.
    static func typeName(_ type: JournalFormat.RecordType) -> [UInt8] {
        switch type {
        case .commit: return Array("commit".utf8)
        case .catalog: return Array("catalog".utf8)
        }
    }

    /// Appends `,"crc":C}` and the newline, where C is the masked CRC-32C of the bytes already in `line`.
    static func appendChecksum(to line: inout [UInt8]) {
        let crc = CRC32C.mask(CRC32C.checksum(line))
        line += crcKey
        line += String(crc).utf8
        line.append(UInt8(ascii: "}"))
        line.append(newline)
    }

    /// The index of the first newline at or after `start` and before `limit` (the end of `bytes` if `nil`).
    static func newlineIndex(in bytes: [UInt8], from start: Int, before limit: Int? = nil) -> Int? {
        let end = min(bytes.count, limit ?? bytes.count)
        guard start >= 0, start < end else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            var index = start
            while index < end {
                if buffer[index] == newline { return index }
                index += 1
            }
            return nil
        }
    }

    /// Decodes the header line and returns it with the offset just after its newline.
    private func decodeHeader(
        _ bytes: [UInt8], path: String
    ) throws(DictDBError)
        -> (JournalFormat.Header, Int)
    {
        func corrupt(_ message: String, at offset: Int) -> DictDBError {
            DictDBError(.corrupt, "\(path): \(message)", context: .init(path: path, offset: Int64(offset)))
        }
        let prefix = Self.headerPrefix
        let compared = min(bytes.count, prefix.count)
        guard bytes[0..<compared].elementsEqual(prefix[0..<compared]) else {
            throw DictDBError(
                .unsupportedFormat, "\(path) is not a DictDB NDJSON journal (its first line is not a journal header)",
                context: .init(path: path, offset: 0, expected: String(decoding: prefix, as: UTF8.self)))
        }
        let available = min(bytes.count, Self.maxHeaderLineLength + 1)
        var cursor = Cursor(bytes: bytes, position: prefix.count, end: available)
        if bytes.count > prefix.count, let version = cursor.decimal(), version != Self.version {
            throw DictDBError(
                .unsupportedFormat,
                "\(path) has NDJSON journal version \(version); this build reads version \(Self.version)",
                context: .init(
                    path: path, offset: Int64(prefix.count), expected: String(Self.version), found: String(version)))
        }
        guard let lineEnd = Self.newlineIndex(in: bytes, from: 0, before: available) else {
            if bytes.count <= Self.maxHeaderLineLength {
                throw corrupt(
                    "the file (\(bytes.count) bytes) is shorter than a complete journal header line", at: 0)
            }
            throw corrupt("the journal header line is longer than \(Self.maxHeaderLineLength) bytes", at: 0)
        }
        cursor = Cursor(bytes: bytes, position: prefix.count, end: lineEnd)
        guard cursor.decimal() == Self.version, cursor.skip(Self.generationKey), let generation = cursor.decimal(),
            cursor.skip(Self.baseSequenceKey), let baseSequence = cursor.decimal()
        else {
            throw corrupt("the journal header line is malformed", at: cursor.position)
        }
        let crcStart = cursor.position
        guard cursor.skip(Self.crcKey), let stored = cursor.decimal(), stored <= UInt64(UInt32.max),
            cursor.skip([UInt8(ascii: "}")]), cursor.position == lineEnd
        else {
            throw corrupt("the journal header line is malformed", at: cursor.position)
        }
        let actual = bytes.withUnsafeBytes { raw in
            CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[0..<crcStart]))
        }
        guard UInt32(stored) == CRC32C.mask(actual) else {
            throw corrupt("the journal header checksum does not match", at: crcStart)
        }
        return (JournalFormat.Header(generation: generation, baseSequence: baseSequence), lineEnd + 1)
    }

    /// Parses and checks the entry line in `range` (newline excluded), without decoding its body.
    static func decodeLine(_ bytes: [UInt8], _ range: Range<Int>) -> Result<Line, JournalScan.Problem> {
        guard range.count <= JournalFormat.maxRecordLength else {
            return .failure(.init(reason: "a line of \(range.count) bytes exceeds the limit"))
        }
        // From the end: `,"crc":` digits `}`.
        var index = range.upperBound - 1
        guard index >= range.lowerBound, bytes[index] == UInt8(ascii: "}") else {
            return .failure(.init(reason: "the line does not end with a checksum"))
        }
        let digitsEnd = index
        while index > range.lowerBound, digitsEnd - index < 11, isDigit(bytes[index - 1]) { index -= 1 }
        let crcStart = index - crcKey.count
        guard crcStart > range.lowerBound, bytes[crcStart..<index].elementsEqual(crcKey) else {
            return .failure(.init(reason: "the line does not end with a checksum"))
        }
        var crcCursor = Cursor(bytes: bytes, position: index, end: digitsEnd)
        guard let stored = crcCursor.decimal(), stored <= UInt64(UInt32.max), crcCursor.position == digitsEnd else {
            return .failure(.init(reason: "the line's checksum is not a 32-bit number"))
        }
        let actual = bytes.withUnsafeBytes { raw in
            CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[range.lowerBound..<crcStart]))
        }
        guard UInt32(stored) == CRC32C.mask(actual) else {
            return .failure(.init(reason: "entry checksum does not match"))
        }
        // From the start: `{"seq":` digits `,"type":"` name `","body":`, then the body up to the checksum.
        var cursor = Cursor(bytes: bytes, position: range.lowerBound, end: crcStart)
        guard cursor.skip(seqKey), let sequence = cursor.decimal(), cursor.skip(typeKey) else {
            return .failure(.init(reason: "the line is not a journal entry"))
        }
        let type: JournalFormat.RecordType
        if cursor.skip(typeName(.commit)) {
            type = .commit
        } else if cursor.skip(typeName(.catalog)) {
            type = .catalog
        } else {
            return .failure(.init(reason: "unknown entry type"))
        }
        guard cursor.skip(bodyKey), cursor.position < crcStart else {
            return .failure(.init(reason: "the line is not a journal entry"))
        }
        return .success(Line(type: type, sequence: sequence, body: cursor.position..<crcStart))
    }

    /// The offset of the first complete line at or after `start` that is a valid entry with a sequence of
    /// at least `minimumSequence`.
    static func nextValidLine(in bytes: [UInt8], from start: Int, minimumSequence: UInt64) -> Int? {
        var lineStart = start
        while let lineEnd = newlineIndex(in: bytes, from: lineStart) {
            if case .success(let line) = decodeLine(bytes, lineStart..<lineEnd), line.sequence >= minimumSequence {
                return lineStart
            }
            lineStart = lineEnd + 1
        }
        return nil
    }

    func entries(in bytes: [UInt8], from offset: Int) -> [JournalEntry] {
        var entries: [JournalEntry] = []
        var lineStart = max(0, offset)
        while let lineEnd = Self.newlineIndex(in: bytes, from: lineStart) {
            if case .success(let line) = Self.decodeLine(bytes, lineStart..<lineEnd),
                let body = try? jsonCodec.decode(Array(bytes[line.body]), limits: limits)
            {
                entries.append(JournalEntry(type: line.type, sequence: line.sequence, body: body))
            }
            lineStart = lineEnd + 1
        }
        return entries
    }

    /// Decodes the body of a line whose checksum holds.
    private func decodeBody(_ bytes: [UInt8], _ line: Line, path: String) throws(DictDBError) -> Value {
        do {
            return try jsonCodec.decode(Array(bytes[line.body]), limits: limits)
        } catch {
            throw DictDBError(
                .corrupt, "\(path): journal entry \(line.sequence) has a valid checksum but its body cannot be decoded",
                context: .init(path: path, offset: Int64(line.body.lowerBound)), underlying: error)
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Reads literal bytes and decimal numbers in `bytes[position..<end]`, never past `end`.
    struct Cursor {
        let bytes: [UInt8]
        var position: Int
        let end: Int

        /// Moves past `literal` if the bytes at the position are it.
        mutating func skip(_ literal: [UInt8]) -> Bool {
            guard end - position >= literal.count,
                bytes[position..<(position + literal.count)].elementsEqual(literal)
            else { return false }
            position += literal.count
            return true
        }

        /// Reads a decimal `UInt64`: at least one digit, no leading zero, no overflow.
        mutating func decimal() -> UInt64? {
            var value: UInt64 = 0
            var index = position
            while index < end, isDigit(bytes[index]) {
                let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflowB) = shifted.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                guard !overflowA, !overflowB else { return nil }
                value = sum
                index += 1
            }
            let digits = index - position
            guard digits > 0, digits == 1 || bytes[position] != UInt8(ascii: "0") else { return nil }
            position = index
            return value
        }
    }
}
