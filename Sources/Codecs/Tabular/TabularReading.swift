import DictDBAPI

/// Helpers shared by the record readers.
enum TabularReading {
    /// Consumes a UTF-8 byte order mark (`EF BB BF`) at the current position, if there is one.
    static func skipByteOrderMark(_ input: inout ByteInput) throws(DictDBError) {
        _ = try input.require(3)
        guard input.available >= 3 else { return }
        let bytes = input.start + input.position
        if bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { input.position += 3 }
    }

    /// `error` from the JSON scanner, re-told for a record file: the message starts with `where` and drops
    /// the scanner's "json snapshot ... at byte N" preamble; `context.offset` moves by `base` (the offset of
    /// the scanned bytes in the file) and is named in the message.
    /// Errors of other codes (the source's own) pass through unchanged.
    static func relocate(_ error: DictDBError, where place: String, base: Int64) -> DictDBError {
        guard [.corrupt, .limitExceeded, .invalidValue].contains(error.code), let relative = error.context.offset
        else { return error }
        var error = error
        let offset = relative + base
        error.context.offset = offset
        error.context.plugin = nil
        error.message = "\(place): \(scannerDetail(error.message)) (at byte \(offset))"
        return error
    }

    /// The part of a JSON scanner message after its `json ... at byte N` preamble (the whole message when it
    /// has none): `"expected a value"` from `"json snapshot is corrupt at byte 5: expected a value"`.
    static func scannerDetail(_ message: String) -> String {
        guard message.hasPrefix("json ") else { return message }
        let marker = " at byte "
        var start = message.startIndex
        while start < message.endIndex && !message[start...].hasPrefix(marker) { start = message.index(after: start) }
        guard start < message.endIndex else { return message }
        let afterMarker = message[start...].dropFirst(marker.count)
        var rest = afterMarker.drop { $0.isASCII && $0.isNumber }
        if rest.hasPrefix(":") { rest = rest.dropFirst() }
        rest = rest.drop { $0 == " " }
        // "json data at byte N exceeds the ... limit" keeps its verb; the others keep what follows the colon.
        if message[..<start] == "json data" && !afterMarker.contains(":") { return "the input " + rest }
        return String(rest)
    }

    /// The error for a reader used again after it failed.
    static func unusable(_ format: RecordFileFormat) -> DictDBError {
        DictDBError(.invalidState, "this \(format) record reader failed earlier; start a new reader")
    }
}

/// A ``ByteSource`` over bytes the caller keeps alive while it is read (one line of NDJSON, one CSV cell).
final class RawBytesSource: ByteSource {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    /// Reads `bytes`, which must stay valid and unchanged while this source is used.
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DictDBError) -> Int {
        let count = min(buffer.count, bytes.count - position)
        guard count > 0, let base = bytes.baseAddress, let target = buffer.baseAddress else { return 0 }
        target.copyMemory(from: base + position, byteCount: count)
        position += count
        return count
    }
}

extension JSONScanner {
    /// Parses `bytes`, which must hold exactly one JSON value (whitespace around it is allowed).
    ///
    /// Errors carry offsets relative to the start of `bytes`.
    static func parseOneValue(_ bytes: UnsafeRawBufferPointer, limits: DecodingLimits) throws(DictDBError) -> Value {
        var input = ByteInput(from: RawBytesSource(bytes), capacity: min(CodecChunk.size, bytes.count + 16))
        _ = input.sealChecksum()
        var scanner = JSONScanner(input: input, limits: limits)
        let value = try scanner.parseValue(depth: 0)
        if let extra = try scanner.nextNonWhitespace() {
            throw scanner.corrupt(
                "unexpected bytes after the value (first: \(describe(extra)))", expected: "end of the value")
        }
        return value
    }
}
