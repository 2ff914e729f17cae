import DictDB

/// The whole state of a database as canonical lines, compared strictly.
///
/// Unlike ``Value``'s `==` (where `1 == 1.0`), ints and doubles are told apart and doubles compare by bit
/// pattern (`-0.0` is not `0.0`); field order counts. One line per table header item and per record, in
/// order, so a difference can be reported by its first differing line.
struct StateFingerprint: Equatable {
    /// The canonical lines: for each table (by name) its header, index definitions and records in order.
    let lines: [String]

    /// The fingerprint of `database`.
    init(_ database: Database) throws(DictDBError) {
        var lines: [String] = []
        for name in database.tableNames {
            let table = try database.table(name)
            lines.append("table \(Self.text(.string(table.name)))")
            lines.append("  primaryKey \(Self.text(.string(table.primaryKey)))")
            lines.append("  keyGenerator \(Self.text(.string(table.keyGenerator.name)))")
            lines.append("  keyState \(Self.text(table.keyGeneratorState))")
            lines.append("  schema \(Self.text(table.schema?.storedValue ?? .string("<none>")))")
            for index in table.indexes {
                let options = index.options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                lines.append(
                    "  index \(Self.text(.string(index.name))) kind=\(index.kind) unique=\(index.unique) "
                        + "fields=\(Self.text(.array(index.fields.map(Value.string)))) options=\(options)")
            }
            for (position, record) in try table.allRecords().enumerated() {
                lines.append("  record \(position) \(Self.text(.object(record)))")
            }
        }
        self.lines = lines
    }

    /// A short description of the first difference from `other`, or nil when they are equal.
    func firstDifference(from other: StateFingerprint) -> String? {
        for (index, (mine, theirs)) in zip(lines, other.lines).enumerated() where mine != theirs {
            return "line \(index): expected \(Self.clip(theirs)), loaded \(Self.clip(mine))"
        }
        if lines.count != other.lines.count {
            return "expected \(other.lines.count) state lines, loaded \(lines.count)"
        }
        return nil
    }

    private static func clip(_ line: String) -> String {
        line.count <= 160 ? line : String(line.prefix(157)) + "..."
    }

    /// A strict, unambiguous text of `value`: every string is length-prefixed, doubles are bit patterns.
    static func text(_ value: Value) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }

    private static func append(_ value: Value, to out: inout String) {
        switch value {
        case .null: out += "n"
        case .bool(let flag): out += flag ? "t" : "f"
        case .int(let number): out += "i\(number);"
        case .double(let number): out += "d\(String(number.bitPattern, radix: 16));"
        case .string(let string): out += "s\(string.utf8.count):\(string)"
        case .array(let elements):
            out += "a\(elements.count)["
            for element in elements { append(element, to: &out) }
            out += "]"
        case .object(let record):
            out += "o\(record.count){"
            for (name, field) in record {
                out += "\(name.utf8.count):\(name)="
                append(field, to: &out)
            }
            out += "}"
        }
    }
}
