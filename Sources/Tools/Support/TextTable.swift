/// A table of text printed in aligned columns, as the tools print their summaries.
///
/// ```swift
/// var table = TextTable(["codec", "save ms"], rightAligned: [1])
/// table.append(["json", "12.5"])
/// print(table.render())
/// ```
public struct TextTable: Sendable {
    /// The column headings.
    public let headings: [String]
    /// The columns whose cells line up on the right (numbers).
    public let rightAligned: Set<Int>
    /// The rows appended so far.
    public private(set) var rows: [[String]] = []

    /// A table with these headings; the columns in `rightAligned` line up on the right.
    public init(_ headings: [String], rightAligned: Set<Int> = []) {
        self.headings = headings
        self.rightAligned = rightAligned
    }

    /// Adds a row; missing cells print empty, extra cells are dropped.
    public mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The table as lines: headings, then rows, columns separated by two spaces, trailing spaces trimmed.
    public func render() -> String {
        var widths = headings.map(\.count)
        for row in rows {
            for (column, cell) in row.prefix(headings.count).enumerated() {
                widths[column] = max(widths[column], cell.count)
            }
        }
        /// One line: each cell padded to its column's width.
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for column in headings.indices {
                let cell = column < cells.count ? cells[column] : ""
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                parts.append(rightAligned.contains(column) ? padding + cell : cell + padding)
            }
            var text = parts.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        return ([line(headings)] + rows.map(line)).joined(separator: "\n")
    }
}
