import DictDB
import DictDBToolSupport

/// The findings of an audit, counted per field and rule, with the first examples of each.
struct AuditReport {
    /// One field and rule: how often it was broken, and where first.
    struct Entry {
        var field: String
        var rule: String
        var count = 0
        var examples: [String] = []
    }

    /// Examples kept per entry.
    let exampleLimit: Int
    /// Records read.
    private(set) var records = 0
    /// Records with at least one finding.
    private(set) var recordsWithFindings = 0
    private var entries: [String: Entry] = [:]
    private var order: [String] = []

    /// An empty report keeping at most `exampleLimit` examples per field and rule.
    init(exampleLimit: Int) {
        self.exampleLimit = exampleLimit
    }

    /// Adds a record's findings; `location` says where it is (`line 7`, `row 6 (line 7)`...).
    mutating func add(_ findings: [Finding], at location: String) {
        records += 1
        guard !findings.isEmpty else { return }
        recordsWithFindings += 1
        for finding in findings {
            let id = finding.field + "\u{0}" + finding.rule
            if entries[id] == nil {
                entries[id] = Entry(field: finding.field, rule: finding.rule)
                order.append(id)
            }
            entries[id]?.count += 1
            if let kept = entries[id]?.examples.count, kept < exampleLimit {
                entries[id]?.examples.append("\(location): \(finding.detail)")
            }
        }
    }

    /// The entries, in the order of the schema's fields (others after), then of first appearance.
    func sortedEntries(schema: Schema) -> [Entry] {
        let position = Dictionary(schema.fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let firstSeen = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return order.compactMap { entries[$0] }.sorted { left, right in
            let a = position[left.field] ?? Int.max
            let b = position[right.field] ?? Int.max
            if a != b { return a < b }
            return (firstSeen[left.field + "\u{0}" + left.rule] ?? 0)
                < (firstSeen[right.field + "\u{0}" + right.rule] ?? 0)
        }
    }

    /// The report as text: a summary line, then a table of fields and rules with counts, then the examples.
    func render(file: String, schema: Schema) -> String {
        let clean = records - recordsWithFindings
        var lines = [
            "schema-audit: \(file): \(records) records, \(recordsWithFindings) with mismatches, \(clean) clean "
                + "(\(schema.mode.rawValue) schema of \(schema.fields.count) fields)"
        ]
        let sorted = sortedEntries(schema: schema)
        guard !sorted.isEmpty else { return lines.joined(separator: "\n") }
        var table = TextTable(["field", "rule", "count", "first examples"], rightAligned: [2])
        for entry in sorted {
            table.append([entry.field, entry.rule, String(entry.count), entry.examples.first ?? ""])
            for example in entry.examples.dropFirst() { table.append(["", "", "", example]) }
        }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }
}
