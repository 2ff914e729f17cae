import DictDBAPI

/// The `json` snapshot codec: valid JSON that `jq` and Python's `json` read, streamed both ways.
///
/// A snapshot file looks like this (compact, on one line):
///
/// ```json
/// {"_meta":{"format":"dictdb","version":1},
///  "tables":[{"table":{"name":"users"},"records":[{"id":1,"name":"Ada","salary":30103.0}]}],
///  "checksum":"crc32:xxxxxxxx"}
/// ```
///
/// The checksum is zlib's CRC-32 of every byte before the opening quote of the `"checksum"` key, as 8
/// lowercase hex digits. Integers print as integers and doubles always with a `.` or an exponent in their
/// shortest round-trip form (`30103.0`), so ints and doubles survive the round trip; field order is kept;
/// strings are escaped per RFC 8259 (control characters as `\u00XX`, non-ASCII as raw UTF-8).
///
/// Reading accepts any whitespace between tokens, rejects duplicate keys, lone surrogates, numbers out of
/// range (`1e999`, integers beyond 64 bits) and anything after the final `}`, and checks
/// `DecodingLimits` before allocating. Every error carries the byte offset in `context.offset`.
///
/// ```swift
/// let codec = JSONCodec()
/// let sink = BufferSink()
/// let writer = try codec.makeWriter(to: sink)
/// try writer.write(.meta(["format": "dictdb", "version": 1]))
/// try writer.write(.end)
/// ```
public struct JSONCodec: StorageCodec {
    /// Creates the codec.
    public init() {}

    /// `"json"`.
    public var name: String { "json" }

    /// Whether `prefix` starts with `{"_meta"`, allowing whitespace before and after the `{`.
    ///
    /// When whitespace pushes the key past the 16 bytes given, the part of it that fits must match.
    public func recognizes(prefix: [UInt8]) -> Bool {
        func skipWhitespace(from start: Int) -> Int {
            var index = start
            while index < prefix.count, [0x20, 0x0A, 0x0D, 0x09].contains(prefix[index]) { index += 1 }
            return index
        }
        let open = skipWhitespace(from: 0)
        guard open < prefix.count, prefix[open] == UInt8(ascii: "{") else { return false }
        let rest = prefix[skipWhitespace(from: open + 1)...]
        let key = Array(#""_meta""#.utf8)
        if rest.count >= key.count { return rest.prefix(key.count).elementsEqual(key) }
        return prefix.count >= 16 && key.starts(with: rest)
    }

    /// Starts writing a snapshot to `sink` through a 64 KiB buffer.
    public func makeWriter(to sink: any ByteSink) throws(DictDBError) -> any SnapshotWriter {
        JSONSnapshotWriter(to: sink)
    }

    /// Starts reading a snapshot from `source`, 64 KiB at a time, within `limits`.
    public func makeReader(
        from source: any ByteSource, limits: DecodingLimits
    ) throws(DictDBError)
        -> any SnapshotReader
    {
        JSONSnapshotReader(from: source, limits: limits)
    }

    /// The compact JSON text of `value` (no checksum: the journal frames it).
    /// - Throws: `DictDBError.Code.invalidValue` for a NaN or infinite double.
    public func encode(_ value: Value) throws(DictDBError) -> [UInt8] {
        let sink = BufferSink()
        var emitter = JSONEmitter(out: ByteOutput(to: sink, capacity: 4096))
        try emitter.writeValue(value)
        try emitter.out.flush()
        return sink.bytes
    }

    /// The value in `bytes`, which must hold exactly one JSON value (whitespace around it is allowed).
    /// - Throws: `DictDBError.Code.corrupt` for malformed text, `DictDBError.Code.invalidValue` for a
    ///   number out of range, `DictDBError.Code.limitExceeded` past `limits`.
    public func decode(_ bytes: [UInt8], limits: DecodingLimits) throws(DictDBError) -> Value {
        let input = ByteInput(from: BufferSource(bytes), capacity: min(CodecChunk.size, bytes.count + 16))
        var scanner = JSONScanner(input: input, limits: limits)
        let value = try scanner.parseValue(depth: 0)
        if let extra = try scanner.nextNonWhitespace() {
            throw scanner.corrupt(
                "unexpected bytes after the value (first: \(JSONScanner.describe(extra)))", expected: "end of input")
        }
        return value
    }
}
