@_spi(Storage) import DictDBAPI

/// A hash index: answers `==` and `in` in O(1) per key. Keys compare as `Value`s do (`1 == 1.0`).
///
/// A value type over copy-on-write buckets (`HashBuckets`: a short list while the keys are few, then a
/// sharded dictionary), so copies (consistent cuts, transactions) cost O(1) and the first change after a
/// copy copies one shard or the short list, not every key.
public struct HashIndex: TableIndex {
    /// What this index covers.
    public let definition: IndexDefinition
    private var buckets = HashBuckets()
    private var entryCount = 0

    /// Creates an empty index.
    public init(definition: IndexDefinition) {
        self.definition = definition
    }

    /// Adds an entry.
    /// - Complexity: O(1) amortized.
    public mutating func insert(key: Value, row: RowID) {
        if buckets.modify(key, { $0.insert(row) }) { entryCount += 1 }
    }

    /// Removes an entry, if present.
    /// - Complexity: O(1) amortized; for a key shared by *k* rows, O(log *k*) plus a move of at most
    ///   `RowBucket.maximumRun` rows (an internal constant).
    public mutating func remove(key: Value, row: RowID) {
        // The bucket changes in place, so it stays uniquely referenced and its runs are not copied.
        guard let (removed, emptied) = buckets.modifyIfPresent(key, { ($0.remove(row), $0.isEmpty) }) else { return }
        if removed { entryCount -= 1 }
        if emptied { buckets.removeValue(forKey: key) }
    }

    /// Removes every entry.
    public mutating func removeAll() {
        buckets.removeAll()
        entryCount = 0
    }

