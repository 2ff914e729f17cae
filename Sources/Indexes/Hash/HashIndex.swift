import DictDBAPI

/// A hash index: answers `==` and `in` in O(1) per key. Keys compare as ``Value``s do (`1 == 1.0`).
///
/// A value type over a sharded copy-on-write dictionary, so copies (consistent cuts, transactions) cost
/// O(1) and the first change after a copy copies one shard, not every key.
public struct HashIndex: TableIndex {
    /// What this index covers.
    public let definition: IndexDefinition
    private var buckets = ShardedDictionary<Value, RowBucket>()
    private var entryCount = 0

    /// Creates an empty index.
    public init(definition: IndexDefinition) {
        self.definition = definition
    }

    /// Adds an entry.
    /// - Complexity: O(1) amortized.
    public mutating func insert(key: Value, row: RowID) {
        if buckets.modify(key, default: RowBucket(), { $0.insert(row) }) { entryCount += 1 }
    }

    /// Removes an entry, if present.
    /// - Complexity: O(1) amortized, O(*k*) for a key shared by *k* rows.
    public mutating func remove(key: Value, row: RowID) {
        guard var bucket = buckets.removeValue(forKey: key) else { return }
        if bucket.remove(row) { entryCount -= 1 }
        if !bucket.isEmpty { buckets[key] = bucket }
    }

    /// Removes every entry.
    public mutating func removeAll() {
        buckets.removeAll()
        entryCount = 0
    }

    /// Replaces the contents with `entries`. The result equals inserting the entries one at a time.
    ///
    /// When keys repeat (judged from the first entries), the rows are grouped by key in a plain dictionary
    /// first (rows arriving in ascending order append to their bucket) and each bucket is stored once; when
    /// nearly every key is new, grouping would only hash each key twice, so entries go straight in.
    /// - Complexity: O(*n*) expected; rows out of ascending order cost as ``insert(key:row:)`` does.
    public mutating func build(from entries: [(key: Value, row: RowID)]) {
        let sample = entries.prefix(Self.buildSampleSize)
        let sampleKeys = Set(sample.lazy.map(\.key)).count
        var built = ShardedDictionary<Value, RowBucket>()
        var total = 0
        if sampleKeys * 4 > sample.count * 3 {
            for (key, row) in entries where built.modify(key, default: RowBucket(), { $0.insert(row) }) {
                total += 1
            }
        } else {
            let expectedKeys = sampleKeys * entries.count / max(sample.count, 1)
            let (keys, groups, count) = Self.group(entries, expectedKeys: expectedKeys)
            for (key, bucket) in zip(keys, groups) { built[key] = bucket }
            total = count
        }
        buckets = built
        entryCount = total
    }

    /// How many leading entries ``build(from:)`` looks at to judge how often keys repeat.
    static var buildSampleSize: Int { 1024 }

    /// The distinct keys of `entries` in order of first appearance, the bucket of each, and the number of
    /// distinct entries.
    private static func group(
        _ entries: [(key: Value, row: RowID)], expectedKeys: Int
    ) -> (keys: [Value], buckets: [RowBucket], entries: Int) {
        var groupOf: [Value: Int] = [:]
        groupOf.reserveCapacity(expectedKeys)
        var keys: [Value] = []
        var groups: [RowBucket] = []
        var total = 0
        for (key, row) in entries {
            let next = keys.count
            // One lookup: a new key is entered with the next group number, an old one reads its own.
            let group = read(&groupOf[key, default: next])
            if group == next {
                keys.append(key)
                groups.append(RowBucket(row: row))
                total += 1
            } else if groups[group].insert(row) {
                total += 1
            }
        }
        return (keys, groups, total)
    }

    /// The value behind an `inout` access: reads through `Dictionary.subscript(_:default:)`'s in-place
    /// accessor, which enters the default when the key is missing.
    private static func read(_ slot: inout Int) -> Int { slot }

    /// Rows for `.equal` and `.anyOf`; `nil` for ranges and prefixes, which a hash cannot answer.
    public func rows(matching predicate: IndexPredicate) -> [RowID]? {
        switch predicate {
        case .equal(let key):
            return buckets[key]?.rows ?? []
        case .anyOf(let keys):
            var result: [RowID] = []
            for key in Set(keys) { result += buckets[key]?.rows ?? [] }
            return result
        case .range, .prefix, .compositeRange:
            return nil
        }
    }

