import DictDBAPI

/// Reads a binary journal's records and classifies how it ends, for recovery.
///
/// A journal ends cleanly, or with a **torn tail** (damage with no valid record after it: a write that a
/// crash cut short, which recovery truncates), or with **damage in the middle** (a bad record followed by
/// valid ones: lost acknowledged data, which recovery refuses unless asked to stop at the last good record).
struct JournalScan: Hashable {
    /// How the valid records end.
    enum Ending: Hashable {
        /// The file ends right after the last valid record.
        case clean
        /// Bytes from `offset` on hold no valid record.
        case tornTail(offset: Int, reason: String)
        /// The record at `offset` is bad, yet a valid record starts at `nextValidOffset`.
        case damaged(offset: Int, reason: String, nextValidOffset: Int)
    }

    var header: JournalFormat.Header
    /// The valid records before any damage, in order.
    var records: [JournalFormat.Record]
    /// The offset just after the last valid record.
    var validEnd: Int
    var ending: Ending

    /// Scans a whole journal file.
    /// - Throws: ``DictDBError/Code/corrupt`` or ``DictDBError/Code/unsupportedFormat`` for a bad header.
    static func scan(_ bytes: [UInt8], path: String) throws(DictDBError) -> JournalScan {
        let header = try JournalFormat.decodeHeader(bytes, path: path)
        var records: [JournalFormat.Record] = []
        var offset = JournalFormat.headerSize
        var expected = header.baseSequence &+ 1
        while offset < bytes.count {
            switch decodeRecord(bytes, at: offset, expectedSequence: expected) {
            case .success(let (record, next)):
                records.append(record)
                offset = next
                expected &+= 1
            case .failure(let problem):
                let ending: Ending
                if let next = nextValidRecord(bytes, after: offset, minimumSequence: expected) {
                    ending = .damaged(offset: offset, reason: problem.reason, nextValidOffset: next)
                } else {
                    ending = .tornTail(offset: offset, reason: problem.reason)
                }
                return JournalScan(header: header, records: records, validEnd: offset, ending: ending)
            }
        }
        return JournalScan(header: header, records: records, validEnd: offset, ending: .clean)
    }

    struct Problem: Error {
        var reason: String
    }

    /// Decodes the record at `offset` and returns it with the offset after it.
    static func decodeRecord(
        _ bytes: [UInt8], at offset: Int, expectedSequence: UInt64?
    )
        -> Result<(JournalFormat.Record, Int), Problem>
    {
        guard bytes.count - offset >= JournalFormat.recordOverhead else {
            return .failure(Problem(reason: "\(bytes.count - offset) bytes are too few for a record"))
        }
        let length = Int(JournalFormat.read(bytes, at: offset, bytes: 4))
        guard length >= 9, length <= JournalFormat.maxRecordLength else {
            return .failure(Problem(reason: "record length \(length) is impossible"))
        }
        let end = offset + 8 + length
        guard end <= bytes.count else {
            return .failure(Problem(reason: "record of \(length) bytes runs past the end of the file"))
        }
        let stored = UInt32(JournalFormat.read(bytes, at: offset + 4, bytes: 4))
        let actual = bytes.withUnsafeBytes { raw in
            CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[(offset + 8)..<end]))
        }
        guard CRC32C.unmask(stored) == actual else {
            return .failure(Problem(reason: "record checksum does not match"))
        }
        guard let type = JournalFormat.RecordType(rawValue: bytes[offset + 8]) else {
            return .failure(Problem(reason: "unknown record type \(bytes[offset + 8])"))
        }
        let sequence = JournalFormat.read(bytes, at: offset + 9, bytes: 8)
        if let expectedSequence, sequence != expectedSequence {
            return .failure(Problem(reason: "record sequence \(sequence) where \(expectedSequence) was due"))
        }
        let record = JournalFormat.Record(type: type, sequence: sequence, payload: Array(bytes[(offset + 17)..<end]))
        return .success((record, end))
    }

    /// The offset of the first valid record after `offset` with a sequence of at least `minimumSequence`.
    static func nextValidRecord(_ bytes: [UInt8], after offset: Int, minimumSequence: UInt64) -> Int? {
        var candidate = offset + 1
        while candidate + JournalFormat.recordOverhead <= bytes.count {
            if case .success(let (record, _)) = decodeRecord(bytes, at: candidate, expectedSequence: nil),
                record.sequence >= minimumSequence
            {
                return candidate
            }
            candidate += 1
        }
        return nil
    }
}
