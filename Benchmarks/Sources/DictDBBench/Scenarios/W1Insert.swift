/// W1: insert every record into an empty table that already has its indexes, one insert call per record.
///
/// DictDB: a hash index on dept and a sorted index on salary (``DictDBContender/salaryIndexKind``, which
/// falls back to `hash` on a registry without `sorted`).
/// SQLite: `:memory:`, indexes on dept and salary, every insert in one transaction through one prepared
/// statement; W1 also reports SQLite committing each insert on its own (no goal).
struct InsertScenario: Scenario {
    let id = "W1"
    let unit = "inserts"
    let goal: Goal? = Goal(minimum: 2, aim: 4)

    func title(for workload: Workload) -> String { "insert \(workload.n) records" }

    func operations(in workload: Workload) -> Int { workload.records.count }

    func contenders(from lineup: Lineup) -> [any Contender] {
        [lineup.subject, lineup.peer, lineup.peerAutocommit]
    }

    func prepare(_ contender: any Contender, for workload: Workload) throws {
        try contender.reset()
    }

    func run(_ contender: any Contender, on workload: Workload) throws -> Int {
        try contender.insertAll(workload.records)
        return workload.records.count
    }

    func expectedAnswer(for workload: Workload) -> Int { workload.records.count }

    /// Counts the table after the pass (untimed): every record must be there.
    func check(_ contender: any Contender, answer: Int, workload: Workload) throws -> String? {
        let count = try contender.recordCount()
        let expected = expectedAnswer(for: workload)
        return count == expected ? nil : "W1: \(contender.name) holds \(count) records, expected \(expected)"
    }
}
