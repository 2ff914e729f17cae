import DictDBAPI

/// `trigram`: an index for substring searches on one string field.
///
/// The planner offers it `contains`, `hasSuffix`, and `LIKE` patterns (as their longest literal run),
/// which the built-in kinds cannot serve; it also serves prefixes. Searches for texts shorter than three
/// UTF-8 bytes are declined, and the planner scans for those.
///
/// ```swift
/// registry.register(indexKind: TrigramIndexKind())
/// try articles.createIndex(on: "title", kind: "trigram")
/// try articles.select(where: Field("title").like("%swift%"))   // INDEX articles.title_trigram (CONTAINS "swift")
/// ```
public struct TrigramIndexKind: IndexKind {
    /// Creates the kind.
    public init() {}

    /// `"trigram"`.
    public var name: String { "trigram" }

    /// A trigram index over one field.
    /// - Throws: ``DictDBAPI/DictDBError/Code/invalidArgument`` for several fields, a unique definition
    ///   (it answers no equality, so uniqueness cannot be checked with it) or any option.
    public func makeIndex(_ definition: IndexDefinition) throws(DictDBError) -> any TableIndex {
        guard definition.fields.count == 1 else {
            throw DictDBError(
                .invalidArgument, "a trigram index covers exactly one field, not \(definition.fields.count)",
                context: .init(index: definition.name, plugin: "indexKind:\(name)"))
        }
        guard !definition.unique else {
            throw DictDBError(
                .invalidArgument, "a trigram index cannot be unique; add a unique index beside it",
                context: .init(index: definition.name, plugin: "indexKind:\(name)"))
        }
        if let option = definition.options.keys.sorted().first {
            throw DictDBError(
                .invalidArgument, "a trigram index takes no options, not '\(option)'",
                context: .init(index: definition.name, plugin: "indexKind:\(name)", found: option))
        }
        return TrigramIndex(definition: definition)
    }
}
