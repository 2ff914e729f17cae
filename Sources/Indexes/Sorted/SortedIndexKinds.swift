import DictDBAPI

/// The `sorted` index kind: a ``SortedIndex`` (a B+tree) over one field, or over several fields as a
/// composite index (see ``CompositeIndexKind``).
///
/// ```swift
/// var registry = Registry()
/// registry.register(indexKind: SortedIndexKind())
/// let index = try SortedIndexKind().makeIndex(IndexDefinition(name: "age", fields: ["age"], kind: "sorted"))
/// ```
public struct SortedIndexKind: IndexKind {
    /// `"sorted"`.
    public let name = "sorted"

    /// Creates the kind.
    public init() {}

    /// An empty ``SortedIndex``. Accepts one or more fields; takes no options.
    /// - Throws: `DictDBError.Code.invalidArgument` for a definition without fields or with options.
    /// - Complexity: O(1).
    public func makeIndex(_ definition: IndexDefinition) throws(DictDBError) -> any TableIndex {
        try rejectUnknownOptions(definition, kind: name)
        try requireFields(definition, kind: name, atLeast: 1)
        return SortedIndex(definition: definition)
    }
}

/// The `composite` index kind: a ``SortedIndex`` over two or more fields, whose keys are the arrays of the
/// fields' values (`IndexDefinition.key(for:)`).
///
/// Arrays sort lexicographically, so the rows with given values for the first fields and a range on the next
/// one are one run of the tree: the index answers `IndexPredicate.compositeRange(equal:lower:upper:)`
/// as well as equality and ranges on whole keys.
///
/// ```swift
/// let index = try CompositeIndexKind().makeIndex(
///     IndexDefinition(name: "city_age", fields: ["city", "age"], kind: "composite"))
/// index.rows(matching: .compositeRange(equal: ["Paris"], lower: RangeBound(18, inclusive: true), upper: nil))
/// ```
public struct CompositeIndexKind: IndexKind {
    /// `"composite"`.
    public let name = "composite"

    /// Creates the kind.
    public init() {}

    /// An empty ``SortedIndex`` over the definition's fields. Takes no options.
    /// - Throws: `DictDBError.Code.invalidArgument` for fewer than two fields or for options.
    /// - Complexity: O(1).
    public func makeIndex(_ definition: IndexDefinition) throws(DictDBError) -> any TableIndex {
        try rejectUnknownOptions(definition, kind: name)
        try requireFields(definition, kind: name, atLeast: 2)
        return SortedIndex(definition: definition)
    }
}

/// Rejects a definition with fewer than `minimum` fields.
private func requireFields(_ definition: IndexDefinition, kind: String, atLeast minimum: Int) throws(DictDBError) {
    guard definition.fields.count < minimum else { return }
    throw DictDBError(
        .invalidArgument,
        "index kind '\(kind)' needs at least \(minimum) field\(minimum == 1 ? "" : "s"), "
            + "got \(definition.fields.count)",
        context: .init(
            index: definition.name, plugin: "indexKind:\(kind)", expected: "at least \(minimum) fields",
            found: "\(definition.fields.count)"))
}
