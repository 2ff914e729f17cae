import DictDBAPI

/// Reads NDJSON: one JSON object per line, lines ending in `\n` or `\r\n` (the last one may lack it).
///
/// Lines that are empty or hold only whitespace are skipped; a UTF-8 byte order mark at the start is
/// skipped. Every other line must hold exactly one JSON object, parsed by the `json` codec's scanner (ints
/// stay ints, doubles doubles, field order kept, repeated keys rejected); anything else is
/// ``DictDBError/Code/corrupt`` with a message naming the line and `context.offset` the byte. A line longer
/// than ``DecodingLimits/maxStringBytes`` is ``DictDBError/Code/limitExceeded`` before it is gathered.
final class NDJSONRecordReader: RecordReader {
    var format: RecordFileFormat { .ndjson }
    private(set) var location: RecordLocation?
    private var input: ByteInput
    private let limits: DecodingLimits
    /// Lines consumed so far.
    private var lineNumber = 0
    private var recordNumber = 0
    /// Holds a line that does not fit in the input's chunk.
    private var spill: [UInt8] = []
    /// Parses each line, given a new input per line; kept so that records of one shape share field names.
    private var scanner: JSONScanner
    private var atStart = true
    private var failed = false

    /// Creates a reader of `source` within `limits`.
    init(from source: any ByteSource, limits: DecodingLimits) {
        input = ByteInput(from: source)
        _ = input.sealChecksum()
        self.limits = limits
        scanner = JSONScanner(
            input: ByteInput(from: RawBytesSource(UnsafeRawBufferPointer(start: nil, count: 0))), limits: limits)
    }

    func next() throws(DictDBError) -> Record? {
        guard !failed else { throw TabularReading.unusable(format) }
        do {
            return try readRecord()
        } catch {
            failed = true
            throw error
        }
    }

    /// Where the next line is: in the input's chunk (`start`, `count`) or in ``spill``.
    private enum Line {
        case chunk(start: Int, count: Int)
        case spilled
    }

    private func readRecord() throws(DictDBError) -> Record? {
        if atStart {
            try TabularReading.skipByteOrderMark(&input)
            atStart = false
        }
        while true {
            let offset = input.offset
            guard let line = try nextLine() else { return nil }
            lineNumber += 1
            let record: Record?
            switch line {
            case .chunk(let start, let count):
                record = try parse(UnsafeRawBufferPointer(start: input.start + start, count: count), offset: offset)
            case .spilled:
                let bytes = spill
                record = try withUnsafeBytesTyped(bytes) { (raw) throws(DictDBError) in
                    try parse(raw, offset: offset)
                }
            }
            guard let record else { continue }
            recordNumber += 1
            location = RecordLocation(format: .ndjson, record: recordNumber, line: lineNumber, offset: offset)
            return record
        }
    }

    /// Finds the next line and consumes it with its terminator; `nil` at the end of the input. A chunk line
    /// stays valid until the next call; a trailing `\r` is left out.
    private func nextLine() throws(DictDBError) -> Line? {
        spill.removeAll(keepingCapacity: spill.capacity <= 4 * CodecChunk.size)
        var scanned = 0
        var spilled = false
        while true {
            let bytes = input.start + input.position
            let available = input.available
            var index = scanned
            while index < available && bytes[index] != 0x0A { index &+= 1 }
            if index < available {
                let endsInCR = index > 0 ? bytes[index - 1] == 0x0D : spill.last == 0x0D
                try checkLength(spill.count + index - (endsInCR ? 1 : 0))
                let start = input.position
                input.position += index + 1
                if spilled {
                    spill.append(contentsOf: UnsafeBufferPointer(start: bytes, count: index))
                    if spill.last == 0x0D { spill.removeLast() }
                    return .spilled
                }
                return .chunk(start: start, count: endsInCR ? index - 1 : index)
            }
            // No newline in the chunk yet.
            try checkLength(spill.count + available - 1)
            if available >= input.capacity / 2 {
                spill.append(contentsOf: UnsafeBufferPointer(start: bytes, count: available))
                input.position += available
                spilled = true
                scanned = 0
            } else {
                scanned = available
            }
            guard try input.require(scanned + 1) else {
                // The input ends: what is left is the last line, without a newline.
                let rest = input.available
                if rest == 0 && !spilled { return nil }
                let start = input.position
                input.position += rest
                if spilled || rest == 0 {
                    spill.append(contentsOf: UnsafeBufferPointer(start: input.start + start, count: rest))
                    if spill.last == 0x0D { spill.removeLast() }
                    return .spilled
                }
                let hasCR = input.start[start + rest - 1] == 0x0D
                return .chunk(start: start, count: hasCR ? rest - 1 : rest)
            }
        }
    }

    /// Throws when a line of `length` bytes (without its terminator) passes the limit.
    private func checkLength(_ length: Int) throws(DictDBError) {
        guard length > limits.maxStringBytes else { return }
        throw DictDBError(
            .limitExceeded,
            "line \(lineNumber + 1) is longer than the limit of \(limits.maxStringBytes) bytes; raise "
                + "DecodingLimits.maxStringBytes if this input is trusted",
            context: .init(offset: input.offset, expected: "at most \(limits.maxStringBytes) bytes per line"))
    }

    /// The record on a line, or `nil` for a blank line.
    private func parse(_ line: UnsafeRawBufferPointer, offset: Int64) throws(DictDBError) -> Record? {
        guard let first = line.firstIndex(where: { !Self.isWhitespace($0) }) else { return nil }
        guard line[first] == UInt8(ascii: "{") else {
            throw DictDBError(
                .corrupt,
                "line \(lineNumber) is not a JSON object: it starts with \(JSONScanner.describe(line[first])) "
                    + "(at byte \(offset + Int64(first)))",
                context: .init(offset: offset + Int64(first), expected: "{", found: JSONScanner.describe(line[first])))
        }
        var lineInput = ByteInput(from: RawBytesSource(line), capacity: min(CodecChunk.size, line.count + 16))
        _ = lineInput.sealChecksum()
        scanner.input = lineInput
        do throws(DictDBError) {
            let record = try scanner.parseRecord()
            if let extra = try scanner.nextNonWhitespace() {
                throw scanner.corrupt(
                    "unexpected bytes after the object (first: \(JSONScanner.describe(extra)))",
                    expected: "one JSON object per line")
            }
            return record
        } catch {
            throw TabularReading.relocate(error, where: "line \(lineNumber)", base: offset)
        }
    }

    @inline(__always)
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
