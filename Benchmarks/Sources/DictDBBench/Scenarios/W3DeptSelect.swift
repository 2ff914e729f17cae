/// W3: `dept == x` selects returning every matching row (about a tenth of the table each), decoded into
/// ``Employee`` values. DictDB uses its hash index on dept, SQLite its index. The answer is the total row
/// count, checked against `expected.w3_rows_total` from the workload file.
///
/// With `indexed: false` the same queries run on both databases without secondary indexes (full scans), as
/// an informational row.
struct DeptSelectScenario: Scenario {
    let id = "W3"
    let unit = "queries"
    /// Whether the tables have their secondary indexes.
    var indexed = true

    var goal: Goal? { indexed ? Goal(minimum: 2) : nil }

    func title(for workload: Workload) -> String {
        "\(workload.deptQueries.count) dept == x selects, all rows" + (indexed ? "" : ", without indexes")
    }

    func operations(in workload: Workload) -> Int { workload.deptQueries.count }

    func contenders(from lineup: Lineup) -> [any Contender] {
        indexed ? [lineup.subject, lineup.peer] : [lineup.subjectWithoutIndexes, lineup.peerWithoutIndexes]
    }

    func prepare(_ contender: any Contender, for workload: Workload) throws {
        try contender.ensureLoaded(workload)
        if !indexed { try contender.dropIndexes() }
    }

    func run(_ contender: any Contender, on workload: Workload) throws -> Int {
        try contender.selectByDept(workload.deptQueries)
    }

    func expectedAnswer(for workload: Workload) -> Int { workload.expected.w3RowsTotal }
}
