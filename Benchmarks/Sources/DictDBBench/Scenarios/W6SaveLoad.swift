import Foundation

/// W6: save the whole N-record database to a file and load it back, for each DictDB codec (`json`,
/// `msgpack`, `json+gzip`, `msgpack+lz4`), with the peak resident memory while saving.
///
/// DictDB: `db.save(to:codec:)` (which writes a temporary file, fsyncs it, renames it and fsyncs the
/// folder) and `Database.load(from:registry:codec:)`, which rebuilds both indexes. The SQLite column is, for
/// the JSON codecs, every row read and written with Foundation's `JSONEncoder` and read back with
/// `JSONDecoder`; for the MessagePack codecs, SQLite's own file: `VACUUM INTO`, then opening the file and
/// reading every row. Neither SQLite path fsyncs.
///
/// Four row groups per codec: save records/s and load records/s (goal: BENCHMARKS.md's absolute figure for
/// the plain codecs, JSON >= 1,000,000 and MessagePack >= 2,000,000 records/s; none is set for the
/// compressed ones), the file size, and the peak resident size while saving over the resident size just
/// before (goal <= 1.1x: the save streams, it never holds the whole file). The peak is the worst pass's.
///
/// Before each contender's pass every other contender of the lineup drops its data, so the resident size
/// "before" is the workload, one database and the process. Checked: the save wrote N records; the load
/// read N records whose checksums sum to the workload's, with both indexes when the format keeps them.
/// Files go to a folder under ``ScenarioRunner/scratchDirectory``, deleted afterwards.
struct SnapshotExperiment: Experiment {
    let id = "W6"
    /// DictDB's codecs, in report order.
    static let codecs = ["json", "msgpack", "json+gzip", "msgpack+lz4"]

    func title(for workload: Workload) -> String {
        "save and load \(workload.records.count) records: \(Self.codecs.joined(separator: ", "))"
    }

    func measure(lineup: Lineup, workload: Workload, runner: ScenarioRunner) throws(BenchError) -> [ScenarioResult] {
        let folder = URL(fileURLWithPath: try runner.makeScratchFolder("w6", workload: id))
        defer { try? FileManager.default.removeItem(at: folder) }
        let expected = SnapshotContents(
            records: workload.records.count, checksum: Self.checksum(of: workload), indexes: 2)
        var results: [ScenarioResult] = []
        for codec in Self.codecs {
            results += try measure(
                codec: codec, lineup: lineup, workload: workload, expected: expected, folder: folder, runner: runner)
        }
        return results
    }

    /// One codec: both contenders, interleaved pass by pass; four result groups.
    private func measure(
        codec: String, lineup: Lineup, workload: Workload, expected: SnapshotContents, folder: URL,
        runner: ScenarioRunner
    ) throws(BenchError) -> [ScenarioResult] {
        let plainJSON = !codec.contains("msgpack")
        let sides: [(contender: any Contender, format: SnapshotFormat)] = [
            (lineup.subject, .codec(codec)), (lineup.peer, plainJSON ? .jsonEncoder : .sqliteFile),
        ]
        var passes = Array(repeating: Passes(), count: sides.count)
        for pass in 1...max(1, runner.iterations) {
            for (i, side) in sides.enumerated() {
                let contender = side.contender
                try runner.attempt(contender.name, id) {
                    lineup.release(except: contender)
                    try contender.ensureLoaded(workload)
                    let path = folder.appendingPathComponent("\(i)-\(pass)-\(codec)").path
                    defer { try? FileManager.default.removeItem(atPath: path) }
                    let save = try ResidentMemory.measurePeak { try contender.saveSnapshot(side.format, to: path) }
                    passes[i].record(save: save, pass: pass, expected: expected, contender: contender.name)
                    let load = try Stopwatch.time { try contender.loadSnapshot(side.format, from: path) }
                    let contents = try load.result.contents()
                    passes[i].record(
                        load: load.seconds, contents: contents, pass: pass, expected: expected,
                        contender: contender.name)
                    let n = Double(expected.records)
                    runner.report(
                        "  W6 \(codec) pass \(pass) \(contender.name): save "
                            + "\(Report.formatRate(n / save.seconds)) records/s "
                            + String(format: "(peak %.2fx RSS before)", passes[i].growth.last ?? 0)
                            + ", load \(Report.formatRate(n / load.seconds)) records/s, \(save.result.bytes) bytes")
                }
            }
        }
        return results(codec: codec, sides: sides, passes: passes, records: expected.records)
    }

