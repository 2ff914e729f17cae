/// W8: resident bytes per record after W1: the growth of the process's resident size (`VmRSS`) from
/// before the database is created to after N records are inserted, over N.
///
/// DictDB: a new `Database` with W1's indexes (hash on dept, sorted on salary), records inserted one call
/// each. SQLite: a new `:memory:` database with indexes on dept and salary, inserts in one transaction.
/// `malloc_trim(0)` runs before every reading, so freed memory counts neither before nor after. Each
/// contender is warmed up first (a throwaway database of up to 1,000 records), so that code pages and
/// one-time library state are in the "before" reading.
///
/// Runs first in the standard order, before any other workload has grown and fragmented the heap. The goal
/// is DictDB's bytes per record over SQLite's, at most 1.5x (aim 1x). Checked: the table holds N records.
struct MemoryExperiment: Experiment {
    let id = "W8"

    func title(for workload: Workload) -> String {
        "resident bytes per record after inserting \(workload.records.count) records"
    }

    func measure(lineup: Lineup, workload: Workload, runner: ScenarioRunner) throws(BenchError) -> [ScenarioResult] {
        let makers: [(name: String, make: () throws -> any Contender)] = [
            ("DictDB", lineup.makeSubject), ("SQLite", lineup.makePeer),
        ]
        let n = workload.records.count
        var samples = Array(repeating: [Double](), count: makers.count)
        var readings = Array(repeating: [String](), count: makers.count)
        var wrong = Array(repeating: [String](), count: makers.count)
        var names = makers.map(\.name)
        lineup.release(except: nil)
        for (i, maker) in makers.enumerated() {
            try runner.attempt(names[i], id) {
                let warmUp = try maker.make()
                names[i] = warmUp.name
                try warmUp.insertAll(Array(workload.records.prefix(1000)))
            }
        }
        for pass in 1...max(1, runner.iterations) {
            for (i, maker) in makers.enumerated() {
                try runner.attempt(names[i], id) {
                    ResidentMemory.trim()
                    let before = ResidentMemory.current() ?? 0
                    var contender: (any Contender)? = try maker.make()
                    try contender?.insertAll(workload.records)
                    let count = try contender?.recordCount() ?? 0
                    ResidentMemory.trim()
                    let after = ResidentMemory.current() ?? 0
                    contender = nil
                    if count != n {
                        wrong[i].append("pass \(pass): W8: \(names[i]) holds \(count) records, expected \(n)")
                    }
                    let perRecord = Double(after - before) / Double(n)
                    samples[i].append(perRecord)
                    readings[i].append(String(format: "%.1f MB -> %.1f MB", Double(before) / 1e6, Double(after) / 1e6))
                    runner.report(
                        "  W8 pass \(pass) \(names[i]): \(Figure.bytesPerRecord.format(perRecord)) bytes/record")
                }
            }
        }
        let measurements = names.indices.map { i in
            ContenderMeasurement(
                contender: names[i], seconds: [], samples: samples[i], value: samples[i].median,
                wrongAnswers: wrong[i])
        }
        let details = names.indices.map { i in
            "W8 \(names[i]): VmRSS before creating the database -> after inserting, per pass: "
                + readings[i].joined(separator: ", ")
        }
        return [
            ScenarioResult(
                id: id, title: title(for: workload), figure: .bytesPerRecord, goal: .ratio(atMost: 1.5, aim: 1),
                operations: n, measurements: measurements, details: details)
        ]
    }
}
