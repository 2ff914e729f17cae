/// A position in a table's row storage. Indexes map keys to row ids; the engine maps row ids to records.
///
/// Row ids grow with insertion order, so sorting row ids restores insertion order.
public typealias RowID = Int

/// A kind of secondary index (`hash`, `unique`, `sorted`, ...): a factory of ``TableIndex`` values.
///
/// ## Contract
///
/// An implementation must guarantee:
/// - ``makeIndex(_:)`` rejects definitions it cannot serve (field count, options) with
///   ``DictDBError/Code/invalidArgument`` naming the problem.
/// - The indexes it makes keep the ``TableIndex`` contract.
///
/// Check an implementation with `IndexKindContract.check` from the `DictDBContracts` library, which the
/// built-in plugins' tests run too.
public protocol IndexKind: Sendable {
    /// The registry name, such as `"hash"`.
    var name: String { get }
    /// Creates an empty index for `definition`.
    /// - Throws: ``DictDBError/Code/invalidArgument`` when the definition does not fit this kind.
    func makeIndex(_ definition: IndexDefinition) throws(DictDBError) -> any TableIndex
}

/// A secondary index over one table: keys (one field's value, or an array of several) to row ids.
///
/// ## Contract
///
/// An implementation must guarantee:
/// - **Value semantics.** Copying an index is O(1) and the copy is independent (copy-on-write): the engine
///   takes consistent cuts and rolls back by keeping the old copy.
/// - **Exact answers.** ``rows(matching:)`` returns exactly the rows whose key satisfies the predicate under
///   ``Value``'s equality and order (numbers compare across int and double; ordering predicates only match
///   keys of the bound's kind), or `nil` when it cannot serve that predicate. Order of the rows is free.
/// - **Consistent estimates.** ``estimatedRows(matching:)`` is `nil` exactly when ``rows(matching:)`` is.
/// - Keys are whatever ``IndexDefinition/key(for:)`` gives, null included: `== null` is served.
/// - Uniqueness is the engine's to enforce before any change; an index never throws from a mutation.
public protocol TableIndex: Sendable {
    /// What this index covers.
    var definition: IndexDefinition { get }
    /// Adds an entry.
    /// - Complexity: O(1) amortized for hash indexes, O(log *n*) for sorted ones.
    mutating func insert(key: Value, row: RowID)
    /// Removes an entry; removing an absent entry does nothing.
    mutating func remove(key: Value, row: RowID)
    /// Removes every entry.
    mutating func removeAll()
    /// The rows whose key satisfies `predicate`, or `nil` if this index cannot answer it.
    func rows(matching predicate: IndexPredicate) -> [RowID]?
    /// How many rows ``rows(matching:)`` would return (an estimate is allowed), or `nil` if it cannot answer.
    func estimatedRows(matching predicate: IndexPredicate) -> Int?
    /// Entry and key counts for statistics and planning.
    var statistics: IndexStatistics { get }
    /// Replaces the contents with `entries` (in row order; keys as ``IndexDefinition/key(for:)`` gives
    /// them). Building a whole index at once can be much faster than inserting one entry at a time (a sorted
    /// index can sort once and fill its tree bottom-up); the default inserts one at a time. Loading a
    /// snapshot may call it on another thread than the one that then uses the index.
    mutating func build(from entries: [(key: Value, row: RowID)])
}

extension TableIndex {
    /// Empties the index and inserts the entries one at a time.
    public mutating func build(from entries: [(key: Value, row: RowID)]) {
        removeAll()
        for entry in entries { insert(key: entry.key, row: entry.row) }
    }
}

/// A ``TableIndex`` that keeps its entries in the total order of ``Value`` and can visit them in order, so
/// the planner can serve `orderBy` (and `orderBy` + `limit` as a top-k read) without sorting.
///
/// ## Contract
///
/// In addition to the ``TableIndex`` contract: ``forEachEntry(matching:ascending:_:)`` visits exactly the
/// entries ``TableIndex/rows(matching:)`` would return (all entries when `predicate` is `nil`), ordered by
/// key ascending or descending, and **within one key by ascending row id in both directions**, so the
/// order equals a stable sort of rows in insertion order. It stops as soon as `body` returns `false`.
public protocol OrderedTableIndex: TableIndex {
    /// Visits entries in key order; entries sharing a key come in ascending row order.
    /// - Complexity: O(log *n* + *k*) for *k* visited entries.
    func forEachEntry(matching predicate: IndexPredicate?, ascending: Bool, _ body: (Value, RowID) -> Bool)
}

