/// W3: `dept == x` selects returning every matching row (about a tenth of the table each), decoded into
/// ``Employee`` values. DictDB uses its hash index on dept, SQLite its index. The answer is the total row
/// count, checked against `expected.w3_rows_total` from the workload file.
struct DeptSelectScenario: Scenario {
    let id = "W3"
    let unit = "queries"
    let goal = Goal(minimum: 2)

    func title(for workload: Workload) -> String { "\(workload.deptQueries.count) dept == x selects, all rows" }

    func operations(in workload: Workload) -> Int { workload.deptQueries.count }

    func prepare(_ contender: any Contender, for workload: Workload) throws {
        try contender.ensureLoaded(workload)
    }

    func run(_ contender: any Contender, on workload: Workload) throws -> Int {
        try contender.selectByDept(workload.deptQueries)
    }

    func expectedAnswer(for workload: Workload) -> Int { workload.expected.w3RowsTotal }
}
