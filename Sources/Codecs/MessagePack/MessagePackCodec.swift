import DictDBAPI

/// The `msgpack` snapshot codec: standard MessagePack that other MessagePack libraries read, streamed both
/// ways.
///
/// A snapshot is one map of three entries, in this order:
///
/// | key | value |
/// |---|---|
/// | `"_meta"` | the meta record (a map), which must hold an int field `tableCount` |
/// | `"tables"` | an array of `tableCount` maps `{"table": header, "records": [record, ...]}`; each header holds an int field `recordCount` |
/// | `"checksum"` | a uint32: zlib's CRC-32 of every byte before the `"checksum"` key |
///
/// Integers use the smallest standard encoding, doubles are always float64 (so `30103.0` stays a double),
/// strings are `str`, records are maps with their fields in order. Reading checks the counts, the checksum,
/// `DecodingLimits` (before allocating: a declared length cannot make the reader allocate more than the
/// input holds) and that nothing follows the checksum; every error carries the byte offset.
///
/// ```swift
/// let codec = MessagePackCodec()
/// let sink = BufferSink()
/// let writer = try codec.makeWriter(to: sink)
/// try writer.write(.meta(["format": "dictdb", "version": 1, "tableCount": 0]))
/// try writer.write(.end)
/// ```
public struct MessagePackCodec: StorageCodec {
    /// Creates the codec.
    public init() {}

    /// `"msgpack"`.
    public var name: String { "msgpack" }

    /// Whether `prefix` starts with `0x83` (a map of 3 entries) and the fixstr `"_meta"`.
    public func recognizes(prefix: [UInt8]) -> Bool {
        prefix.starts(with: [0x83, 0xA5] + Array("_meta".utf8))
    }

    /// Starts writing a snapshot to `sink` through a 64 KiB buffer.
    ///
    /// The meta record must hold an int field `tableCount` and each table header an int field
    /// `recordCount`; events that disagree with them throw `DictDBError.Code.invalidState`.
    public func makeWriter(to sink: any ByteSink) throws(DictDBError) -> any SnapshotWriter {
        MessagePackSnapshotWriter(to: sink)
    }

    /// Starts reading a snapshot from `source`, 64 KiB at a time, within `limits`.
    public func makeReader(
        from source: any ByteSource, limits: DecodingLimits
    ) throws(DictDBError)
        -> any SnapshotReader
    {
        MessagePackSnapshotReader(from: source, limits: limits)
    }

    /// The MessagePack bytes of `value` (no checksum: the journal frames it).
    /// - Throws: `DictDBError.Code.invalidValue` for a NaN or infinite double.
    public func encode(_ value: Value) throws(DictDBError) -> [UInt8] {
        let sink = BufferSink()
        var emitter = MessagePackEmitter(out: ByteOutput(to: sink, capacity: 4096))
        try emitter.writeValue(value)
        try emitter.out.flush()
        return sink.bytes
    }

    /// The value in `bytes`, which must hold exactly one MessagePack value.
    /// - Throws: `DictDBError.Code.corrupt` for malformed or trailing bytes, `DictDBError.Code.invalidValue`
    ///   for a number out of range, `DictDBError.Code.limitExceeded` past `limits`.
    public func decode(_ bytes: [UInt8], limits: DecodingLimits) throws(DictDBError) -> Value {
        let input = ByteInput(from: BufferSource(bytes), capacity: min(CodecChunk.size, bytes.count + 16))
        var scanner = MessagePackScanner(input: input, limits: limits)
        let value = try scanner.parseValue(depth: 0)
        guard try scanner.input.isAtEnd() else {
            throw scanner.corrupt("unexpected bytes after the value", expected: "end of input")
        }
        return value
    }
}