/// What a planner asks of an index.
public enum IndexPredicate: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Keys equal to the value.
    case equal(Value)
    /// Keys equal to any of the values.
    case anyOf([Value])
    /// Keys within bounds of one kind (numbers, strings...); a missing bound is open.
    case range(lower: RangeBound?, upper: RangeBound?)
    /// String keys that start with the prefix (as `String.hasPrefix` decides).
    case prefix(String)
    /// Composite (array) keys whose first `equal.count` elements equal `equal`, and whose next element, if
    /// a bound is given, lies within the bounds (of the bounds' kind). Served by ordered composite indexes.
    case compositeRange(equal: [Value], lower: RangeBound?, upper: RangeBound?)
    /// Keys that hold the text, as ``Condition/contains(field:element:caseInsensitive:)`` decides with a
    /// string element and case sensitivity: strings that contain its code points as a substring, and arrays
    /// with an element equal to the string. No built-in kind serves it (they return `nil`); it is offered to
    /// text indexes, such as a trigram index, for `contains`, `hasSuffix` and `LIKE` patterns without a
    /// literal prefix (the longest literal run of the pattern, as a superset the planner re-checks).
    case contains(String)

    /// A readable form for plans: `= 3`, `IN (1, 2)`, `>= 10 AND < 20`, `PREFIX "ab"`, `CONTAINS "ab"`.
    public var description: String {
        switch self {
        case .equal(let v): return "= \(v)"
        case .anyOf(let vs): return "IN (\(vs.map(\.description).joined(separator: ", ")))"
        case .range(let lower, let upper):
            var parts: [String] = []
            if let lower { parts.append("\(lower.inclusive ? ">=" : ">") \(lower.value)") }
            if let upper { parts.append("\(upper.inclusive ? "<=" : "<") \(upper.value)") }
            return parts.joined(separator: " AND ")
        case .prefix(let p): return "PREFIX \(Value.string(p))"
        case .contains(let text): return "CONTAINS \(Value.string(text))"
        case .compositeRange(let equal, let lower, let upper):
            var parts = equal.enumerated().map { "#\($0.offset) = \($0.element)" }
            let next = "#\(equal.count)"
            if let lower { parts.append("\(next) \(lower.inclusive ? ">=" : ">") \(lower.value)") }
            if let upper { parts.append("\(next) \(upper.inclusive ? "<=" : "<") \(upper.value)") }
            return parts.joined(separator: " AND ")
        }
    }
}

/// One end of a range predicate.
public struct RangeBound: Sendable, Hashable, Codable {
    /// The bound's value.
    public var value: Value
    /// Whether keys equal to ``value`` are inside the range.
    public var inclusive: Bool
    /// Creates a bound.
    public init(_ value: Value, inclusive: Bool) {
        self.value = value
        self.inclusive = inclusive
    }
}

/// Sizes of an index, for planning and for `indexes` listings.
public struct IndexStatistics: Sendable, Hashable, Codable {
    /// Number of (key, row) entries.
    public var entries: Int
    /// Number of distinct keys.
    public var distinctKeys: Int
    /// Tree height for tree indexes; 1 for hash indexes.
    public var height: Int

    /// Creates statistics.
    public init(entries: Int, distinctKeys: Int, height: Int = 1) {
        self.entries = entries
        self.distinctKeys = distinctKeys
        self.height = height
    }
}

/// The persistent description of an index: its name, fields, kind, uniqueness and options.
public struct IndexDefinition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The index's name, unique within its table.
    public var name: String
    /// The indexed fields, in key order; one field for a simple index.
    public var fields: [String]
    /// The registry name of the index kind.
    public var kind: String
    /// Whether two rows may not share a non-null key.
    public var unique: Bool
    /// Kind-specific options.
    public var options: [String: String]

    /// Creates a definition.
    public init(name: String, fields: [String], kind: String, unique: Bool = false, options: [String: String] = [:]) {
        self.name = name
        self.fields = fields
        self.kind = kind
        self.unique = unique
        self.options = options
    }

    /// The key a record has in this index: the field's value (null when missing), or for several fields an
    /// array of their values.
    @inlinable
    public func key(for record: Record) -> Value {
        Self.key(for: record, fields: fields)
    }

    /// The key a record has in an index over `fields`, as ``key(for:)`` makes it. Engines call it with
    /// the fields read in place, to avoid copying a whole definition for every record they index.
    @inlinable
    public static func key(for record: Record, fields: [String]) -> Value {
        if fields.count == 1 { return record[fields[0]] }
        return .array(fields.map { record[$0] })
    }

    /// Whether a key is exempt from uniqueness: null, or (for several fields) any null part, as in SQL.
    public func keyIsExemptFromUniqueness(_ key: Value) -> Bool {
        switch key {
        case .null: return true
        case .array(let parts) where fields.count > 1: return parts.contains { $0.isNull }
        default: return false
        }
    }

    /// `name (a, b) USING kind [UNIQUE]`.
    public var description: String {
        "\(name) (\(fields.joined(separator: ", "))) USING \(kind)\(unique ? " UNIQUE" : "")"
    }
}
