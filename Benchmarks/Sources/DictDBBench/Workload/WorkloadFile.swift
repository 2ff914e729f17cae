import Foundation

/// Finds and loads a `workload-N.json` file.
///
/// The file is `--data PATH` when given, else `$DICTDB_BENCH_DATA/workload-N.json`, else
/// `./bench-data/workload-N.json` (the generator's own default folder). A missing file is reported with
/// the exact command that generates it.
struct WorkloadFile {
    /// The file to read.
    var path: String
    /// The number of records the run expects.
    var rows: Int

    /// Resolves the file location from the command-line options and the environment.
    init(explicitPath: String?, rows: Int, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.rows = rows
        if let explicitPath {
            path = explicitPath
        } else {
            let folder = environment["DICTDB_BENCH_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? "bench-data"
            path = URL(fileURLWithPath: folder).appendingPathComponent("workload-\(rows).json").path
        }
    }

    /// Reads and decodes the file, and checks that it matches ``rows``.
    /// - Throws: ``BenchError/missingWorkload(path:command:)`` with the command to run,
    ///   ``BenchError/unreadableWorkload(path:reason:)``, ``BenchError/inconsistentWorkload(path:reason:)``.
    func load() throws(BenchError) -> Workload {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: absolute) else {
            throw .missingWorkload(path: absolute, command: generateCommand(for: absolute))
        }
        let workload: Workload
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: absolute))
            workload = try JSONDecoder().decode(Workload.self, from: data)
        } catch {
            throw .unreadableWorkload(path: absolute, reason: String(describing: error))
        }
        if workload.n != rows || workload.records.count != rows {
            throw .inconsistentWorkload(
                path: absolute,
                reason: "it holds \(workload.records.count) records (n = \(workload.n)) but --rows is \(rows)")
        }
        if let bad = workload.lookups.first(where: { $0 < 1 || $0 > rows }) {
            throw .inconsistentWorkload(path: absolute, reason: "lookup key \(bad) is outside 1...\(rows)")
        }
        return workload
    }

    /// The shell command that writes the file at `absolutePath`.
    private func generateCommand(for absolutePath: String) -> String {
        let file = URL(fileURLWithPath: absolutePath)
        let folder = file.deletingLastPathComponent().path
        let expectedName = "workload-\(rows).json"
        let script = Self.generatorScript()
        let generate = "DICTDB_BENCH_DATA=\(folder) python3 \(script) \(rows)"
        if file.lastPathComponent == expectedName { return generate }
        return "\(generate) && mv \(folder)/\(expectedName) \(absolutePath)"
    }

    /// The generator's path: `shared/bench/gen_workload.py` beside the repository, looked for above the
    /// current folder and above this source file (`<repo>/Benchmarks/Sources/DictDBBench/Workload/`), else
    /// the relative path BENCHMARKS.md uses.
    private static func generatorScript() -> String {
        let relative = "shared/bench/gen_workload.py"
        let source = URL(fileURLWithPath: #filePath)
        let starts = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath), source.deletingLastPathComponent(),
        ]
        for start in starts {
            var folder = start
            for _ in 0..<6 {
                let candidate = folder.appendingPathComponent(relative).standardizedFileURL.path
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
                folder.deleteLastPathComponent()
            }
        }
        return "../\(relative)"
    }
}
