import Codecs
import DictDBAPI
import Foundation
import Testing

/// The snapshot codecs under the contract tests, by registry name.
enum SnapshotCodecs {
    /// Every codec and composition the contract covers.
    static let names = ["json", "msgpack", "json+gzip", "json+lz4", "msgpack+gzip", "msgpack+lz4"]

    /// A registry with the built-in codecs and compressors.
    static var registry: Registry {
        var registry = Registry()
        registry.register(codec: JSONCodec())
        registry.register(codec: MessagePackCodec())
        registry.register(compressor: GzipCompressor())
        registry.register(compressor: LZ4FrameCompressor())
        return registry
    }

    /// The codec named `name`.
    static func codec(_ name: String) throws -> any StorageCodec {
        try registry.codec(named: name)
    }

    /// The codec's base (itself when uncompressed) and its compressor, if any.
    static func parts(of codec: any StorageCodec) -> (base: any StorageCodec, compressor: (any Compressor)?) {
        if let composed = codec as? CompressedCodec { return (composed.base, composed.compressor) }
        return (codec, nil)
    }

    /// `bytes` in the base format of `codec` wrapped the way `codec` writes files (compressed if it
    /// compresses), for hand-made hostile files.
    static func wrap(_ bytes: [UInt8], for codec: any StorageCodec) throws -> [UInt8] {
        guard let compressor = parts(of: codec).compressor else { return bytes }
        return try compressor.compress(bytes)
    }
}

/// A whole snapshot as plain values, to write, read back and compare.
struct SnapshotContent: Sendable, CustomStringConvertible {
    /// One table: its header and records.
    struct Table: Sendable {
        /// The header record (holds `recordCount`).
        var header: Record
        /// The records in order.
        var records: [Record]
    }

    /// The meta record (holds `tableCount`).
    var meta: Record
    /// The tables in order.
    var tables: [Table]

    /// The events a writer receives for this snapshot.
    var events: [SnapshotEvent] {
        var events: [SnapshotEvent] = [.meta(meta)]
        for table in tables {
            events.append(.beginTable(table.header))
            events += table.records.map { .record($0) }
            events.append(.endTable)
        }
        events.append(.end)
        return events
    }

    var description: String {
        "snapshot of \(tables.count) tables, \(tables.reduce(0) { $0 + $1.records.count }) records"
    }

    /// Whether `other` is the same snapshot exactly: same field order, ints stay ints, doubles bit for bit.
    func isIdentical(to other: SnapshotContent) -> Bool {
        guard ExactValue.equal(meta, other.meta), tables.count == other.tables.count else { return false }
        for (mine, theirs) in zip(tables, other.tables) {
            guard ExactValue.equal(mine.header, theirs.header), mine.records.count == theirs.records.count else {
                return false
            }
            for (a, b) in zip(mine.records, theirs.records) where !ExactValue.equal(a, b) { return false }
        }
        return true
    }

    /// A small snapshot (a few hundred bytes) with every kind of value, for exhaustive damage tests.
    static let small: SnapshotContent = {
        let people: [Record] = [
            ["id": 1, "name": "Ada", "salary": 30103.0, "tags": ["a", "é"], "boss": .null],
            ["id": 2, "name": "Bob \"B\"\n", "salary": -0.0, "tags": [], "boss": 1],
            [
                "name": "Cé 👩‍👩‍👧", "id": -9_223_372_036_854_775_808,
                "nested": ["x": [true, false, .double(.leastNonzeroMagnitude)]],
            ],
        ]
        return SnapshotContent(
            meta: ["format": "dictdb", "version": 1, "tableCount": 2, "generation": 7],
            tables: [
                Table(header: ["name": "people", "primaryKey": "id", "recordCount": 3], records: people),
                Table(header: ["name": "empty", "recordCount": 0], records: []),
            ])
    }()
}

/// Exact comparison of values, stricter than `==` (which treats `1 == 1.0` and ignores field order).
enum ExactValue {
    /// Same fields in the same order with exactly equal values.
    static func equal(_ a: Record, _ b: Record) -> Bool {
        a.fieldNames == b.fieldNames && a.values.count == b.values.count
            && zip(a.values, b.values).allSatisfy { equal($0, $1) }
    }

    /// Same kind and exactly the same contents (doubles bit for bit).
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x.bitPattern == y.bitPattern
        case (.string(let x), .string(let y)): return Array(x.utf8) == Array(y.utf8)
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)): return equal(x, y)
        default: return false
        }
    }
}

/// Writing and reading snapshots through a codec.
enum SnapshotIO {
    /// The bytes `codec` writes for `content`.
    static func write(_ content: SnapshotContent, with codec: any StorageCodec) throws -> [UInt8] {
        let sink = BufferSink()
        let writer = try codec.makeWriter(to: sink)
        for event in content.events { try writer.write(event) }
        return sink.bytes
    }

