import Backup
import Codecs
import DictDBAPI
import Engine
import Indexes

extension Registry {
    /// Every built-in plugin under its name:
    ///
    /// | kind | names |
    /// |---|---|
    /// | index kinds | `hash`, `unique`, `sorted`, `composite` |
    /// | storage codecs | `json`, `msgpack` (and every `codec+compressor` pair, such as `msgpack+lz4`) |
    /// | compressors | `gzip`, `lz4` |
    /// | key generators | `autoincrement`, `uuid`, `uuid7` |
    /// | sync policies | `always`, `batch`, `os` |
    ///
    /// Start from it to add your own plugins: `var registry = Registry.standard; registry.register(...)`.
    public static var standard: Registry {
        var registry = Registry()
        registry.register(indexKind: HashIndexKind())
        registry.register(indexKind: UniqueIndexKind())
        registry.register(indexKind: SortedIndexKind())
        registry.register(indexKind: CompositeIndexKind())
        registry.register(codec: JSONCodec())
        registry.register(codec: MessagePackCodec())
        registry.register(compressor: GzipCompressor())
        registry.register(compressor: LZ4FrameCompressor())
        registry.register(keyGenerator: AutoIncrementKeyGenerator())
        registry.register(keyGenerator: UUIDv4KeyGenerator())
        registry.register(keyGenerator: UUIDv7KeyGenerator())
        registry.register(syncPolicy: AlwaysSyncPolicy())
        registry.register(syncPolicy: BatchSyncPolicy())
        registry.register(syncPolicy: OSSyncPolicy())
        return registry
    }
}

extension Database {
    /// Creates an empty in-memory database with every built-in plugin (``DictDBAPI/Registry/standard``).
    public convenience init() {
        self.init(registry: .standard)
    }
}

extension Database {
    /// Loads a snapshot with every built-in plugin available (``DictDBAPI/Registry/standard``).
    ///
    /// See `Database.load(from:registry:codec:limits:fileSystem:)` for what is checked.
    /// - Throws: `DictDBError.Code.corrupt`, `DictDBError.Code.unsupportedFormat`,
    ///   `DictDBError.Code.unknownPlugin`, `DictDBError.Code.io`.
    public static func load(from path: String, codec: String? = nil) throws(DictDBError) -> Database {
        try load(from: path, registry: .standard, codec: codec)
    }
}

extension Database {
    /// Opens (or creates) the on-disk database in `directory` with the built-in plugins.
    /// See `Database.open(at:options:registry:)`.
    ///
    /// ```swift
    /// let db = try Database.open(at: "./data")
    /// ```
    public static func open(at directory: String, options: OpenOptions = OpenOptions()) throws(DictDBError) -> Database
    {
        try open(at: directory, options: options, registry: .standard)
    }
}

/// Opens (or creates) the on-disk database in `directory` with the built-in plugins: `DictDB.open(at:)`.
/// See `Database.open(at:options:registry:)`.
public func open(at directory: String, options: OpenOptions = OpenOptions()) throws(DictDBError) -> Database {
    try Database.open(at: directory, options: options, registry: .standard)
}