    /// Exact counts for `.equal` and `.anyOf`; `nil` otherwise.
    public func estimatedRows(matching predicate: IndexPredicate) -> Int? {
        switch predicate {
        case .equal(let key):
            return buckets[key]?.count ?? 0
        case .anyOf(let keys):
            return Set(keys).reduce(0) { $0 + (buckets[$1]?.count ?? 0) }
        case .range, .prefix, .compositeRange:
            return nil
        }
    }

    /// Entries and distinct keys; height 1.
    public var statistics: IndexStatistics {
        IndexStatistics(entries: entryCount, distinctKeys: buckets.count, height: 1)
    }
}

/// The rows sharing one key, sorted ascending: a single row inline (the common case for selective keys),
/// else a sorted array. Appending a row larger than every other (every insert) is O(1); other inserts and
/// removals are a binary search plus a move.
struct RowBucket: Sendable {
    private var single: RowID = -1
    private var sorted: [RowID] = []

    /// An empty bucket.
    init() {}

    /// A bucket of one row.
    init(row: RowID) {
        single = row
    }

    var isEmpty: Bool { single < 0 && sorted.isEmpty }
    var count: Int { single >= 0 ? 1 : sorted.count }
    /// The rows, ascending.
    var rows: [RowID] { single >= 0 ? [single] : sorted }

    /// Adds a row; returns false if it was already there.
    mutating func insert(_ row: RowID) -> Bool {
        if isEmpty {
            single = row
            return true
        }
        if single >= 0 {
            if single == row { return false }
            sorted = single < row ? [single, row] : [row, single]
            single = -1
            return true
        }
        if let last = sorted.last, last < row {
            sorted.append(row)
            return true
        }
        let position = insertionPoint(of: row)
        if position < sorted.count && sorted[position] == row { return false }
        sorted.insert(row, at: position)
        return true
    }

    /// Removes a row; returns false if it was not there.
    mutating func remove(_ row: RowID) -> Bool {
        if single >= 0 {
            guard single == row else { return false }
            single = -1
            return true
        }
        let position = insertionPoint(of: row)
        guard position < sorted.count, sorted[position] == row else { return false }
        sorted.remove(at: position)
        if sorted.count == 1 {
            single = sorted[0]
            sorted = []
        }
        return true
    }

    private func insertionPoint(of row: RowID) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < row { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// The `hash` index kind: ``HashIndex`` over one or more fields.
public struct HashIndexKind: IndexKind {
    /// `"hash"`.
    public let name = "hash"

    /// Creates the kind.
    public init() {}

    /// An empty ``HashIndex``. Accepts any number of fields; takes no options.
    /// - Throws: ``DictDBError/Code/invalidArgument`` for options it does not know.
    public func makeIndex(_ definition: IndexDefinition) throws(DictDBError) -> any TableIndex {
        try rejectUnknownOptions(definition, kind: name)
        return HashIndex(definition: definition)
    }
}

/// The `unique` index kind: a ``HashIndex`` whose definition is always unique; the engine rejects a
/// duplicate non-null key before anything changes.
public struct UniqueIndexKind: IndexKind {
    /// `"unique"`.
    public let name = "unique"

    /// Creates the kind.
    public init() {}

    /// An empty unique ``HashIndex``.
    /// - Throws: ``DictDBError/Code/invalidArgument`` for options it does not know.
    public func makeIndex(_ definition: IndexDefinition) throws(DictDBError) -> any TableIndex {
        try rejectUnknownOptions(definition, kind: name)
        var unique = definition
        unique.unique = true
        return HashIndex(definition: unique)
    }
}

func rejectUnknownOptions(_ definition: IndexDefinition, kind: String, known: Set<String> = []) throws(DictDBError) {
    if let unknown = definition.options.keys.sorted().first(where: { !known.contains($0) }) {
        throw DictDBError(
            .invalidArgument, "index kind '\(kind)' has no option '\(unknown)'",
            context: .init(index: definition.name, plugin: "indexKind:\(kind)", found: unknown))
    }
}