    /// The snapshot `codec` reads from `bytes`, handed out `maxReadSize` bytes per read; checks that the
    /// reader yields `nil` after `end`.
    static func read(
        _ bytes: [UInt8], with codec: any StorageCodec, maxReadSize: Int = .max, limits: DecodingLimits = .default
    ) throws -> SnapshotContent {
        let reader = try codec.makeReader(from: BufferSource(bytes, maxReadSize: maxReadSize), limits: limits)
        var meta: Record?
        var tables: [SnapshotContent.Table] = []
        var inTable = false
        while let event = try reader.next() {
            switch event {
            case .meta(let record):
                try #require(meta == nil && tables.isEmpty, "meta must come first and once")
                meta = record
            case .beginTable(let header):
                try #require(meta != nil && !inTable, "beginTable out of order")
                tables.append(SnapshotContent.Table(header: header, records: []))
                inTable = true
            case .record(let record):
                try #require(inTable, "record outside a table")
                tables[tables.count - 1].records.append(record)
            case .endTable:
                try #require(inTable, "endTable outside a table")
                inTable = false
            case .end:
                try #require(meta != nil && !inTable, "end out of order")
                #expect(try reader.next() == nil, "a reader yields nil after end")
                return SnapshotContent(meta: meta ?? Record(), tables: tables)
            }
        }
        Issue.record("the reader returned nil before end")
        return SnapshotContent(meta: meta ?? Record(), tables: tables)
    }

    /// Reads `bytes` and returns the error, or `nil` when the read succeeded with exactly `expected`.
    ///
    /// Records an issue when the read succeeds with anything else, or throws something that is not a
    /// ``DictDBError``.
    static func readFailure(
        _ bytes: [UInt8], with codec: any StorageCodec, expected: SnapshotContent, limits: DecodingLimits = .default,
        _ comment: String, sourceLocation: SourceLocation = #_sourceLocation
    ) -> DictDBError? {
        do {
            let got = try read(bytes, with: codec, limits: limits)
            if !got.isIdentical(to: expected) {
                Issue.record(
                    "\(comment): damaged data read back as a different snapshot", sourceLocation: sourceLocation)
            }
            return nil
        } catch let error as DictDBError {
            return error
        } catch {
            Issue.record("\(comment): threw a non-DictDBError \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }
}

/// Random snapshots and values from a seed.
struct SnapshotGenerator {
    private var random: SeededGenerator

    /// Creates a generator; the same seed gives the same data.
    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    /// Integers at encoding boundaries.
    static let specialInts: [Int64] = [
        0, 1, -1, 31, 32, -32, -33, 127, 128, -128, -129, 255, 256, 32767, -32768, -32769, 65535, 65536,
        2_147_483_647, -2_147_483_648, -2_147_483_649, 4_294_967_295, 4_294_967_296, .max, .min, .max - 1, .min + 1,
    ]

    /// Doubles that break naive formatting.
    static let specialDoubles: [Double] = [
        30103.0, -0.0, 0.0, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude, 1.7976931348623157e308,
        -1.7976931348623157e308, 2.2250738585072014e-308,
        0.1, 0.30000000000000004, 1e-7, 1e21, 1e22, 1e23, 123456.78, 9007199254740993.0, 9007199254740992.0, 1.0,
        -1.5, 100.0, 4.35, 2e-5, 1e16,
    ]

    /// Strings with escapes, Unicode and edge cases.
    static let specialStrings: [String] = [
        "", " ", "a", "héllo wörld", "日本語", "👩‍👩‍👧", "😀", "\u{0}", "\u{1}\u{1f}\u{7f}", "tab\there", "line\nbreak\r",
        "quote\"and\\backslash", "/slash", "\u{2028}\u{2029}", "\u{FFFF}", "\u{10FFFF}", "{\"_meta\":1}",
        String(repeating: "x", count: 31), String(repeating: "y", count: 32), String(repeating: "z", count: 256),
        String(repeating: "é", count: 40_000),
    ]

    /// Field names, including awkward ones.
    static let fieldNames = [
        "id", "name", "age", "dept", "salary", "email", "", "é", "with space", "quote\"", "😀", "a\nb", "_meta",
        "checksum", "tableCount",
    ]

    /// A random snapshot: `tableCount` tables of 0...`maxRecords` records each.
    mutating func snapshot(tableCount: Int, maxRecords: Int) -> SnapshotContent {
        var tables: [SnapshotContent.Table] = []
        for t in 0..<tableCount {
            let count = Int.random(in: 0...maxRecords, using: &random)
            var records: [Record] = []
            let shape = Array(Self.fieldNames.shuffled(using: &random).prefix(Int.random(in: 1...8, using: &random)))
            for _ in 0..<count { records.append(record(shape: shape)) }
            let header: Record = [
                "name": .string("table\(t)"), "primaryKey": "id", "recordCount": .int(Int64(count)),
                "indexes": [["field": "dept", "kind": "hash"]], "state": ["next": .int(Int64(count + 1))],
            ]
            tables.append(SnapshotContent.Table(header: header, records: records))
        }
        let meta: Record = [
            "format": "dictdb", "version": 1, "codec": "test", "created": "2025-01-01T00:00:00Z",
            "generation": .int(Int64.random(in: 0...1000, using: &random)), "tableCount": .int(Int64(tableCount)),
        ]
        return SnapshotContent(meta: meta, tables: tables)
    }

    /// A record mostly of `shape`, sometimes with fields reordered, missing or added.
    mutating func record(shape: [String]) -> Record {
        var names = shape
        switch Int.random(in: 0..<10, using: &random) {
        case 0: names.shuffle(using: &random)
        case 1: if names.count > 1 { names.removeLast() }
        case 2:
            if let extra = Self.fieldNames.randomElement(using: &random), !names.contains(extra) { names.append(extra) }
        default: break
        }
        return Record(fields: names.map { ($0, value(depth: 0)) })
    }

    /// A random value of any kind, nesting at most a few levels.
    mutating func value(depth: Int) -> Value {
        let kinds = depth >= 3 ? 5 : 7
        switch Int.random(in: 0..<kinds, using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2:
            if Bool.random(using: &random) { return .int(Self.specialInts.randomElement(using: &random) ?? 0) }
            return .int(Int64.random(in: .min ... .max, using: &random) >> Int64.random(in: 0...63, using: &random))
        case 3:
            if Bool.random(using: &random) { return .double(Self.specialDoubles.randomElement(using: &random) ?? 0) }
            var number = Double(bitPattern: random.next())
            while !number.isFinite { number = Double(bitPattern: random.next()) }
            return .double(number)
        case 4:
            if Int.random(in: 0..<20, using: &random) == 0 {
                return .string(Self.specialStrings.randomElement(using: &random) ?? "")
            }
            if Bool.random(using: &random) {
                return .string(Self.specialStrings.prefix(17).randomElement(using: &random) ?? "")
            }
            let length = Int.random(in: 0...20, using: &random)
            let scalars = (0..<length).map { _ in randomScalar() }
            return .string(String(String.UnicodeScalarView(scalars)))
        case 5:
            return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in value(depth: depth + 1) })
        default:
            let count = Int.random(in: 0...4, using: &random)
            var record = Record()
            for _ in 0..<count {
                record[Self.fieldNames.randomElement(using: &random) ?? "k"] = value(depth: depth + 1)
            }
            return .object(record)
        }
    }

    private mutating func randomScalar() -> Unicode.Scalar {
        let ranges: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0x00...0x1F, 0xA0...0x2FF, 0x4E00...0x4FFF, 0x1F600...0x1F64F,
        ]
        let range = ranges[Int.random(in: 0..<ranges.count, using: &random)]
        return Unicode.Scalar(UInt32.random(in: range, using: &random)) ?? "?"
    }
}

