import DictDBAPI

/// One run of ``StorageCodecContract/check(_:seed:others:bitFlips:)``: the round-trip clauses here, damage
/// and limits in the extensions.
struct CodecContractRun {
    /// The clauses, as the protocol's documentation words them.
    enum Clause {
        static let roundTrip = "exact round trip"
        static let nonFinite = "non-finite doubles are invalid values"
        static let streaming = "streaming"
        static let recognition = "self-identifying files"
        static let integrity = "integrity"
        static let limits = "bounded reading"
        static let order = "event order"
        static let finalFailure = "failure is final"
    }

    /// What reading some bytes gave.
    enum ReadResult {
        /// The snapshot read back.
        case content(SnapshotContent)
        /// The codec threw.
        case error(DictDBError)
        /// Something that is not a codec error: a reader out of order, or a foreign error.
        case broken(String)
    }

    let codec: any StorageCodec
    let seed: UInt64

    /// The largest write a streaming writer may hand its sink.
    static let largestWrite = 256 * 1024

    /// Whether the codec compresses (its files may carry bits no check covers, such as gzip's mtime).
    var isCompressed: Bool { codec is CompressedCodec }

    func violation(_ clause: String, _ detail: String) -> ContractViolation {
        ContractViolation(plugin: "codec '\(codec.name)'", clause: clause, detail: "\(detail) (seed \(seed))")
    }

    /// The bytes of `content`, or a round-trip violation.
    func write(_ content: SnapshotContent) throws(ContractViolation) -> [UInt8] {
        do {
            return try SnapshotIO.write(content, with: codec)
        } catch {
            throw violation(Clause.roundTrip, "writing \(content) threw \(error)")
        }
    }

    /// Reads `bytes`, sorting the outcome.
    func read(_ bytes: [UInt8], maxReadSize: Int = .max, limits: DecodingLimits = .default) -> ReadResult {
        do {
            return .content(try SnapshotIO.read(bytes, with: codec, maxReadSize: maxReadSize, limits: limits))
        } catch let error as DictDBError {
            return .error(error)
        } catch {
            return .broken("\(error)")
        }
    }

    /// Writes and reads `content` back, and requires it identical.
    func roundTrip(
        _ content: SnapshotContent, maxReadSize: Int = .max, limits: DecodingLimits = .default, _ what: String
    ) throws(ContractViolation) {
        let bytes = try write(content)
        switch read(bytes, maxReadSize: maxReadSize, limits: limits) {
        case .content(let read) where read.isIdentical(to: content): return
        case .content(let read):
            throw violation(
                Clause.roundTrip, "\(what): \(content) read back different: \(firstDifference(content, read))")
        case .error(let error):
            throw violation(Clause.roundTrip, "\(what): reading \(content) back threw \(error)")
        case .broken(let problem):
            throw violation(Clause.order, "\(what): \(problem)")
        }
    }

    func checkRoundTrips() throws(ContractViolation) {
        for offset in UInt64(0)..<4 {
            var generator = SnapshotGenerator(seed: seed &+ offset)
            let content = generator.snapshot(tableCount: Int(offset) + 2, maxRecords: 300)
            try roundTrip(content, "random snapshot of seed \(seed &+ offset)")
        }
        var generator = SnapshotGenerator(seed: seed &+ 98)
        let content = generator.snapshot(tableCount: 3, maxRecords: 40)
        try roundTrip(content, maxReadSize: 1, "one-byte reads, snapshot of seed \(seed &+ 98)")
        try roundTrip(content, maxReadSize: 7, "seven-byte reads, snapshot of seed \(seed &+ 98)")
        try roundTrip(.small, maxReadSize: 1, "one-byte reads of the small snapshot")
        try roundTrip(
            SnapshotContent(meta: ["format": "dictdb", "version": 1, "tableCount": 0], tables: []), "empty snapshot")

        let long = String(repeating: "ab\"\u{1}\u{e9}", count: 40_000)
        let records: [Record] = (0..<20).map { ["i": .int(Int64($0)), "s": .string($0 % 5 == 0 ? long : "x")] }
        let longContent = SnapshotContent(
            meta: ["tableCount": 1], tables: [.init(header: ["recordCount": 20], records: records)])
        try roundTrip(
            longContent, limits: DecodingLimits(maxContainerCount: 2),
            "strings longer than a read, a table longer than maxContainerCount")
        try roundTrip(longContent, maxReadSize: 4093, "strings longer than a read, reads of 4093 bytes")
    }

