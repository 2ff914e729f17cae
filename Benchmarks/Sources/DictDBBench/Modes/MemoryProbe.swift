import Foundation

/// `dictdb-bench --memory-probe`: resident bytes per record for DictDB and SQLite across table sizes and
/// across what a program does with the table: after inserting, after selecting, while saving and after.
///
/// For each size N (a prefix of the workload's records) and each contender, in a new database with W1's
/// indexes: `malloc_trim(0)` and `VmRSS` before creating it; N inserts as in W1; W3 and W4 selects (the
/// first ``selects`` of each, every row decoded); a save (DictDB `save(to:codec: "msgpack")`, SQLite
/// `VACUUM INTO`), with its peak (``ResidentMemory/measurePeak(_:)``). Every reading but the peak follows
/// `malloc_trim(0)`. A figure is (reading - before) / N. Each contender is warmed up first on a
/// throwaway 1,000-record database (inserts, selects and a save), as W8 does, and sizes run smallest first.
struct MemoryProbe {
    /// Table sizes, each at most the workload's size.
    var sizes: [Int]
    /// Where the save writes its file (deleted afterwards).
    var scratchDirectory: String
    /// Progress lines, or `nil`.
    var progress: ((String) -> Void)?

    /// Queries of each kind in the select phase.
    static let selects = 100

    /// The phases, in order; the JSON and table name them so.
    static let phases = ["insert", "select", "save peak", "after save"]

    /// One contender at one size: bytes per record after each phase.
    struct Reading: Sendable, Codable {
        var records: Int
        var contender: String
        /// `VmRSS` before the database was created, in bytes.
        var beforeBytes: Int
        /// Bytes per record after each of ``MemoryProbe/phases``, in order.
        var bytesPerRecord: [Double]
        /// How the save's peak was read.
        var peakMethod: String
        /// Records in the table after inserting (must equal ``records``).
        var count: Int
    }

    /// The probe's output, for `--json`.
    struct Result: Sendable, Codable {
        var machine: MachineInfo
        var dictdbRevision: String?
        var dataFile: String
        var phases: [String]
        var readings: [Reading]
    }

    /// Runs every size for every contender `makers` make (subject first).
    func run(
        workload: Workload, makers: [(name: String, make: () throws -> any Contender)]
    ) throws -> [Reading] {
        // Warm-up: code pages and one-time library state of every phase count in no reading.
        for maker in makers {
            let warmUp = try maker.make()
            try warmUp.insertAll(Array(workload.records.prefix(1000)))
            _ = try warmUp.selectByDept(Array(workload.deptQueries.prefix(5)))
            _ = try warmUp.selectBySalary(lows: Array(workload.salaryLows.prefix(5)), width: workload.rangeWidth)
            let path = URL(fileURLWithPath: scratchDirectory)
                .appendingPathComponent("memory-probe-\(ProcessInfo.processInfo.processIdentifier)-warm-up").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            _ = try warmUp.saveSnapshot(warmUp is DictDBContender ? .codec("msgpack") : .sqliteFile, to: path)
        }
        var readings: [Reading] = []
        for size in sizes.sorted() {
            let records = Array(workload.records.prefix(size))
            for maker in makers {
                let reading = try probe(maker, records: records, workload: workload)
                let figures = zip(Self.phases, reading.bytesPerRecord).map { "\($0) \(String(format: "%.1f", $1))" }
                progress?("  memory probe \(size) records, \(reading.contender): " + figures.joined(separator: ", "))
                readings.append(reading)
            }
        }
        return readings
    }

    private func probe(
        _ maker: (name: String, make: () throws -> any Contender), records: [EmployeeRow], workload: Workload
    ) throws -> Reading {
        let n = records.count
        let path = URL(fileURLWithPath: scratchDirectory)
            .appendingPathComponent("memory-probe-\(ProcessInfo.processInfo.processIdentifier)-\(maker.name)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        ResidentMemory.trim()
        let before = ResidentMemory.current() ?? 0
        var perRecord: [Double] = []
        func note(_ bytes: Int) { perRecord.append(Double(bytes - before) / Double(max(1, n))) }

        let table = try maker.make()
        try table.insertAll(records)
        let count = try table.recordCount()
        ResidentMemory.trim()
        note(ResidentMemory.current() ?? 0)
        _ = try table.selectByDept(Array(workload.deptQueries.prefix(Self.selects)))
        _ = try table.selectBySalary(lows: Array(workload.salaryLows.prefix(Self.selects)), width: workload.rangeWidth)
        ResidentMemory.trim()
        note(ResidentMemory.current() ?? 0)
        let format: SnapshotFormat = table is DictDBContender ? .codec("msgpack") : .sqliteFile
        let save = try ResidentMemory.measurePeak { try table.saveSnapshot(format, to: path) }
        note(save.peak)
        ResidentMemory.trim()
        note(ResidentMemory.current() ?? 0)
        return Reading(
            records: n, contender: table.name, beforeBytes: before, bytesPerRecord: perRecord,
            peakMethod: save.method.rawValue, count: count)
    }

    /// The readings as a Markdown table: size, phase, DictDB, SQLite, ratio.
    static func render(_ readings: [Reading]) -> String {
        var lines = [
            "| records | phase | DictDB bytes/record | SQLite bytes/record | DictDB/SQLite |",
            "| ------: | ----- | ------------------: | ------------------: | ------------: |",
        ]
        let sizes = Array(Set(readings.map(\.records))).sorted()
        for size in sizes {
            let dictdb = readings.first { $0.records == size && $0.contender.hasPrefix("DictDB") }
            let sqlite = readings.first { $0.records == size && $0.contender.hasPrefix("SQLite") }
            for (p, phase) in phases.enumerated() {
                let d = dictdb.flatMap { p < $0.bytesPerRecord.count ? $0.bytesPerRecord[p] : nil }
                let s = sqlite.flatMap { p < $0.bytesPerRecord.count ? $0.bytesPerRecord[p] : nil }
                let ratio = d.flatMap { d in s.flatMap { $0 > 0 ? String(format: "%.2fx", d / $0) : nil } } ?? "-"
                lines.append(
                    "| \(size) | \(phase) | \(d.map { String(format: "%.1f", $0) } ?? "-") | "
                        + "\(s.map { String(format: "%.1f", $0) } ?? "-") | \(ratio) |")
            }
        }
        return lines.joined(separator: "\n")
    }
}
