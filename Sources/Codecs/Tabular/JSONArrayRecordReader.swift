import DictDBAPI

/// Reads a JSON array of objects, one object at a time, without holding the array in memory.
///
/// Any JSON whitespace may separate tokens; a UTF-8 byte order mark at the start is skipped. Each element
/// must be an object; anything else, a missing `]`, or bytes after it are ``DictDBError/Code/corrupt``
/// with a message naming the record and `context.offset` the byte.
final class JSONArrayRecordReader: RecordReader {
    var format: RecordFileFormat { .json }
    private(set) var location: RecordLocation?
    private var scanner: JSONScanner
    private var recordNumber = 0
    private var state = State.start

    private enum State {
        case start
        case inArray
        case finished
        case failed
    }

    /// Creates a reader of `source` within `limits`.
    init(from source: any ByteSource, limits: DecodingLimits) {
        var input = ByteInput(from: source)
        _ = input.sealChecksum()
        scanner = JSONScanner(input: input, limits: limits)
    }

    func next() throws(DictDBError) -> Record? {
        do {
            return try step()
        } catch {
            state = .failed
            if error.code == .invalidState { throw error }
            throw TabularReading.relocate(error, where: "record \(recordNumber + 1) of the JSON array", base: 0)
        }
    }

    private func step() throws(DictDBError) -> Record? {
        switch state {
        case .start:
            try TabularReading.skipByteOrderMark(&scanner.input)
            try scanner.expect(UInt8(ascii: "["), "the [ that opens a JSON array of records")
            state = .inArray
            guard let byte = try scanner.nextNonWhitespace() else { throw scanner.truncated("a record or ]") }
            if byte == UInt8(ascii: "]") { return try end() }
            return try record()
        case .inArray:
            guard let byte = try scanner.nextNonWhitespace() else { throw scanner.truncated(", or ]") }
            if byte == UInt8(ascii: "]") { return try end() }
            guard byte == UInt8(ascii: ",") else {
                throw scanner.corrupt("expected , or ] after a record", expected: ", or ]")
            }
            scanner.input.position += 1
            return try record()
        case .finished:
            return nil
        case .failed:
            throw TabularReading.unusable(format)
        }
    }

    private func record() throws(DictDBError) -> Record {
        guard try scanner.nextNonWhitespace() != nil else { throw scanner.truncated("a record") }
        let offset = scanner.input.offset
        let record = try scanner.parseRecord()
        recordNumber += 1
        location = RecordLocation(format: .json, record: recordNumber, line: nil, offset: offset)
        return record
    }

    /// Consumes the closing `]` and checks that only whitespace follows.
    private func end() throws(DictDBError) -> Record? {
        scanner.input.position += 1
        if let extra = try scanner.nextNonWhitespace() {
            throw scanner.corrupt(
                "unexpected bytes after the end of the array (first: \(JSONScanner.describe(extra)))",
                expected: "end of input")
        }
        state = .finished
        return nil
    }
}