    func checkSingleValues() throws(ContractViolation) {
        var generator = SnapshotGenerator(seed: seed &+ 4)
        var values: [Value] = SnapshotGenerator.specialInts.map { .int($0) }
        values += SnapshotGenerator.specialDoubles.map { .double($0) }
        values += SnapshotGenerator.specialStrings.map { .string($0) }
        values += [.null, .bool(true), .bool(false), .array([]), .object(Record())]
        values += (0..<300).map { _ in generator.value(depth: 0) }
        for value in values {
            do {
                let decoded = try codec.decode(codec.encode(value), limits: .default)
                guard decoded.isIdentical(to: value) else {
                    throw violation(Clause.roundTrip, "encode/decode turned \(value) into \(decoded)")
                }
            } catch let error as ContractViolation {
                throw error
            } catch {
                throw violation(Clause.roundTrip, "encode/decode of \(value) threw \(error)")
            }
        }
    }

    func checkNonFiniteDoubles() throws(ContractViolation) {
        for number in [Double.nan, .infinity, -.infinity] {
            let encoded = Outcome { () throws(DictDBError) in try codec.encode(["x": .double(number)]) }
            guard encoded.code == .invalidValue else {
                throw violation(
                    Clause.nonFinite, "encode([\"x\": \(number)]) \(encoded.summary), expected invalidValue")
            }
            let written = Outcome { () throws(DictDBError) in
                let writer = try codec.makeWriter(to: BufferSink())
                try writer.write(.meta(["tableCount": 1]))
                try writer.write(.beginTable(["recordCount": 1]))
                try writer.write(.record(["x": .double(number)]))
            }
            guard written.code == .invalidValue else {
                throw violation(
                    Clause.nonFinite, "writing a record with \(number) \(written.summary), expected invalidValue")
            }
        }
    }

    func checkStreaming() throws(ContractViolation) {
        let sink = CountingSink()
        let written = Outcome { () throws(DictDBError) in
            let writer = try codec.makeWriter(to: sink)
            try writer.write(.meta(["tableCount": 1]))
            try writer.write(.beginTable(["recordCount": 20_000]))
            for i in 0..<20_000 {
                try writer.write(.record(["id": .int(Int64(i)), "text": .string(String(repeating: "w", count: 40))]))
            }
            try writer.write(.endTable)
            try writer.write(.end)
        }
        guard case .value = written else {
            throw violation(Clause.roundTrip, "writing 20,000 records \(written.summary)")
        }
        guard sink.total > 0, sink.largestWrite <= Self.largestWrite else {
            throw violation(
                Clause.streaming,
                "writing 20,000 records (\(sink.total) bytes) handed the sink \(sink.largestWrite) bytes in one write, "
                    + "more than \(Self.largestWrite)")
        }
    }

    func checkRecognition(others: [any StorageCodec]) throws(ContractViolation) {
        let own = try write(.small)
        guard codec.recognizes(prefix: Array(own.prefix(16))) else {
            throw violation(Clause.recognition, "recognizes(prefix:) is false for its own file \(hexPrefix(own))")
        }
        for other in others where other.name != codec.name {
            let bytes: [UInt8]
            do {
                bytes = try SnapshotIO.write(.small, with: other)
            } catch {
                continue
            }
            if codec.recognizes(prefix: Array(bytes.prefix(16))) {
                throw violation(Clause.recognition, "recognizes a '\(other.name)' file \(hexPrefix(bytes))")
            }
        }
        for foreign in [[], Array("hello, world....".utf8)] as [[UInt8]] where codec.recognizes(prefix: foreign) {
            throw violation(Clause.recognition, "recognizes \(hexPrefix(foreign))")
        }
    }

    /// Where two snapshots first differ, for details.
    private func firstDifference(_ expected: SnapshotContent, _ found: SnapshotContent) -> String {
        if !expected.meta.isIdentical(to: found.meta) { return "meta \(expected.meta) became \(found.meta)" }
        if expected.tables.count != found.tables.count {
            return "\(expected.tables.count) tables became \(found.tables.count)"
        }
        for (t, (mine, theirs)) in zip(expected.tables, found.tables).enumerated() {
            if !mine.header.isIdentical(to: theirs.header) {
                return "table \(t) header \(mine.header) became \(theirs.header)"
            }
            if mine.records.count != theirs.records.count {
                return "table \(t): \(mine.records.count) records became \(theirs.records.count)"
            }
            for (r, (a, b)) in zip(mine.records, theirs.records).enumerated() where !a.isIdentical(to: b) {
                return "table \(t) record \(r): \(a) became \(b)"
            }
        }
        return "no difference"
    }
}

/// A sink that only counts, to see how a writer chunks its output.
private final class CountingSink: ByteSink {
    var largestWrite = 0
    var total = 0

    func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) {
        largestWrite = max(largestWrite, bytes.count)
        total += bytes.count
    }
}
