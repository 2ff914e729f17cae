/// W2: point lookups by primary key (100,000 keys from the workload file), each decoded into an
/// ``Employee``. The answer is the sum of the records' checksums, computed independently from the file.
struct PointLookupScenario: Scenario {
    let id = "W2"
    let unit = "lookups"
    let goal: Goal? = Goal(minimum: 5, aim: 10)

    func title(for workload: Workload) -> String { "\(workload.lookups.count) point lookups by key" }

    func operations(in workload: Workload) -> Int { workload.lookups.count }

    func prepare(_ contender: any Contender, for workload: Workload) throws {
        try contender.ensureLoaded(workload)
    }

    func run(_ contender: any Contender, on workload: Workload) throws -> Int {
        try contender.lookUp(workload.lookups)
    }

    func expectedAnswer(for workload: Workload) -> Int {
        var sum = 0
        for id in workload.lookups { sum &+= workload.records[id - 1].checksum(id: id) }
        return sum
    }
}
