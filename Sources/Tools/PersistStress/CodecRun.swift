import DictDB
import DictDBToolSupport

/// The save/load cycles of one codec.
struct CodecRun {
    /// What the cycles measured and found.
    struct Result {
        var cycles = 0
        var records = 0
        var lastFileBytes: Int64 = 0
        var totalBytes: Int64 = 0
        var saveMilliseconds = 0.0
        var loadMilliseconds = 0.0
        var mismatches: [String] = []
    }

    let codec: String
    let options: PersistOptions
    let seed: UInt64
    let directory: ScratchDirectory

    /// Runs the cycles; failures become mismatches rather than errors, so every codec gets its row.
    func run() -> Result {
        var result = Result()
        // Every codec gets the same data, so their timings compare.
        var random = SeededGenerator(seed: seed, stream: 2)
        var dataset = Dataset(random: SeededGenerator(seed: seed, stream: 1), recordsPerCycle: options.records)
        let fileStem = codec.replacingOccurrences(of: "+", with: "-")
        var db = Database()
        var previous: (path: String, state: DatabaseState)?
        do {
            try dataset.create(in: db)
        } catch {
            result.mismatches.append("setting up the tables failed: \(error)")
            return result
        }
        for cycle in 1...options.cycles {
            let path = directory.file("\(fileStem)-\(cycle % 2).dictdb")
            do {
                try dataset.mutate(db, cycle: cycle)
                let state = try DatabaseState(db)
                let saving = Stopwatch()
                let info = try db.save(to: path, codec: codec)
                result.saveMilliseconds += saving.milliseconds
                let loading = Stopwatch()
                let loaded = try Database.load(from: path)
                result.loadMilliseconds += loading.milliseconds
                result.cycles += 1
                result.records = state.recordCount
                result.lastFileBytes = info.bytes
                result.totalBytes += info.bytes
                var problems = state.differences(from: try DatabaseState(loaded))
                if info.codec != codec { problems.append("the save reports codec \(info.codec)") }
                if info.records != state.recordCount {
                    problems.append("the save reports \(info.records) records, the database holds \(state.recordCount)")
                }
                problems += try IndexAnswers.differences(db, loaded, random: &random)
                if let previous {
                    problems += try reloadProblems(previous.path, expected: previous.state)
                }
                for problem in problems { result.mismatches.append("cycle \(cycle): \(problem)") }
                if options.verbose {
                    ToolConsole.printError(
                        "  \(codec) cycle \(cycle): \(state.recordCount) records, \(NumberText.bytes(info.bytes)), "
                            + "save \(NumberText.fixed(saving.milliseconds, 1)) ms, "
                            + "\(problems.isEmpty ? "identical" : "\(problems.count) problem(s)")")
                }
                previous = (path, state)
                db = loaded
            } catch {
                result.mismatches.append("cycle \(cycle): \(error)")
                return result
            }
        }
        return result
    }

    /// Loads the previous cycle's file again: it must still hold that cycle's state.
    private func reloadProblems(_ path: String, expected: DatabaseState) throws -> [String] {
        let reloaded = try Database.load(from: path)
        return expected.differences(from: try DatabaseState(reloaded)).map { "previous file \(path): \($0)" }
    }
}
