import DictDB

/// A broken invariant: what was checked and what was found.
public struct InvariantViolation: Error, Sendable, CustomStringConvertible {
    /// The table concerned, when one is.
    public var table: String?
    /// What is wrong.
    public var message: String

    /// `table: message`.
    public var description: String { table.map { "table \($0): \(message)" } ?? message }
}

/// What ``Invariants/check(_:samplesPerIndex:)`` looked at.
public struct InvariantReport: Sendable, Equatable {
    /// Tables checked.
    public var tables = 0
    /// Records read and looked up by key.
    public var records = 0
    /// Index queries compared with a full scan.
    public var indexQueries = 0
    /// Those the planner answered through a secondary index (the rest were scans, which prove less).
    public var indexBackedQueries = 0
}

/// Checks that a database is internally consistent, whatever its content.
///
/// ```swift
/// let report = try Invariants.check(db)
/// ```
/// For every table: all records read (they decoded), each has a non-null primary key, keys are unique and
/// `get(key)` returns the same record, the count agrees; for every secondary index: for sampled values
/// (and a value no record has), `select(where:)` through the planner returns what a filter over all
/// records returns (equality, and ranges on sorted indexes), and a unique index has no duplicate key.
public enum Invariants {
    /// Runs every check on `db`.
    /// - Throws: the first ``InvariantViolation`` found.
    @discardableResult
    public static func check(_ db: Database, samplesPerIndex: Int = 6) throws(InvariantViolation) -> InvariantReport {
        var report = InvariantReport()
        for name in db.tableNames {
            let table: Table
            let records: [Record]
            do {
                table = try db.table(name)
                records = try table.select()
            } catch {
                throw InvariantViolation(table: name, message: "cannot read the records: \(error)")
            }
            report.tables += 1
            report.records += records.count
            try checkKeys(table, records)
            for index in table.indexes {
                try checkIndex(index, of: table, records: records, samples: samplesPerIndex, report: &report)
            }
        }
        return report
    }

    private static func checkKeys(_ table: Table, _ records: [Record]) throws(InvariantViolation) {
        if table.count != records.count {
            throw InvariantViolation(
                table: table.name, message: "count is \(table.count) but select() returned \(records.count) records")
        }
        var seen = Set<Value>()
        for record in records {
            let key = record[table.primaryKey]
            if key.isNull { throw InvariantViolation(table: table.name, message: "a record has no key: \(record)") }
            if !seen.insert(key).inserted {
                throw InvariantViolation(table: table.name, message: "two records have the key \(key)")
            }
            let fetched: Record?
            do {
                fetched = try table.get(key)
            } catch {
                throw InvariantViolation(table: table.name, message: "get(\(key)) threw \(error)")
            }
            if fetched != record {
                throw InvariantViolation(
                    table: table.name,
                    message: "get(\(key)) returned \(fetched.map(\.description) ?? "nil"), select() has \(record)")
            }
        }
    }

    private static func checkIndex(
        _ index: IndexDefinition, of table: Table, records: [Record], samples: Int, report: inout InvariantReport
    ) throws(InvariantViolation) {
        if index.unique {
            var seen = Set<[Value]>()
            for record in records {
                let key = index.fields.map { record[$0] }
                if key.contains(where: \.isNull) { continue }
                if !seen.insert(key).inserted {
                    throw InvariantViolation(
                        table: table.name, message: "unique index \(index.name) holds \(key) twice")
                }
            }
        }
        var conditions: [Condition] = []
        let step = max(1, records.count / max(1, samples))
        for position in stride(from: 0, to: records.count, by: step).prefix(samples) {
            let record = records[position]
            conditions.append(.and(index.fields.map { .comparison(field: $0, op: .equal, value: record[$0]) }))
            if index.kind == "sorted", index.fields.count == 1, let field = index.fields.first {
                conditions.append(.comparison(field: field, op: .greaterOrEqual, value: record[field]))
                conditions.append(.comparison(field: field, op: .less, value: record[field]))
            }
        }
        conditions.append(
            .and(index.fields.map { .comparison(field: $0, op: .equal, value: .string("\u{1}absent")) }))
        for condition in conditions {
            let answered: [Record]
            let plan: Plan
            do {
                answered = try table.select(where: condition)
                plan = try table.explain(Query(condition))
            } catch {
                throw InvariantViolation(table: table.name, message: "select(where: \(condition)) threw \(error)")
            }
            let expected = records.filter { condition.matches($0) }
            report.indexQueries += 1
            if !plan.indexesUsed.isEmpty { report.indexBackedQueries += 1 }
            if sortedByKey(answered, table.primaryKey) != sortedByKey(expected, table.primaryKey) {
                throw InvariantViolation(
                    table: table.name,
                    message:
                        "index \(index.name): select(where: \(condition)) via \(plan) returned \(answered.count) records, a scan finds \(expected.count)"
                )
            }
        }
    }

    private static func sortedByKey(_ records: [Record], _ key: String) -> [Record] {
        records.sorted { $0[key] < $1[key] }
    }
}
