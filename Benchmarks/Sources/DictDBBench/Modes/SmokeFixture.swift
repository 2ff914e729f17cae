import Foundation

/// The workload `dictdb-bench --smoke` runs: `Benchmarks/Fixtures/smoke-workload.json`, committed, written
/// by `Fixtures/make-smoke-workload.py` from `shared/bench/gen_workload.py` (300 records, the query lists
/// cut short, the expected totals computed by the generator's own code for the shorter lists), so that CI
/// needs neither Python nor a generated file.
enum SmokeFixture {
    /// Records in the fixture.
    static let rows = 300
    /// Seconds of each W9 phase in a smoke run.
    static let w9Seconds = 0.2
    /// Appends + fdatasyncs of W7's floor in a smoke run.
    static let fsyncFloorOperations = 100

    /// The fixture: beside this package's sources (`<repo>/Benchmarks/Fixtures/`), else under the current
    /// folder's `Fixtures/`.
    static func file() -> WorkloadFile {
        var benchmarks = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { benchmarks.deleteLastPathComponent() }  // Modes, DictDBBench, Sources, Benchmarks
        let beside = benchmarks.appendingPathComponent("Fixtures/smoke-workload.json").path
        let path = FileManager.default.fileExists(atPath: beside) ? beside : "Fixtures/smoke-workload.json"
        return WorkloadFile(explicitPath: path, rows: rows)
    }

    /// A new temporary folder for the smoke run's files (W6, W7, W9), which the caller deletes.
    /// - Throws: when the folder cannot be created.
    static func makeScratchFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("dictdb-bench-smoke-\(ProcessInfo.processInfo.processIdentifier)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}
