import DictDB

/// Renders rows as aligned text columns with a header and a row count.
///
/// ```
/// id | name  | age
/// ---+-------+----
///  1 | Ada   |  36
///  2 | Alan  | NULL
/// (2 rows)
/// ```
///
/// Numbers align right, everything else left. Strings print bare; arrays and objects as compact JSON;
/// missing fields and nulls as `NULL`. Control characters print escaped so a row stays on one line.
struct TableRenderer {
    /// Whether to use ANSI colours (a bold header, dim `NULL`s).
    var color: Bool
    /// The widest a cell may be, in characters, before it is cut with `…`; `nil` for no limit.
    var maximumWidth: Int?

    func render(columns: [String], records: [Record]) -> String {
        let columns = columns.isEmpty ? ["(no columns)"] : columns
        let cells = records.map { record in columns.map { cell(record[field: $0]) } }
        var widths = columns.map { Self.width(of: $0) }
        for row in cells {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], Self.width(of: cell.text)) }
        }
        // A column of numbers (and nulls) aligns right, its header too.
        let numeric = columns.indices.map { i in
            cells.contains { $0[i].isNumber } && cells.allSatisfy { $0[i].isNumber || $0[i].isNull }
        }
        var out = ""
        let header = columns.enumerated().map { i, name in Self.pad(name, to: widths[i], right: numeric[i]) }
        out += styled(Self.trimmedEnd(header.joined(separator: " | ")), "1") + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-") + "\n"
        for row in cells {
            var line = ""
            for (i, cell) in row.enumerated() {
                if i > 0 { line += " | " }
                let padded =
                    i == row.count - 1 && !numeric[i]
                    ? cell.text : Self.pad(cell.text, to: widths[i], right: numeric[i])
                line += cell.isNull ? styled(padded, "2") : padded
            }
            out += line + "\n"
        }
        out += records.count == 1 ? "(1 row)\n" : "(\(records.count) rows)\n"
        return out
    }

    private struct Cell {
        var text: String
        var isNumber = false
        var isNull = false
    }

    private func cell(_ value: Value?) -> Cell {
        switch value {
        case nil, .null?:
            return Cell(text: "NULL", isNull: true)
        case .string(let text)?:
            return Cell(text: limited(Self.escaped(text)))
        case .int?, .double?:
            return Cell(text: value?.description ?? "", isNumber: true)
        case let value?:
            return Cell(text: limited(value.description))
        }
    }

    private func limited(_ text: String) -> String {
        guard let maximumWidth, text.count > maximumWidth else { return text }
        return String(text.prefix(max(1, maximumWidth - 1))) + "…"
    }

    private func styled(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Control characters as `\n`, `\t`, `\u{1B}`..., so a cell is one line and cannot drive the terminal.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.properties.generalCategory == .control:
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The text's width in terminal columns (wide East Asian characters and emoji count 2).
    static func width(of text: String) -> Int {
        text.reduce(0) { total, character in
            guard let scalar = character.unicodeScalars.first else { return total }
            let wide =
                (0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
                || (0xAC00...0xD7A3).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
                || (0xFE30...0xFE4F).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value)
                || (0xFFE0...0xFFE6).contains(scalar.value) || (0x1F300...0x1FAFF).contains(scalar.value)
                || (0x20000...0x3FFFD).contains(scalar.value)
            return total + (wide ? 2 : 1)
        }
    }

    static func trimmedEnd(_ text: String) -> String {
        String(text.reversed().drop(while: { $0 == " " }).reversed())
    }

    static func pad(_ text: String, to width: Int, right: Bool) -> String {
        let padding = String(repeating: " ", count: max(0, width - Self.width(of: text)))
        return right ? padding + text : text + padding
    }
}
