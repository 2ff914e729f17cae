import DictDBAPI

/// The rows whose keys hold one trigram, ascending. A row appears once per key holding the trigram, so
/// removing one of a row's keys leaves the row listed for its other keys.
struct PostingList: Sendable {
    private(set) var rows: [RowID] = []

    var count: Int { rows.count }
    var isEmpty: Bool { rows.isEmpty }

    /// Adds one occurrence of `row`. Rows mostly arrive in ascending order, so that is an append.
    mutating func insert(_ row: RowID) {
        if let last = rows.last, last > row {
            rows.insert(row, at: firstPosition(notBelow: row))
        } else {
            rows.append(row)
        }
    }

    /// Removes one occurrence of `row`, if there is one.
    mutating func remove(_ row: RowID) {
        let position = firstPosition(notBelow: row)
        if position < rows.count && rows[position] == row { rows.remove(at: position) }
    }

    /// Whether `row` is listed.
    func contains(_ row: RowID) -> Bool {
        let position = firstPosition(notBelow: row)
        return position < rows.count && rows[position] == row
    }

    /// The position of the first row not below `row` (binary search).
    private func firstPosition(notBelow row: RowID) -> Int {
        var low = 0
        var high = rows.count
        while low < high {
            let middle = (low + high) / 2
            if rows[middle] < row { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