    /// The four result groups of one codec.
    private func results(
        codec: String, sides: [(contender: any Contender, format: SnapshotFormat)], passes: [Passes], records: Int
    ) -> [ScenarioResult] {
        let n = Double(records)
        let json = sides[1].format == .jsonEncoder
        let rateGoal: Goal? =
            switch codec {
            case "json": .value(atLeast: 1_000_000, "records/s")
            case "msgpack": .value(atLeast: 2_000_000, "records/s")
            default: nil
            }
        /// One measurement per contender: `samples` of each pass, the figure shown, the pass timings.
        func measurements(
            seconds: (Passes) -> [Double] = { _ in [] }, samples: (Passes) -> [Double],
            value: (Passes) -> Double, wrong: (Passes) -> [String]
        ) -> [ContenderMeasurement] {
            zip(sides, passes).map { side, pass in
                ContenderMeasurement(
                    contender: side.contender.name, seconds: seconds(pass), samples: samples(pass),
                    value: value(pass), wrongAnswers: wrong(pass))
            }
        }
        let rate = { (seconds: [Double]) in seconds.median > 0 ? n / seconds.median : 0 }
        let memoryDetails = zip(sides, passes).map { side, pass in
            "W6 \(codec) \(side.contender.name): RSS before saving, and peak while saving, per pass: "
                + pass.readings.map { String(format: "%.1f MB -> %.1f MB", $0.before / 1e6, $0.peak / 1e6) }
                .joined(separator: ", ") + " (\(pass.method?.rawValue ?? "no reading"))"
        }
        let saveName = json ? "rows to JSONEncoder" : "VACUUM INTO"
        let loadName = json ? "JSONDecoder to rows" : "open the file, read all rows"
        return [
            ScenarioResult(
                id: id, title: "save \(records) records as \(codec) (SQLite: \(saveName))",
                figure: .rate(operation: "records"),
                goal: rateGoal, operations: records,
                measurements: measurements(
                    seconds: \.saveSeconds, samples: { $0.saveSeconds.map { n / $0 } }, value: { rate($0.saveSeconds) },
                    wrong: \.saveWrong)),
            ScenarioResult(
                id: id, title: "load \(records) records from \(codec) (SQLite: \(loadName))",
                figure: .rate(operation: "records"),
                goal: rateGoal, operations: records,
                measurements: measurements(
                    seconds: \.loadSeconds, samples: { $0.loadSeconds.map { n / $0 } }, value: { rate($0.loadSeconds) },
                    wrong: \.loadWrong)),
            ScenarioResult(
                id: id, title: "\(codec) file size (SQLite: \(json ? "JSON" : "database file"))", figure: .bytes,
                goal: nil, operations: records,
                measurements: measurements(samples: \.bytes, value: { $0.bytes.median }, wrong: \.saveWrong)),
            ScenarioResult(
                id: id, title: "peak RSS while saving \(codec), worst pass (SQLite: \(saveName))",
                figure: .memoryGrowth, goal: .value(atMost: 1.1, "x RSS before"), operations: records,
                measurements: measurements(samples: \.growth, value: { $0.growth.max() ?? 0 }, wrong: \.saveWrong),
                details: memoryDetails),
        ]
    }

    /// The sum of every record's checksum under its auto-increment key.
    private static func checksum(of workload: Workload) -> Int {
        var sum = 0
        for (i, row) in workload.records.enumerated() { sum &+= row.checksum(id: i + 1) }
        return sum
    }
}

/// One contender's W6 passes for one codec.
private struct Passes {
    var saveSeconds: [Double] = []
    var loadSeconds: [Double] = []
    var bytes: [Double] = []
    var growth: [Double] = []
    var readings: [(before: Double, peak: Double)] = []
    var method: ResidentMemory.PeakMethod?
    var saveWrong: [String] = []
    var loadWrong: [String] = []

    mutating func record(
        save: ResidentMemory.Peak<SavedSnapshot>, pass: Int, expected: SnapshotContents, contender: String
    ) {
        saveSeconds.append(save.seconds)
        bytes.append(Double(save.result.bytes))
        growth.append(save.before > 0 ? Double(save.peak) / Double(save.before) : 0)
        readings.append((Double(save.before), Double(save.peak)))
        method = save.method
        if save.result.records != expected.records {
            saveWrong.append(
                "pass \(pass): W6: \(contender) saved \(save.result.records) records, expected \(expected.records)")
        }
        if save.result.bytes <= 0 {
            saveWrong.append("pass \(pass): W6: \(contender) wrote an empty file")
        }
    }

    mutating func record(
        load seconds: Double, contents: SnapshotContents, pass: Int, expected: SnapshotContents, contender: String
    ) {
        loadSeconds.append(seconds)
        if contents.records != expected.records || contents.checksum != expected.checksum {
            loadWrong.append(
                "pass \(pass): W6: \(contender) loaded \(contents.records) records with checksum \(contents.checksum), "
                    + "expected \(expected.records) with \(expected.checksum)")
        }
        if let indexes = contents.indexes, indexes != expected.indexes {
            loadWrong.append(
                "pass \(pass): W6: \(contender)'s loaded database has \(indexes) indexes, expected \(expected.indexes ?? 0)"
            )
        }
    }
}
