import DictDBAPI

/// The plugins of this package, registered together.
///
/// ```swift
/// import CustomPlugins
/// import DictDB
///
/// var registry = Registry.standard
/// try CustomPlugins.register(into: &registry)
/// let db = try Database.open(at: "./data", configuration: configuration, registry: registry)
/// ```
public enum CustomPlugins {
    /// Registers `ndjson` (its values written by the registry's `json` codec), `zstd`, `trigram`, `ulid`
    /// and `every-64` into `registry`. Every registered codec composes with `zstd` by name
    /// (`ndjson+zstd`, `msgpack+zstd`).
    /// - Throws: ``DictDBAPI/DictDBError/Code/unknownPlugin`` when `registry` has no `json` codec.
    public static func register(into registry: inout Registry) throws(DictDBError) {
        registry.register(codec: NDJSONSnapshotCodec(values: try registry.codec(named: "json")))
        registry.register(compressor: ZstdCompressor())
        registry.register(indexKind: TrigramIndexKind())
        registry.register(keyGenerator: ULIDKeyGenerator())
        registry.register(syncPolicy: EveryNSyncPolicy(every: 64))
    }
}
