import DictDBAPI

/// The contract of `IndexKind`, `TableIndex` and `OrderedTableIndex` as a check a plugin author runs in
/// their own tests, the same check the built-in kinds pass.
///
/// `check(_:fields:options:keys:predicates:seed:steps:)` makes an index, runs a seeded random sequence of
/// inserts and removes against a plain model, and checks along the way:
/// - **exact answers**: `TableIndex.rows(matching:)` returns exactly the rows whose key satisfies the
///   predicate (as `IndexPredicate.matches(_:)` decides), or `nil`;
/// - **consistent estimates**: `TableIndex.estimatedRows(matching:)` is `nil` exactly when the rows are,
///   and never negative;
/// - **statistics**: entries and distinct keys;
/// - **value semantics**: a copy kept while the original changes, or changed while the original is kept,
///   stays independent;
/// - **removeAll**, **build(from:)** (equals inserting one by one, and replaces what was there) and
///   **removing an absent entry does nothing**;
/// - for an `OrderedTableIndex`, **ordered visits** (the matching entries by key, rows ascending within a
///   key, in both directions) and that a visit **stops when the body returns false**.
///
/// ```swift
/// import DictDBContracts
/// import Testing
///
/// @Test func trigramIndexKeepsTheContract() throws {
///     try IndexKindContract.check(TrigramIndexKind())
///     try IndexKindContract.checkRejects(
///         TrigramIndexKind(), IndexDefinition(name: "t", fields: ["a", "b"], kind: "trigram"))
/// }
/// ```
///
/// A violation's description names the clause, the predicate and the expected and found rows, with the seed
/// and step that replay it.
public enum IndexKindContract {
    /// Checks `kind` and the indexes it makes against the contract.
    ///
    /// - Parameters:
    ///   - kind: The index kind under test.
    ///   - fields: The definition's fields; pass two or more (with array `keys`, such as
    ///     `standardCompositeKeys`) for a kind that serves several fields.
    ///   - options: The definition's options.
    ///   - keys: The keys the random operations pick from; each is also checked with an `equal` predicate.
    ///   - predicates: The predicates asked after every batch of operations, besides `equal` on each key.
    ///   - seed: The seed of the random operations; a violation names it.
    ///   - steps: How many random inserts and removes to run.
    /// - Throws: The first ``ContractViolation`` found.
    /// - Complexity: O(`steps` × (`keys` + `predicates`)) index calls.
    public static func check(
        _ kind: any IndexKind, fields: [String] = ["f"], options: [String: String] = [:],
        keys: [Value] = IndexKindContract.standardKeys,
        predicates: [IndexPredicate] = IndexKindContract.standardPredicates, seed: UInt64 = 42, steps: Int = 3_000
    ) throws(ContractViolation) {
        let definition = IndexDefinition(name: "contract", fields: fields, kind: kind.name, options: options)
        let run = IndexContractRun(
            kind: kind, definition: definition, keys: keys.isEmpty ? [.null] : keys,
            predicates: predicates, seed: seed, steps: max(0, steps))
        try run.execute()
    }

    /// Checks that `kind` rejects `definition` (too few or too many fields, an unknown option) with a
    /// `DictDBError` whose code is `DictDBError.Code.invalidArgument`.
    ///
    /// ```swift
    /// try IndexKindContract.checkRejects(
    ///     HashIndexKind(), IndexDefinition(name: "h", fields: ["f"], kind: "hash", options: ["order": "desc"]))
    /// ```
    /// - Throws: A ``ContractViolation`` when `makeIndex` accepts the definition or throws another code.
    public static func checkRejects(_ kind: any IndexKind, _ definition: IndexDefinition) throws(ContractViolation) {
        do {
            _ = try kind.makeIndex(definition)
        } catch {
            guard error.code == .invalidArgument else {
                throw ContractViolation(
                    plugin: "indexKind '\(kind.name)'", clause: IndexContractRun.Clause.rejects,
                    detail: "makeIndex(\(definition)) threw \(error.code), expected invalidArgument: \(error)")
            }
            return
        }
        throw ContractViolation(
            plugin: "indexKind '\(kind.name)'", clause: IndexContractRun.Clause.rejects,
            detail: "makeIndex(\(definition)) made an index, expected an invalidArgument error")
    }
}