/// Runs command-line tools for the interoperability tests.
enum SnapshotTools {
    /// The result of a run.
    struct Run {
        /// The exit status.
        var status: Int32
        /// Standard output.
        var output: [UInt8]
        /// Standard error as text.
        var errors: String

        /// Standard output as text, without the trailing newline.
        var text: String {
            var text = String(decoding: output, as: UTF8.self)
            while text.hasSuffix("\n") { text.removeLast() }
            return text
        }
    }

    /// Runs `tool` (found on the `PATH` by `/usr/bin/env`) with `arguments`, output to files in `directory`.
    static func run(_ tool: String, _ arguments: [String], in directory: URL) throws -> Run {
        let stdoutURL = directory.appendingPathComponent("\(tool)-\(UUID().uuidString).stdout")
        let stderrURL = directory.appendingPathComponent("\(tool)-\(UUID().uuidString).stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        try stdout.close()
        try stderr.close()
        let errors = String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self)
        let output = [UInt8](try Data(contentsOf: stdoutURL))
        return Run(status: process.terminationStatus, output: output, errors: errors)
    }

    /// Runs `tool` and requires it to succeed (status 127: the tool is missing; CI installs it).
    static func require(_ tool: String, _ arguments: [String], in directory: URL) throws -> Run {
        let run = try run(tool, arguments, in: directory)
        try #require(
            run.status == 0,
            "`\(tool) \(arguments.joined(separator: " "))` failed with status \(run.status) (127 means `\(tool)` is not installed; CI installs it): \(run.errors)"
        )
        return run
    }
}
