import DictDBAPI

/// A plain, correct index kept as rows per key, with one deliberate flaw (or none), to show the index
/// check passes a correct plugin and names the clause a broken one breaks.
struct FlawedIndex: OrderedTableIndex {
    /// What the index gets wrong.
    enum Flaw: String, Sendable, CaseIterable {
        /// Nothing: a correct index.
        case none
        /// `remove` drops every row of the key, not just the one.
        case dropsEntriesOnRemove
        /// `contains` answers with every string key sharing the text's first character.
        case inexactContains
        /// Copies share one storage object.
        case sharedStorage
        /// `estimatedRows` is `nil` for `anyOf`, which `rows` answers.
        case nilEstimate
        /// `statistics` counts one distinct key too many.
        case miscountsKeys
        /// `removeAll` forgets the key count but keeps the rows.
        case removeAllKeepsRows
        /// `build(from:)` adds to what was there instead of replacing it.
        case buildAppends
        /// Walking descending visits the rows of one key descending too.
        case rowsDescendWithinAKey
        /// Walking ignores the body asking to stop.
        case ignoresStop
        /// Removing an absent entry removes some other entry of that row.
        case removesAnotherEntry
    }

    /// The storage for ``Flaw/sharedStorage``: a reference every copy shares.
    final class Box: @unchecked Sendable {  // Touched by one test at a time; no lock needed.
        var rowsByKey: [Value: Set<RowID>] = [:]
    }

    let definition: IndexDefinition
    let flaw: Flaw
    private var ownRows: [Value: Set<RowID>] = [:]
    private let box = Box()
    private var extraEntries = 0

    init(definition: IndexDefinition, flaw: Flaw) {
        self.definition = definition
        self.flaw = flaw
    }

    private var rowsByKey: [Value: Set<RowID>] {
        get { flaw == .sharedStorage ? box.rowsByKey : ownRows }
        set {
            if flaw == .sharedStorage { box.rowsByKey = newValue } else { ownRows = newValue }
        }
    }

    mutating func insert(key: Value, row: RowID) {
        rowsByKey[key, default: []].insert(row)
    }

    mutating func remove(key: Value, row: RowID) {
        if flaw == .dropsEntriesOnRemove, rowsByKey[key]?.contains(row) == true {
            rowsByKey[key] = nil
            return
        }
        if flaw == .removesAnotherEntry, rowsByKey[key]?.contains(row) != true,
            let other = rowsByKey.first(where: { $0.value.contains(row) })?.key
        {
            rowsByKey[other]?.remove(row)
            if rowsByKey[other]?.isEmpty == true { rowsByKey[other] = nil }
            return
        }
        rowsByKey[key]?.remove(row)
        if rowsByKey[key]?.isEmpty == true { rowsByKey[key] = nil }
    }

    mutating func removeAll() {
        if flaw == .removeAllKeepsRows { return }
        rowsByKey = [:]
    }

    mutating func build(from entries: [(key: Value, row: RowID)]) {
        if flaw != .buildAppends { removeAll() }
        for entry in entries { insert(key: entry.key, row: entry.row) }
    }

    func rows(matching predicate: IndexPredicate) -> [RowID]? {
        switch predicate {
        case .equal, .anyOf, .range, .prefix:
            return rowsByKey.filter { predicate.matches($0.key) }.flatMap(\.value)
        case .contains(let text) where flaw == .inexactContains:
            guard let first = text.unicodeScalars.first else {
                return rowsByKey.filter { predicate.matches($0.key) }.flatMap(\.value)
            }
            return rowsByKey.filter { key, _ in
                if case .string(let string) = key { return string.unicodeScalars.contains(first) }
                return predicate.matches(key)
            }.flatMap(\.value)
        case .contains:
            return rowsByKey.filter { predicate.matches($0.key) }.flatMap(\.value)
        case .compositeRange:
            return nil
        }
    }

    func estimatedRows(matching predicate: IndexPredicate) -> Int? {
        if flaw == .nilEstimate, case .anyOf = predicate { return nil }
        return rows(matching: predicate)?.count
    }

    var statistics: IndexStatistics {
        let entries = rowsByKey.values.reduce(0) { $0 + $1.count }
        return IndexStatistics(entries: entries, distinctKeys: rowsByKey.count + (flaw == .miscountsKeys ? 1 : 0))
    }

    func forEachEntry(matching predicate: IndexPredicate?, ascending: Bool, _ body: (Value, RowID) -> Bool) {
        if let predicate, rows(matching: predicate) == nil { return }
        let keys = rowsByKey.keys.sorted { Value.compare($0, $1) < 0 }
        for key in ascending ? keys : keys.reversed() where predicate?.matches(key) ?? true {
            let rows = (rowsByKey[key] ?? []).sorted()
            for row in !ascending && flaw == .rowsDescendWithinAKey ? rows.reversed() : rows {
                if !body(key, row) && flaw != .ignoresStop { return }
            }
        }
    }
}

/// Makes ``FlawedIndex`` values with one flaw; accepts one field and no options, or anything when `lax`.
struct FlawedIndexKind: IndexKind {
    let flaw: FlawedIndex.Flaw
    var lax = false
    var name: String { "flawed-\(flaw.rawValue)" }

    func makeIndex(_ definition: IndexDefinition) throws(DictDBError) -> any TableIndex {
        if !lax && (definition.fields.count != 1 || !definition.options.isEmpty) {
            throw DictDBError(.invalidArgument, "one field, no options", context: .init(index: definition.name))
        }
        return FlawedIndex(definition: definition, flaw: flaw)
    }
}

/// A kind whose `makeIndex` rejects with the wrong code.
struct WrongCodeIndexKind: IndexKind {
    let name = "wrong-code"

    func makeIndex(_ definition: IndexDefinition) throws(DictDBError) -> any TableIndex {
        throw DictDBError(.invalidValue, "not this one")
    }
}
