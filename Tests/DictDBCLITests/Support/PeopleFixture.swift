import Foundation

/// A cell of ``PeopleFixture``, typed the way `dictdb import` infers CSV cells.
enum FixtureCell: Equatable, Sendable {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    /// An empty cell: the imported record lacks the field.
    case null

    /// Whether a value from `JSONSerialization` is this cell (a missing field or `null` for ``null``).
    func matches(_ value: Any?) -> Bool {
        switch self {
        case .null:
            return value == nil || value is NSNull
        case .int(let expected):
            // The fixture's ints are never 0 or 1, so a Boolean cannot pass for one.
            return (value as? Int) == expected && !(value is String)
        case .double(let expected):
            // Its doubles all have fractions, so an int cannot pass for one.
            return (value as? Double) == expected && !(value is String)
        case .bool(let expected):
            return (value as? Bool) == expected && !(value is String)
        case .string(let expected):
            return (value as? String) == expected
        }
    }
}

/// Deterministic people for the round trips: ints (some negative), doubles, Booleans (one spelled `TRUE`),
/// strings with commas, quotes and outer spaces, zero-padded codes that stay strings, and empty cells.
struct PeopleFixture: Sendable {
    static let columns = ["name", "age", "score", "active", "city", "code", "balance"]

    /// The rows, in file order; each holds one cell per column of ``columns``.
    let rows: [[FixtureCell]]

    init(count: Int = 50) {
        let cities = ["Oslo", "Lima, Peru", "Quito", "Paris"]
        rows = (1...count).map { i in
            let name: String
            if i % 5 == 0 {
                name = "Smith, Person \(i)"
            } else if i % 7 == 0 {
                name = "Say \"hi\" \(i)"
            } else if i % 11 == 0 {
                name = " padded \(i) "
            } else {
                name = "Person \(i)"
            }
            return [
                .string(name),
                i % 6 == 0 ? .null : .int(18 + (i * 7) % 60),
                .double(Double(i) * 1.25 + 0.125),
                .bool(i % 2 == 0),
                i % 4 == 0 ? .null : .string(cities[i % 4]),
                .string(i < 10 ? "00\(i)" : "0\(i)"),
                .int(3 - 1_000 * i),
            ]
        }
    }

    /// The rows as CSV, with a header and LF line ends.
    var csv: String {
        var lines = [Self.columns.joined(separator: ",")]
        for (index, row) in rows.enumerated() {
            lines.append(
                row.enumerated().map { column, cell in
                    // One Boolean in upper case: inference reads TRUE as true too.
                    if case .bool(true) = cell, Self.columns[column] == "active", index == 9 { return "TRUE" }
                    return Self.csvCell(cell)
                }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A cell as CSV, quoted when it holds a comma, a quote, a line break or outer spaces.
    static func csvCell(_ cell: FixtureCell) -> String {
        switch cell {
        case .int(let value): return String(value)
        case .double(let value): return "\(value)"
        case .bool(let value): return value ? "true" : "false"
        case .null: return ""
        case .string(let text):
            let needsQuotes =
                text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
                || text.first == " " || text.last == " "
            return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
    }

    /// The cell of `row` in `column`.
    func cell(_ row: Int, _ column: String) -> FixtureCell {
        rows[row][Self.columns.firstIndex(of: column) ?? 0]
    }

    /// Checks exported records (from `JSONSerialization`) against the rows: record `n` has id `n + 1`, a
    /// field for each non-empty cell, of the inferred type, and no others. Returns the differences.
    func differences(from records: [[String: Any]]) -> [String] {
        guard records.count == rows.count else { return ["\(records.count) records, expected \(rows.count)"] }
        var problems: [String] = []
        for (index, record) in records.enumerated() {
            if (record["id"] as? Int) != index + 1 { problems.append("record \(index): id \(record["id"] ?? "none")") }
            let expectedFields = Set(["id"] + Self.columns.filter { cell(index, $0) != .null })
            if Set(record.keys) != expectedFields {
                problems.append("record \(index): fields \(record.keys.sorted()), expected \(expectedFields.sorted())")
            }
            for column in Self.columns where !cell(index, column).matches(record[column]) {
                problems.append(
                    "record \(index): \(column) is \(record[column] ?? "missing"), expected \(cell(index, column))")
            }
        }
        return problems
    }
}
