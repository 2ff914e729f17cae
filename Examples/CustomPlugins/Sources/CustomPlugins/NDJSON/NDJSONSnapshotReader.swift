import DictDBAPI

/// Reads NDJSON snapshot lines from a source, checking every line, the event order and the final digest.
final class NDJSONSnapshotReader: SnapshotReader {
    private let source: any ByteSource
    private let values: any StorageCodec
    private let limits: DecodingLimits
    /// The longest line accepted: room for the longest string, fully escaped, and some structure.
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    /// Where unread bytes start in `buffer`.
    private var cursor = 0
    /// The file offset of `buffer[0]`.
    private var bufferOffset: Int64 = 0
    private var atEndOfSource = false
    private var digest = CRC32C()
    private var lines = 0
    private var position = Position.header

    /// Where the reader is in the event order.
    private enum Position {
        case header
        case meta
        case betweenTables
        case inTable
        case done
    }

    private static let readSize = 64 * 1024

    init(from source: any ByteSource, values: any StorageCodec, limits: DecodingLimits) {
        self.source = source
        self.values = values
        self.limits = limits
        let (escaped, overflow) = limits.maxStringBytes.multipliedReportingOverflow(by: 6)
        maxLineBytes = overflow ? Int.max : escaped.addingReportingOverflow(1 << 20).partialValue
    }

    func next() throws(DictDBError) -> SnapshotEvent? {
        while true {
            if position == .done { return nil }
            guard let (line, offset) = try nextLine() else {
                throw NDJSONLine.corrupt("the file ends before its end line (truncated)", currentOffset)
            }
            if position == .header {
                guard line.elementsEqual(NDJSONLine.header.dropLast()) else {
                    throw NDJSONLine.corrupt("the file does not start with the ndjson header", offset)
                }
                count(line)
                position = .meta
                continue
            }
            let (kind, valueBytes) = try NDJSONLine.decode(line, offset: offset)
            let value = try valueBytes.map { (bytes) throws(DictDBError) in
                try values.decode(Array(bytes), limits: limits)
            }
            let event = try self.event(kind, value, offset: offset)
            count(line)
            return event
        }
    }

    /// Checks the event order and turns a line into its event.
    private func event(_ kind: NDJSONLine.Kind, _ value: Value?, offset: Int64) throws(DictDBError) -> SnapshotEvent {
        switch (position, kind, value) {
        case (.meta, .meta, .object(let meta)?):
            position = .betweenTables
            return .meta(meta)
        case (.betweenTables, .table, .object(let header)?):
            position = .inTable
            return .beginTable(header)
        case (.inTable, .record, .object(let record)?):
            return .record(record)
        case (.inTable, .endTable, nil):
            position = .betweenTables
            return .endTable
        case (.betweenTables, .end, .object(let summary)?):
            guard summary["lines"] == .int(Int64(lines)),
                summary["digest"] == .string(String(digest.value, radix: 16))
            else { throw NDJSONLine.corrupt("lines are missing, repeated or reordered (digest mismatch)", offset) }
            try expectEndOfSource()
            position = .done
            return .end
        default:
            throw NDJSONLine.corrupt("a '\(kind.rawValue)' line cannot come here", offset)
        }
    }

    /// Adds a line (and its newline) to the digest of the lines before `end`.
    private func count(_ line: ArraySlice<UInt8>) {
        digest.update(line)
        digest.update(CollectionOfOne(0x0A))
        lines += 1
    }

    private var currentOffset: Int64 { bufferOffset + Int64(cursor) }

    /// The next line without its newline, and its file offset; `nil` at the end of the source. A last
    /// line without a newline is truncated.
    private func nextLine() throws(DictDBError) -> (ArraySlice<UInt8>, Int64)? {
        // Bytes after `cursor` already searched for a newline (a fill moves `cursor`, not this count).
        var searched = 0
        while true {
            if let newline = buffer[(cursor + searched)...].firstIndex(of: 0x0A) {
                let line = buffer[cursor..<newline]
                let offset = currentOffset
                cursor = newline + 1
                return (line, offset)
            }
            searched = buffer.count - cursor
            if buffer.count - cursor > maxLineBytes {
                throw DictDBError(
                    .limitExceeded, "ndjson snapshot: a line is longer than \(maxLineBytes) bytes",
                    context: .init(plugin: "codec:ndjson", offset: currentOffset))
            }
            guard try fill() else {
                if cursor == buffer.count { return nil }
                throw NDJSONLine.corrupt("the last line has no newline (truncated)", currentOffset)
            }
        }
    }

    /// Reads more bytes, dropping consumed ones first; false at the end of the source.
    private func fill() throws(DictDBError) -> Bool {
        if atEndOfSource { return false }
        if cursor > 0 {
            buffer.removeFirst(cursor)
            bufferOffset += Int64(cursor)
            cursor = 0
        }
        let start = buffer.count
        buffer += [UInt8](repeating: 0, count: Self.readSize)
        let source = self.source
        let result: Result<Int, DictDBError> = buffer.withUnsafeMutableBytes { bytes in
            do throws(DictDBError) {
                return .success(try source.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[start...])))
            } catch {
                return .failure(error)
            }
        }
        let count = try result.get()
        buffer.removeLast(Self.readSize - count)
        if count == 0 { atEndOfSource = true }
        return count > 0
    }

    /// Throws unless nothing follows the end line.
    private func expectEndOfSource() throws(DictDBError) {
        while cursor == buffer.count {
            guard try fill() else { return }
        }
        throw NDJSONLine.corrupt("bytes follow the end line", currentOffset)
    }
}
