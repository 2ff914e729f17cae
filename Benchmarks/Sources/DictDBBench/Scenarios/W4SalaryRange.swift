/// W4: `x <= salary <= x + width` selects (1,000 low bounds and the width from the workload file, about
/// 880 rows each at N = 100,000) returning every matching row, decoded into ``Employee`` values. DictDB
/// uses its `sorted` index on salary through `Field("salary").between(x, x + width)`, SQLite its index
/// through `salary BETWEEN ? AND ?`. The answer is the total row count, checked against
/// `expected.w4_rows_total`.
///
/// With `indexed: false` the same queries run on both databases without secondary indexes (full scans), as
/// an informational row.
struct SalaryRangeScenario: Scenario {
    let id = "W4"
    let unit = "queries"
    /// Whether the tables have their secondary indexes.
    var indexed = true

    var goal: Goal? { indexed ? Goal(minimum: 2) : nil }

    func title(for workload: Workload) -> String {
        "\(workload.salaryLows.count) x <= salary <= x+\(Int(workload.rangeWidth)) selects, all rows"
            + (indexed ? "" : ", without indexes")
    }

    func operations(in workload: Workload) -> Int { workload.salaryLows.count }

    func contenders(from lineup: Lineup) -> [any Contender] {
        indexed ? [lineup.subject, lineup.peer] : [lineup.subjectWithoutIndexes, lineup.peerWithoutIndexes]
    }

    func prepare(_ contender: any Contender, for workload: Workload) throws {
        try contender.ensureLoaded(workload)
        if !indexed { try contender.dropIndexes() }
    }

    func run(_ contender: any Contender, on workload: Workload) throws -> Int {
        try contender.selectBySalary(lows: workload.salaryLows, width: workload.rangeWidth)
    }

    func expectedAnswer(for workload: Workload) -> Int { workload.expected.w4RowsTotal }
}

/// W4's index-build rows (informational): the time to create one secondary index over the N records
/// already in a table without indexes. DictDB: `createIndex(on:kind:)` (`sorted` on salary, `hash` on
/// dept); SQLite: `CREATE INDEX`. Checked by the new index's entry count, which must be N.
struct IndexBuildScenario: Scenario {
    let id = "W4"
    let unit = "index builds"
    let goal: Goal? = nil
    let figure = Figure.seconds
    /// The indexed field: `salary` or `dept`.
    var field: String

    func title(for workload: Workload) -> String {
        let kind = field == "salary" ? DictDBContender.salaryIndexKind : DictDBContender.deptIndexKind
        return "build the \(field) index (DictDB: \(kind)) over \(workload.records.count) records"
    }

    func operations(in workload: Workload) -> Int { 1 }

    func contenders(from lineup: Lineup) -> [any Contender] {
        [lineup.subjectWithoutIndexes, lineup.peerWithoutIndexes]
    }

    func prepare(_ contender: any Contender, for workload: Workload) throws {
        try contender.ensureLoaded(workload)
        try contender.dropIndexes()
    }

    func run(_ contender: any Contender, on workload: Workload) throws -> Int {
        try contender.createIndex(on: field)
        return 1
    }

    func expectedAnswer(for workload: Workload) -> Int { workload.records.count }

    /// The new index must cover every record.
    func check(_ contender: any Contender, answer: Int, workload: Workload) throws -> String? {
        let entries = try contender.indexEntries(on: field)
        let expected = expectedAnswer(for: workload)
        if entries == expected { return nil }
        return "W4: \(contender.name)'s new \(field) index has \(entries.map(String.init) ?? "no") entries, "
            + "expected \(expected)"
    }
}
