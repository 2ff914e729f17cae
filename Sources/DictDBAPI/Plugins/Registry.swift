/// Names to plugin implementations: codecs, compressors, index kinds, key generators, sync policies.
///
/// A registry is a value handed to a database, never a global, so databases and tests stay independent.
/// `Registry.standard` (in the `DictDB` module) has every built-in; start from it and add your own:
///
/// ```swift
/// var registry = Registry.standard
/// registry.register(indexKind: TrigramIndexKind())
/// let db = Database(registry: registry)
/// ```
///
/// Registering a name that is already registered replaces the earlier plugin of that kind.
public struct Registry: Sendable {
    private var codecs: [String: any StorageCodec] = [:]
    private var compressors: [String: any Compressor] = [:]
    private var indexKinds: [String: any IndexKind] = [:]
    private var keyGenerators: [String: any PrimaryKeyGenerator] = [:]
    private var syncPolicies: [String: any SyncPolicy] = [:]
    private var validators: [String: Validator] = [:]

    /// Creates an empty registry.
    public init() {}

    /// The plugin kinds, as error messages and listings name them.
    public enum PluginKind: String, Sendable, Hashable, CaseIterable {
        /// ``StorageCodec``.
        case codec
        /// ``Compressor``.
        case compressor
        /// ``IndexKind``.
        case indexKind
        /// ``PrimaryKeyGenerator``.
        case keyGenerator
        /// ``SyncPolicy``.
        case syncPolicy
        /// A custom schema ``Validator``.
        case validator
    }

    /// Registers a storage codec under its name.
    public mutating func register(codec: any StorageCodec) { codecs[codec.name] = codec }
    /// Registers a compressor under its name.
    public mutating func register(compressor: any Compressor) { compressors[compressor.name] = compressor }
    /// Registers an index kind under its name.
    public mutating func register(indexKind: any IndexKind) { indexKinds[indexKind.name] = indexKind }
    /// Registers a primary-key generator under its name.
    public mutating func register(keyGenerator: any PrimaryKeyGenerator) {
        keyGenerators[keyGenerator.name] = keyGenerator
    }
    /// Registers a sync policy under its name.
    public mutating func register(syncPolicy: any SyncPolicy) { syncPolicies[syncPolicy.name] = syncPolicy }
    /// Registers a custom schema validator under its name, so schemas that use it can be loaded.
    public mutating func register(validator: Validator) { validators[validator.name] = validator }

    /// The storage codec registered under `name`, or a composition `"<codec>+<compressor>"`.
    ///
    /// A name with one `+` that is not itself registered resolves to a ``CompressedCodec`` of the codec named
    /// left of it and the compressor named right of it: `"json+gzip"`, `"msgpack+lz4"`.
    /// - Throws: ``DictDBError/Code/unknownPlugin`` naming the unknown codec or compressor and listing the
    ///   registered names.
    public func codec(named name: String) throws(DictDBError) -> any StorageCodec {
        if codecs[name] == nil, let plus = name.firstIndex(of: "+") {
            let baseName = String(name[..<plus])
            let compressorName = String(name[name.index(after: plus)...])
            if !compressorName.contains("+") {
                let base = try lookUp(baseName, in: codecs, kind: .codec)
                return CompressedCodec(base: base, compressor: try compressor(named: compressorName))
            }
        }
        return try lookUp(name, in: codecs, kind: .codec)
    }

    /// The compressor registered under `name`.
    /// - Throws: ``DictDBError/Code/unknownPlugin`` listing the registered names.
    public func compressor(named name: String) throws(DictDBError) -> any Compressor {
        try lookUp(name, in: compressors, kind: .compressor)
    }

    /// The index kind registered under `name`.
    /// - Throws: ``DictDBError/Code/unknownPlugin`` listing the registered names.
    public func indexKind(named name: String) throws(DictDBError) -> any IndexKind {
        try lookUp(name, in: indexKinds, kind: .indexKind)
    }

    /// The primary-key generator registered under `name`.
    /// - Throws: ``DictDBError/Code/unknownPlugin`` listing the registered names.
    public func keyGenerator(named name: String) throws(DictDBError) -> any PrimaryKeyGenerator {
        try lookUp(name, in: keyGenerators, kind: .keyGenerator)
    }

    /// The sync policy registered under `name`.
    /// - Throws: ``DictDBError/Code/unknownPlugin`` listing the registered names.
    public func syncPolicy(named name: String) throws(DictDBError) -> any SyncPolicy {
        try lookUp(name, in: syncPolicies, kind: .syncPolicy)
    }

    /// The custom schema validator registered under `name`.
    /// - Throws: ``DictDBError/Code/unknownPlugin`` listing the registered names.
    public func validator(named name: String) throws(DictDBError) -> Validator {
        try lookUp(name, in: validators, kind: .validator)
    }

    /// The registered names of one kind of plugin, sorted.
    public func names(of kind: PluginKind) -> [String] {
        switch kind {
        case .codec: return codecs.keys.sorted()
        case .compressor: return compressors.keys.sorted()
        case .indexKind: return indexKinds.keys.sorted()
        case .keyGenerator: return keyGenerators.keys.sorted()
        case .syncPolicy: return syncPolicies.keys.sorted()
        case .validator: return validators.keys.sorted()
        }
    }

    private func lookUp<P>(_ name: String, in table: [String: P], kind: PluginKind) throws(DictDBError) -> P {
        if let plugin = table[name] { return plugin }
        let known = table.keys.sorted()
        let list = known.isEmpty ? "none are registered" : "registered: \(known.joined(separator: ", "))"
        throw DictDBError(
            .unknownPlugin, "no \(kind.rawValue) named '\(name)' (\(list))",
            context: .init(plugin: "\(kind.rawValue):\(name)", expected: known.joined(separator: ","), found: name))
    }
}
