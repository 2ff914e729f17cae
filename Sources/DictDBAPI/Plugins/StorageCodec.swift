/// A snapshot file format: how a database's tables become bytes and back (`json`, `msgpack`, ...).
///
/// A codec streams: it never builds a whole file in memory. Writing, the engine sends a sequence of
/// ``SnapshotEvent``s to a ``SnapshotWriter``; reading, it pulls them from a ``SnapshotReader``. A codec also
/// encodes single values for journal records.
///
/// ## Contract
///
/// An implementation must guarantee:
/// - **Exact round trip** of every event and every ``Value``: ints stay ints, doubles stay doubles (bit for
///   bit, `30103.0` included), field order is kept.
/// - **Self-identifying files**: ``recognizes(prefix:)`` is true for the first bytes of every file it
///   writes and false for every other registered codec's files.
/// - **Integrity**: a checksum covers the content; a reader throws ``DictDBError/Code/corrupt`` (with the
///   offset) on any damage, truncation included, and never returns partial data as complete.
/// - **Bounded reading**: ``DecodingLimits`` are checked before allocating; hostile input throws, never
///   traps, hangs or allocates without bound.
///
/// Check an implementation with `StorageCodecContract.check` from the `DictDBContracts` library, which the
/// built-in plugins' tests run too.
public protocol StorageCodec: Sendable {
    /// The registry name, such as `"json"`.
    var name: String { get }
    /// Whether a file starting with `prefix` (up to 16 bytes) is in this codec's format.
    func recognizes(prefix: [UInt8]) -> Bool
    /// Starts writing a snapshot to `sink`.
    func makeWriter(to sink: any ByteSink) throws(DictDBError) -> any SnapshotWriter
    /// Starts reading a snapshot from `source`.
    func makeReader(from source: any ByteSource, limits: DecodingLimits) throws(DictDBError) -> any SnapshotReader
    /// Encodes one value (a journal payload) into bytes.
    func encode(_ value: Value) throws(DictDBError) -> [UInt8]
    /// Decodes one value encoded by ``encode(_:)``.
    /// - Throws: ``DictDBError/Code/corrupt`` when the bytes are not one well-formed value.
    func decode(_ bytes: [UInt8], limits: DecodingLimits) throws(DictDBError) -> Value
}

/// One step of a snapshot stream, in order: `meta`, then per table `beginTable`, its records, `endTable`;
/// then `end`.
public enum SnapshotEvent: Sendable, Hashable {
    /// The snapshot's metadata: format, version, codec, creation time, generation, journal sequence.
    case meta(Record)
    /// A table's header: name, primary key, key generator and its state, schema, index definitions.
    case beginTable(Record)
    /// One record of the current table.
    case record(Record)
    /// The end of the current table.
    case endTable
    /// The end of the snapshot; a writer writes its checksum here.
    case end
}

/// Receives the events of one snapshot and writes them to a ``ByteSink``.
public protocol SnapshotWriter: AnyObject {
    /// Writes one event. Events must come in the order ``SnapshotEvent`` describes.
    /// - Throws: ``DictDBError/Code/invalidState`` out of order, or the sink's error.
    func write(_ event: SnapshotEvent) throws(DictDBError)
}

/// Yields the events of one snapshot read from a ``ByteSource``.
public protocol SnapshotReader: AnyObject {
    /// The next event, or `nil` after ``SnapshotEvent/end`` (whose checksum has then been verified).
    /// - Throws: ``DictDBError/Code/corrupt`` on damage, ``DictDBError/Code/limitExceeded`` past a limit.
    func next() throws(DictDBError) -> SnapshotEvent?
}

/// Where a codec writes bytes: a file, a compressor, a buffer.
public protocol ByteSink: AnyObject {
    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError)
}

/// Where a codec reads bytes from.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes and returns how many; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DictDBError) -> Int
}

/// Limits a reader checks before allocating, so a small hostile file cannot exhaust memory.
public struct DecodingLimits: Sendable, Hashable {
    /// The deepest nesting of arrays and objects accepted.
    public var maxDepth: Int
    /// The longest string accepted, in bytes.
    public var maxStringBytes: Int
    /// The most elements accepted in one array or object.
    public var maxContainerCount: Int
    /// The most bytes a decompressor may produce.
    public var decompression: DecompressionLimits

    /// Creates limits.
    public init(
        maxDepth: Int = 512, maxStringBytes: Int = 256 << 20, maxContainerCount: Int = 1 << 28,
        decompression: DecompressionLimits = .default
    ) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxContainerCount = maxContainerCount
        self.decompression = decompression
    }

    /// The defaults: depth 512, strings up to 256 MiB, containers up to 2^28 elements.
    public static let `default` = DecodingLimits()
}