    /// Replaces the contents with `entries`. The result equals inserting the entries one at a time.
    ///
    /// When keys repeat (judged from the first entries), the rows are grouped by key first (rows arriving
    /// in ascending order append to their bucket) and each bucket is stored once: by comparing each key
    /// with the few distinct ones met so far when the first entries show at most 16 of them, else
    /// in a plain dictionary. When nearly every key is new, grouping would only hash each key twice, so
    /// entries go straight in.
    /// - Complexity: O(*n*) expected; rows out of ascending order cost as ``insert(key:row:)`` does.
    public mutating func build(from entries: [(key: Value, row: RowID)]) {
        let sample = entries.prefix(Self.buildSampleSize)
        let sampleKeys = Set(sample.lazy.map(\.key)).count
        var built = HashBuckets()
        var total = 0
        if sampleKeys * 4 > sample.count * 3 {
            for (key, row) in entries where built.modify(key, { $0.insert(row) }) {
                total += 1
            }
        } else {
            let expectedKeys = sampleKeys * entries.count / max(sample.count, 1)
            let (keys, groups, count) =
                (sampleKeys <= Self.fewKeys ? Self.groupFew(entries) : nil)
                ?? Self.group(entries, expectedKeys: expectedKeys)
            built = HashBuckets(keys: keys, buckets: groups)
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

    /// At most this many distinct keys are grouped by ``groupFew(_:)`` (by comparison, without hashing).
    static var fewKeys: Int { 16 }

    /// ``group(_:expectedKeys:)`` for entries with few distinct keys (an index on a category field):
    /// each key is compared with the distinct keys met so far, as ``HashBuckets`` finds its few keys,
    /// which is cheaper than hashing it when the keys are this few. `nil` when more than twice
    /// ``fewKeys`` distinct keys appear.
    private static func groupFew(
        _ entries: [(key: Value, row: RowID)]
    ) -> (keys: [Value], buckets: [RowBucket], entries: Int)? {
        var keys: [Value] = []
        var groups: [RowBucket] = []
        var total = 0
        for (key, row) in entries {
            if let group = HashBuckets.position(of: key, in: keys) {
                if groups[group].insert(row) { total += 1 }
            } else {
                guard keys.count < 2 * fewKeys else { return nil }
                keys.append(key)
                groups.append(RowBucket(row: row))
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
        case .range, .prefix, .compositeRange, .contains:
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
        case .range, .prefix, .compositeRange, .contains:
            return nil
        }
    }

    /// Entries and distinct keys; height 1.
    public var statistics: IndexStatistics {
        IndexStatistics(entries: entryCount, distinctKeys: buckets.count, height: 1)
    }
}

/// The rows sharing one key, ascending: a single row inline (the common case for selective keys), else
/// sorted runs of at most ``maximumRun`` rows, every row of a run below every row of the next.
///
/// Appending a row larger than every other (every insert) is O(1). Other inserts and removals are two
/// binary searches and a move within one run, so removing a row from a key shared by many rows (a
/// department, a status) costs O(log *k* + ``maximumRun``) rather than moving up to *k* rows. After a copy
/// (a transaction, a snapshot) a change copies the list of runs and one run, not every row.
struct RowBucket: Sendable {
    private var single: RowID = -1
    /// The sorted runs, none empty; empty while ``single`` holds the only row.
    private var runs: [[RowID]] = []
    /// The number of rows in ``runs``.
    private var runTotal = 0

    /// The most rows a run holds: a run that grows past it splits in two. A removal moves half a run on
    /// average: at 128 rows that is 512 bytes, where 512-row runs moved 2 KB, about 5% of a delete by key
    /// on a table with a hash index on a department; the list of runs stays short (one per 64-128 rows).
    static var maximumRun: Int { 128 }

    /// An empty bucket.
    init() {}

    /// A bucket of one row.
    init(row: RowID) {
        single = row
    }

    var isEmpty: Bool { single < 0 && runs.isEmpty }
    var count: Int { single >= 0 ? 1 : runTotal }
    /// The rows, ascending.
    var rows: [RowID] {
        if single >= 0 { return [single] }
        if runs.count == 1 { return runs[0] }
        var all: [RowID] = []
        all.reserveCapacity(runTotal)
        for run in runs { all += run }
        return all
    }

    /// Adds a row; returns false if it was already there.
    mutating func insert(_ row: RowID) -> Bool {
        if isEmpty {
            single = row
            return true
        }
        if single >= 0 {
            if single == row { return false }
            runs = [single < row ? [single, row] : [row, single]]
            runTotal = 2
            single = -1
            return true
        }
        let last = runs.count - 1
        if let largest = runs[last].last, largest < row {
            if runs[last].count < Self.maximumRun {
                runs[last].append(row)
            } else {
                runs.append([row])
            }
            runTotal += 1
            return true
        }
        let run = runIndex(for: row)
        let position = Self.insertionPoint(of: row, in: runs[run])
        if position < runs[run].count && runs[run][position] == row { return false }
        runs[run].insert(row, at: position)
        runTotal += 1
        if runs[run].count > Self.maximumRun {
            let upper = Array(runs[run][(Self.maximumRun / 2)...])
            runs[run].removeSubrange((Self.maximumRun / 2)...)
            runs.insert(upper, at: run + 1)
        }
        return true
    }

    /// Removes a row; returns false if it was not there.
    mutating func remove(_ row: RowID) -> Bool {
        if single >= 0 {
            guard single == row else { return false }
            single = -1
            return true
        }
        if runs.isEmpty { return false }
        let run = runIndex(for: row)
        let position = Self.insertionPoint(of: row, in: runs[run])
        guard position < runs[run].count, runs[run][position] == row else { return false }
        runs[run].remove(at: position)
        runTotal -= 1
        if runs[run].isEmpty { runs.remove(at: run) }
        if runTotal == 1 {
            single = runs[0][0]
            runs = []
            runTotal = 0
        }
        return true
    }

    /// The run that holds `row` if any run does: the first whose largest row is at least `row` (the last
    /// run when none is).
    private func runIndex(for row: RowID) -> Int {
        var low = 0
        var high = runs.count - 1
        while low < high {
            let mid = (low + high) / 2
            if runs[mid][runs[mid].count - 1] < row { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private static func insertionPoint(of row: RowID, in run: [RowID]) -> Int {
        var low = 0
        var high = run.count
        while low < high {
            let mid = (low + high) / 2
            if run[mid] < row { low = mid + 1 } else { high = mid }
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
    /// - Throws: `DictDBError.Code.invalidArgument` for options it does not know.
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
    /// - Throws: `DictDBError.Code.invalidArgument` for options it does not know.
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
