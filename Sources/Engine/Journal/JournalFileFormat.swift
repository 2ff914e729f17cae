import DictDBAPI

/// One journal entry as the engine sees it: its kind, its sequence number and its body (a ``Value``
/// object; see ``JournalBody``).
struct JournalEntry: Hashable {
    var type: JournalFormat.RecordType
    var sequence: UInt64
    var body: Value
}

/// A journal file read back for recovery: its header, the valid entries before any damage, where they end,
/// and how the file ends.
struct JournalFileScan {
    var header: JournalFormat.Header
    var entries: [JournalEntry]
    /// The offset just after the last valid entry.
    var validEnd: Int
    var ending: JournalScan.Ending
}

/// How journal entries are laid out in a file. Two layouts exist: ``BinaryJournalFormat`` (framed records
/// whose payload a registered codec encodes) and ``NDJSONJournalFormat`` (one JSON object per line,
/// readable with `jq` and `tail -f`). Both give every entry a checksum and a sequence number, so a scan
/// tells a clean end from a torn tail from damage in the middle.
protocol JournalFileFormat: Sendable {
    /// The name a database directory records: `binary` or `ndjson`.
    var name: String { get }
    /// The journal file name extension: `log` or `ndjson`.
    var fileExtension: String { get }
    /// The bytes that start a new journal file.
    func encodeHeader(_ header: JournalFormat.Header) -> [UInt8]
    /// Encodes an entry's body; runs before the sequence number is known (outside the journal's lock).
    func encodeBody(_ body: Value) throws(DictDBError) -> [UInt8]
    /// The complete bytes of one entry, ready for a single `write()`.
    func frame(type: JournalFormat.RecordType, sequence: UInt64, encodedBody: [UInt8]) -> [UInt8]
    /// Every valid entry from `offset` on, found by skipping what does not decode: what recovery reads
    /// past damage to judge it (see ``JournalBody/syncedField``). Never throws; bodies that do not decode
    /// are left out.
    func entries(in bytes: [UInt8], from offset: Int) -> [JournalEntry]
    /// Reads a whole journal file.
    /// - Throws: ``DictDBError/Code/corrupt`` or ``DictDBError/Code/unsupportedFormat`` for a bad header,
    ///   ``DictDBError/Code/corrupt`` for an entry whose checksum holds but whose body cannot be decoded.
    func scan(_ bytes: [UInt8], path: String) throws(DictDBError) -> JournalFileScan
}

/// The binary layout of ``JournalFormat``: each record's payload is the body encoded by a registered codec.
struct BinaryJournalFormat: JournalFileFormat {
    let name = "binary"
    let fileExtension = "log"
    /// The codec that encodes bodies (the database's snapshot codec, without compression).
    let codec: any StorageCodec
    let limits: DecodingLimits

    init(codec: any StorageCodec, limits: DecodingLimits = .default) {
        self.codec = codec
        self.limits = limits
    }

    func encodeHeader(_ header: JournalFormat.Header) -> [UInt8] {
        JournalFormat.encodeHeader(header)
    }

    func encodeBody(_ body: Value) throws(DictDBError) -> [UInt8] {
        let bytes = try codec.encode(body)
        if bytes.count > JournalFormat.maxRecordLength - JournalFormat.recordOverhead {
            throw DictDBError(
                .limitExceeded,
                "a change of \(bytes.count) bytes is larger than a journal record may be (\(JournalFormat.maxRecordLength) bytes)",
                context: .init(found: String(bytes.count)))
        }
        return bytes
    }

    func frame(type: JournalFormat.RecordType, sequence: UInt64, encodedBody: [UInt8]) -> [UInt8] {
        JournalFormat.encode(.init(type: type, sequence: sequence, payload: encodedBody))
    }

    func entries(in bytes: [UInt8], from offset: Int) -> [JournalEntry] {
        var entries: [JournalEntry] = []
        var position = max(offset, JournalFormat.headerSize)
        while position + JournalFormat.recordOverhead <= bytes.count {
            guard
                case .success(let (record, next)) = JournalScan.decodeRecord(bytes, at: position, expectedSequence: nil)
            else {
                position += 1
                continue
            }
            if let body = try? codec.decode(record.payload, limits: limits) {
                entries.append(JournalEntry(type: record.type, sequence: record.sequence, body: body))
            }
            position = next
        }
        return entries
    }

    func scan(_ bytes: [UInt8], path: String) throws(DictDBError) -> JournalFileScan {
        let raw = try JournalScan.scan(bytes, path: path)
        var entries: [JournalEntry] = []
        entries.reserveCapacity(raw.records.count)
        for record in raw.records {
            let body: Value
            do {
                body = try codec.decode(record.payload, limits: limits)
            } catch {
                throw DictDBError(
                    .corrupt, "\(path): journal record \(record.sequence) has a valid checksum but cannot be decoded",
                    context: .init(path: path), underlying: error)
            }
            entries.append(JournalEntry(type: record.type, sequence: record.sequence, body: body))
        }
        return JournalFileScan(header: raw.header, entries: entries, validEnd: raw.validEnd, ending: raw.ending)
    }
}
