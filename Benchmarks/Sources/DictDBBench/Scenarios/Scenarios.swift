/// The workloads this benchmark runs, in BENCHMARKS.md order.
enum Scenarios {
    /// W1-W3 today; W4-W9 join as their scenarios are written.
    static let standard: [any Scenario] = [
        InsertScenario(),
        PointLookupScenario(),
        DeptSelectScenario(),
    ]

    /// The scenarios whose ids are in `ids` (case-insensitive), or all of them when `ids` is empty.
    static func selected(_ ids: [String]) -> [any Scenario] {
        let wanted = Set(ids.map { $0.uppercased() })
        return wanted.isEmpty ? standard : standard.filter { wanted.contains($0.id) }
    }
}
