/// The workloads this benchmark runs, in run order.
enum Scenarios {
    /// W8 first (it measures resident memory and wants the heap as fresh as the process has it), then W1-W7
    /// and W9 in BENCHMARKS.md order (W7 is two experiments: the durable inserts with the fdatasync floor,
    /// and recovery); the table lists rows in workload order whatever the run order.
    static let standard: [any Experiment] = [
        MemoryExperiment(),
        InsertScenario(),
        PointLookupScenario(),
        DeptSelectScenario(),
        DeptSelectScenario(indexed: false),
        SalaryRangeScenario(),
        SalaryRangeScenario(indexed: false),
        IndexBuildScenario(field: "salary"),
        IndexBuildScenario(field: "dept"),
        SalaryUpdateScenario(),
        DeleteScenario(),
        SnapshotExperiment(),
        DurableInsertExperiment(),
        RecoveryExperiment(),
        ReadersAndWriterExperiment(),
    ]

    /// The experiments whose ids are in `ids` (case-insensitive), or all of them when `ids` is empty.
    static func selected(_ ids: [String]) -> [any Experiment] {
        let wanted = Set(ids.map { $0.uppercased() })
        return wanted.isEmpty ? standard : standard.filter { wanted.contains($0.id) }
    }
}
