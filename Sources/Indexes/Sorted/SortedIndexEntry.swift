import DictDBAPI

/// One entry of a ``SortedIndex``: a key and a row, ordered by key in the total order of ``Value``, then by
/// row. Two entries are equal when their keys are equal values (`1` and `1.0` included) and their rows match.
struct SortedIndexEntry: Comparable, Sendable, CustomStringConvertible {
    /// The indexed value.
    var key: Value
    /// The row holding it.
    var row: RowID

    static func < (lhs: SortedIndexEntry, rhs: SortedIndexEntry) -> Bool {
        let order = Value.compare(lhs.key, rhs.key)
        return order != 0 ? order < 0 : lhs.row < rhs.row
    }

    static func == (lhs: SortedIndexEntry, rhs: SortedIndexEntry) -> Bool {
        lhs.row == rhs.row && Value.compare(lhs.key, rhs.key) == 0
    }

    /// `key#row`, for invariant reports.
    var description: String { "\(key)#\(row)" }
}

// The tree's searches compare entries where they lie in a node. Two doubles or two integers (what sorted
// indexes hold most) are decided from the stored payloads, inline; any other pair of keys goes through the
// out-of-line comparison, which alone copies the stored entry. Comparing the payloads here, rather than
// calling `Value.compare` on the stored key, matters: a comparison that may call out of line makes the
// compiler copy the stored key (retaining what it references) before every probe, even for doubles.

extension SortedIndexEntry: BPlusTreeElement {
    @inline(__always)
    static func isLess(_ lhs: UnsafePointer<SortedIndexEntry>, than rhs: UnsafePointer<SortedIndexEntry>) -> Bool {
        if case .double(let a) = lhs.pointee.key, case .double(let b) = rhs.pointee.key {
            // `Value.compare` orders doubles by `==` and `<` (so -0.0 equals 0.0); keys are never NaN.
            return a != b ? a < b : lhs.pointee.row < rhs.pointee.row
        }
        if case .int(let a) = lhs.pointee.key, case .int(let b) = rhs.pointee.key {
            return a != b ? a < b : lhs.pointee.row < rhs.pointee.row
        }
        return isLessOutOfLine(lhs, than: rhs)
    }

    @inline(never)
    private static func isLessOutOfLine(
        _ lhs: UnsafePointer<SortedIndexEntry>, than rhs: UnsafePointer<SortedIndexEntry>
    ) -> Bool {
        lhs.pointee < rhs.pointee
    }

    /// Whether the entry at `stored` has a key equal to `key` (in the sense of `Value.compare`), read in place.
    @inline(__always)
    static func hasKey(_ stored: UnsafePointer<SortedIndexEntry>, equalTo key: UnsafePointer<Value>) -> Bool {
        if case .double(let a) = stored.pointee.key, case .double(let b) = key.pointee { return a == b }
        if case .int(let a) = stored.pointee.key, case .int(let b) = key.pointee { return a == b }
        return hasKeyOutOfLine(stored, equalTo: key)
    }

    @inline(never)
    private static func hasKeyOutOfLine(
        _ stored: UnsafePointer<SortedIndexEntry>, equalTo key: UnsafePointer<Value>
    ) -> Bool {
        Value.compare(stored.pointee.key, key.pointee) == 0
    }
}
