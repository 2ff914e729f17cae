import DictDBAPI

/// `ndjson`: snapshots as newline-delimited JSON, one event per line, every line checksummed.
///
/// ```text
/// {"dictdb-ndjson":1}
/// {"e":"meta","v":{"format":"dictdb","tableCount":1,...},"c":"5d1e0a3c"}
/// {"e":"table","v":{"name":"users","recordCount":2,...},"c":"0b7f19e2"}
/// {"e":"record","v":{"id":1,"name":"Ada"},"c":"9a40c1d7"}
/// {"e":"record","v":{"id":2,"name":"Alan"},"c":"e13b8f06"}
/// {"e":"endTable","c":"3c2a8d11"}
/// {"e":"end","v":{"lines":6,"digest":"77c0f2ab"},"c":"41d9e0b3"}
/// ```
///
/// Each value is written by another codec's ``DictDBAPI/StorageCodec/encode(_:)`` (the registry's
/// `json`), which keeps ints and doubles apart and fields in order. A line's CRC-32C covers the line;
/// the `end` line counts the lines before it and carries a CRC-32C digest of all their bytes, so a lost,
/// repeated or reordered line is caught as surely as a flipped bit. `grep`, `jq -c 'select(.e=="record")
/// | .v'` and `split` work on the files as they are.
public struct NDJSONSnapshotCodec: StorageCodec {
    /// The codec that writes and reads each line's value: one JSON value without newlines.
    private let values: any StorageCodec

    /// Creates the codec over a JSON value codec (the registry's `json`).
    public init(values: any StorageCodec) {
        self.values = values
    }

    /// `"ndjson"`.
    public var name: String { "ndjson" }

    /// Whether `prefix` starts with the 16 bytes `{"dictdb-ndjson"`.
    public func recognizes(prefix: [UInt8]) -> Bool {
        prefix.starts(with: NDJSONLine.magic)
    }

    /// Starts writing a snapshot to `sink`, 64 KiB at a time.
    public func makeWriter(to sink: any ByteSink) throws(DictDBError) -> any SnapshotWriter {
        NDJSONSnapshotWriter(to: sink, values: values)
    }

    /// Starts reading a snapshot from `source`, 64 KiB at a time, within `limits`.
    public func makeReader(
        from source: any ByteSource, limits: DecodingLimits
    ) throws(DictDBError)
        -> any SnapshotReader
    {
        NDJSONSnapshotReader(from: source, values: values, limits: limits)
    }

    /// The value codec's bytes for `value` (journal records frame and checksum them).
    public func encode(_ value: Value) throws(DictDBError) -> [UInt8] {
        try values.encode(value)
    }

    /// The value in `bytes`, as the value codec reads it.
    public func decode(_ bytes: [UInt8], limits: DecodingLimits) throws(DictDBError) -> Value {
        try values.decode(bytes, limits: limits)
    }
}
