import DictDBAPI

/// A promise a plugin broke, found by one of the contract checks (``IndexKindContract``,
/// ``StorageCodecContract``, ``CompressorContract``, ``PrimaryKeyGeneratorContract``,
/// ``SyncPolicyContract``).
///
/// Its description names the plugin, the clause of the contract and what was observed, with enough detail
/// (seed, step, input) to replay the failure:
///
/// ```
/// indexKind 'trigram' breaks "exact answers": rows(matching: CONTAINS "ab") returned [3, 7], expected [3] (seed 42, step 1200)
/// ```
public struct ContractViolation: Error, Sendable, CustomStringConvertible {
    /// The plugin, as `kind 'name'`: `indexKind 'trigram'`, `codec 'ndjson'`.
    public var plugin: String
    /// The clause of the contract that does not hold, as the protocol's documentation words it.
    public var clause: String
    /// What was observed, against what was expected.
    public var detail: String

    /// Creates a violation.
    public init(plugin: String, clause: String, detail: String) {
        self.plugin = plugin
        self.clause = clause
        self.detail = detail
    }

    /// `plugin breaks "clause": detail`.
    public var description: String { "\(plugin) breaks \"\(clause)\": \(detail)" }
}
