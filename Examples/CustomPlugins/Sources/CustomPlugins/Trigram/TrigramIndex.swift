import DictDBAPI

/// A trigram index: for every trigram of every string key, the rows whose keys hold it.
///
/// A search for a text intersects the posting lists of the text's trigrams, smallest first, and then
/// checks each candidate's key with ``DictDBAPI/IndexPredicate/matches(_:)``, so answers are exact: a
/// shared trigram never makes a false match. Array keys (which `contains` matches by element) are kept
/// apart and checked one by one. Every part is a copy-on-write collection, so copies are O(1) and
/// independent.
public struct TrigramIndex: TableIndex {
    /// What this index covers.
    public let definition: IndexDefinition
    /// Trigram -> rows whose string keys hold it.
    private var postings: [UInt32: PostingList] = [:]
    /// Row -> its keys (one per row, as the engine indexes; several are allowed).
    private var keysByRow: [RowID: [Value]] = [:]
    /// Rows with an array key.
    private var arrayRows = PostingList()
    /// How many rows hold each distinct key.
    private var keyCounts: [Value: Int] = [:]
    private var entryCount = 0

    /// Creates an empty index.
    public init(definition: IndexDefinition) {
        self.definition = definition
    }

    /// Adds an entry; adding an entry that is there does nothing.
    public mutating func insert(key: Value, row: RowID) {
        if let keys = keysByRow[row], keys.contains(key) { return }
        keysByRow[row, default: []].append(key)
        keyCounts[key, default: 0] += 1
        entryCount += 1
        switch key {
        case .string(let text):
            for trigram in Trigrams.of(text) { postings[trigram, default: PostingList()].insert(row) }
        case .array:
            arrayRows.insert(row)
        default:
            break
        }
    }

    /// Removes an entry; removing an absent entry does nothing.
    public mutating func remove(key: Value, row: RowID) {
        guard var keys = keysByRow[row], let position = keys.firstIndex(of: key) else { return }
        let stored = keys.remove(at: position)
        keysByRow[row] = keys.isEmpty ? nil : keys
        let remaining = (keyCounts[stored] ?? 1) - 1
        keyCounts[stored] = remaining > 0 ? remaining : nil
        entryCount -= 1
        switch stored {
        case .string(let text):
            for trigram in Trigrams.of(text) {
                guard var list = postings[trigram] else { continue }
                list.remove(row)
                postings[trigram] = list.isEmpty ? nil : list
            }
        case .array:
            arrayRows.remove(row)
        default:
            break
        }
    }

    /// Removes every entry.
    public mutating func removeAll() {
        self = TrigramIndex(definition: definition)
    }

    /// Rows for ``DictDBAPI/IndexPredicate/contains(_:)`` and ``DictDBAPI/IndexPredicate/prefix(_:)`` with
    /// a text of three bytes or more, once per matching entry; `nil` for every other predicate.
    public func rows(matching predicate: IndexPredicate) -> [RowID]? {
        guard let search = Search(predicate) else { return nil }
        var matches: [RowID] = []
        for row in candidates(for: search.text) {
            for key in keysByRow[row] ?? [] where key.stringValue != nil && predicate.matches(key) {
                matches.append(row)
            }
        }
        guard search.includesArrays, !arrayRows.isEmpty else { return matches }
        var previous: RowID?
        for row in arrayRows.rows where row != previous {
            previous = row
            for key in keysByRow[row] ?? [] where key.arrayValue != nil && predicate.matches(key) {
                matches.append(row)
            }
        }
        return matches.sorted()
    }

    /// The smallest posting list among the text's trigrams (an upper bound), plus the array rows for
    /// `contains`; `nil` exactly when ``rows(matching:)`` is.
    public func estimatedRows(matching predicate: IndexPredicate) -> Int? {
        guard let search = Search(predicate) else { return nil }
        let smallest = Trigrams.of(search.text).map { postings[$0]?.count ?? 0 }.min() ?? 0
        return smallest + (search.includesArrays ? arrayRows.count : 0)
    }

    /// Entries and distinct keys; a trigram index has no height.
    public var statistics: IndexStatistics {
        IndexStatistics(entries: entryCount, distinctKeys: keyCounts.count, height: 1)
    }

    /// The rows whose string keys hold every trigram of `text`, ascending and distinct.
    private func candidates(for text: String) -> [RowID] {
        var lists: [PostingList] = []
        for trigram in Trigrams.of(text) {
            guard let list = postings[trigram] else { return [] }
            lists.append(list)
        }
        lists.sort { $0.count < $1.count }
        guard let smallest = lists.first else { return [] }
        var result: [RowID] = []
        for row in smallest.rows where result.last != row {
            if lists.dropFirst().allSatisfy({ $0.contains(row) }) { result.append(row) }
        }
        return result
    }

    /// A predicate this index serves: its text, and whether array keys can match it.
    private struct Search {
        let text: String
        let includesArrays: Bool

        init?(_ predicate: IndexPredicate) {
            switch predicate {
            case .contains(let text) where Trigrams.canSearch(text):
                self.text = text
                includesArrays = true
            case .prefix(let text) where Trigrams.canSearch(text):
                self.text = text
                includesArrays = false
            default:
                return nil
            }
        }
    }
}
