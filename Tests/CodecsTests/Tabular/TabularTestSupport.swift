import Codecs
import DictDBAPI
import Foundation
import Testing

/// A small deterministic random generator (SplitMix64), so a failing random test can be replayed.
struct TabularRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random records for round trips, with the values that trouble text formats: quotes, delimiters,
/// newlines, spaces at the ends, strings that look like numbers, extreme numbers, nesting.
enum TabularSamples {
    /// Strings chosen to be hard for CSV and JSON.
    static let trickyStrings: [String] = [
        "", " ", "plain", "with,comma", "with \"quotes\"", "line\nbreak", "crlf\r\ninside", "cr\ronly",
        " leading", "trailing ", "\ttab", "12", "-7", "1.5", "2e3", "007", "+5", "true", "False", "null",
        "NaN", "inf", "[1,2]", "{\"a\":1}", "[not json", "é", "e\u{301}", "😀 emoji", "\u{FEFF}bom", "\u{1}ctl",
        "back\\slash", "\"", "\"\"", ",", "a;b\tc",
    ]

    /// A random value nested at most `depth` levels.
    static func value(_ random: inout TabularRandom, depth: Int = 2) -> Value {
        switch Int.random(in: 0..<(depth > 0 ? 9 : 7), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2:
            let extremes: [Int64] = [0, 1, -1, .max, .min, 42, 1 << 53]
            return Bool.random(using: &random)
                ? .int(extremes.randomElement(using: &random) ?? 0)
                : .int(Int64.random(in: -1_000_000...1_000_000, using: &random))
        case 3:
            let specials: [Double] = [
                0.0, -0.0, 30103.0, 0.1, -1.5e-300, 1e300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e16,
                123456.789,
            ]
            return Bool.random(using: &random)
                ? .double(specials.randomElement(using: &random) ?? 0)
                : .double(Double.random(in: -1e6...1e6, using: &random))
        case 4, 5:
            return .string(trickyStrings.randomElement(using: &random) ?? "")
        case 6:
            let scalars = (0..<Int.random(in: 0...8, using: &random)).map { _ in
                Character(Unicode.Scalar(UInt32.random(in: 0x20...0x7E, using: &random)) ?? "x")
            }
            return .string(String(scalars))
        case 7:
            return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in value(&random, depth: depth - 1) })
        default:
            return .object(record(&random, depth: depth - 1, fields: ["x", "y", "z"]))
        }
    }

    /// A random record over a random subset of `fields`, in a random order.
    static func record(_ random: inout TabularRandom, depth: Int = 2, fields: [String]) -> Record {
        var record = Record()
        for name in fields.shuffled(using: &random) where Bool.random(using: &random) || fields.count == 1 {
            record[name] = value(&random, depth: depth)
        }
        return record
    }

    /// `count` random records over the fields `a`...`f` (and a few odd names).
    static func records(count: Int, seed: UInt64) -> [Record] {
        var random = TabularRandom(seed: seed)
        let fields = ["a", "b", "c", "d", "e", "f", "with space", "quo\"te", "com,ma", "ünï"]
        return (0..<count).map { _ in record(&random, fields: fields) }
    }
}

/// Exact identity, stricter than `==`: same kinds (int vs double), doubles bit for bit, field order.
enum TabularIdentity {
    /// Whether two values are identical.
    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x.bitPattern == y.bitPattern
        case (.string(let x), .string(let y)): return Array(x.utf8) == Array(y.utf8)
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)): return same(x, y)
        default: return false
        }
    }

    /// Whether two records have the same field names in the same order and identical values.
    static func same(_ a: Record, _ b: Record) -> Bool {
        a.fieldNames == b.fieldNames && zip(a.values, b.values).allSatisfy { same($0, $1) }
    }
}

/// Helpers for writing and reading records in memory.
enum TabularIO {
    /// The bytes of `records` written in `format`.
    static func write(
        _ records: [Record], format: RecordFileFormat, options: RecordWriterOptions = RecordWriterOptions()
    ) throws -> [UInt8] {
        let sink = BufferSink()
        let writer = try makeRecordWriter(format: format, to: sink, options: options)
        for record in records { try writer.write(record) }
        try writer.finish()
        return sink.bytes
    }

    /// The records in `bytes`, read in `format` with reads of at most `chunk` bytes.
    static func read(
        _ bytes: [UInt8], format: RecordFileFormat, options: RecordReaderOptions = RecordReaderOptions(),
        limits: DecodingLimits = .default, chunk: Int = .max
    ) throws -> [Record] {
        let reader = try makeRecordReader(
            format: format, from: BufferSource(bytes, maxReadSize: chunk), options: options, limits: limits)
        var records: [Record] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    /// The records in `text`.
    static func read(
        _ text: String, format: RecordFileFormat, options: RecordReaderOptions = RecordReaderOptions(),
        limits: DecodingLimits = .default, chunk: Int = .max
    ) throws -> [Record] {
        try read(Array(text.utf8), format: format, options: options, limits: limits, chunk: chunk)
    }

    /// The error reading `text` throws, or `nil` when it reads without one.
    static func readError(
        _ text: String, format: RecordFileFormat, options: RecordReaderOptions = RecordReaderOptions(),
        limits: DecodingLimits = .default, chunk: Int = .max
    ) -> DictDBError? {
        do {
            _ = try read(text, format: format, options: options, limits: limits, chunk: chunk)
            return nil
        } catch let error as DictDBError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }
}

/// Runs external tools for the interop tests.
enum TabularTools {
    /// Runs `python3 -c script arguments...` and returns its exit status, standard output and error.
    static func python(
        _ script: String, _ arguments: [String], in directory: URL
    ) throws -> (
        status: Int32, output: String, errors: String
    ) {
        let outURL = directory.appendingPathComponent("python-\(UUID().uuidString).out")
        let errURL = directory.appendingPathComponent("python-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let output = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        let errors = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        return (process.terminationStatus, output, errors)
    }
}

/// Runs `body` with a new temporary directory, removed afterwards.
func withTabularDirectory<R>(_ body: (URL) throws -> R) throws -> R {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("TabularTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}
