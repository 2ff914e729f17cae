import DictDBAPI

// Limits and the writer's event order.

extension CodecContractRun {
    func checkLimits() throws(ContractViolation) {
        // Just within a depth limit is fine; one level more is not.
        let nested: Value = ["a": [["b": 1]]]
        let deeper: Value = ["a": [[["b": 1]]]]
        let shallow = DecodingLimits(maxDepth: 3)
        try expectDecoded(nested, limits: shallow, "depth 3 under maxDepth 3")
        try expectLimit(deeper, limits: shallow, "depth 4 under maxDepth 3")
        var deep: Value = 1
        for _ in 0..<600 { deep = .array([deep]) }
        try expectLimit(deep, limits: .default, "depth 600 under the default maxDepth 512")
        try expectLimit(.string("abcdef"), limits: DecodingLimits(maxStringBytes: 5), "6 bytes under maxStringBytes 5")
        try expectLimit(
            [1, 2, 3], limits: DecodingLimits(maxContainerCount: 2), "3 elements under maxContainerCount 2")

        let content = SnapshotContent(
            meta: ["tableCount": 1],
            tables: [
                .init(
                    header: ["recordCount": 1],
                    records: [["s": .string(String(repeating: "\u{e9}", count: 50)), "a": [1, 2, 3, 4]]])
            ])
        try roundTrip(
            content, limits: DecodingLimits(maxStringBytes: 100, maxContainerCount: 4),
            "a 100-byte string and 4 elements under limits of 100 and 4")
        let bytes = try write(content)
        let cases: [(DecodingLimits, String)] = [
            (DecodingLimits(maxStringBytes: 99), "a 100-byte string under maxStringBytes 99"),
            (DecodingLimits(maxContainerCount: 3), "4 elements under maxContainerCount 3"),
        ]
        for (limits, what) in cases {
            guard case .error(let error) = read(bytes, limits: limits), error.code == .limitExceeded else {
                throw violation(Clause.limits, "reading a snapshot with \(what) did not throw limitExceeded")
            }
        }
        if codec is CompressedCodec {
            let small = try write(.small)
            let limits = DecodingLimits(decompression: DecompressionLimits(maxOutputBytes: 16))
            guard case .error(let error) = read(small, limits: limits), error.code == .limitExceeded else {
                throw violation(Clause.limits, "reading a file under maxOutputBytes 16 did not throw limitExceeded")
            }
        }
    }

    private func expectDecoded(_ value: Value, limits: DecodingLimits, _ what: String) throws(ContractViolation) {
        let decoded = Outcome { () throws(DictDBError) in try codec.decode(codec.encode(value), limits: limits) }
        guard case .value(let result) = decoded, result.isIdentical(to: value) else {
            throw violation(Clause.limits, "decoding \(what) \(decoded.summary), expected \(value)")
        }
    }

    private func expectLimit(_ value: Value, limits: DecodingLimits, _ what: String) throws(ContractViolation) {
        let encoded: [UInt8]
        do {
            encoded = try codec.encode(value)
        } catch {
            return  // a codec may refuse to write what it cannot read back
        }
        let decoded = Outcome { () throws(DictDBError) in try codec.decode(encoded, limits: limits) }
        guard decoded.code == .limitExceeded else {
            throw violation(Clause.limits, "decoding \(what) \(decoded.summary), expected limitExceeded")
        }
    }

    func checkWriterOrder() throws(ContractViolation) {
        let meta: SnapshotEvent = .meta(["tableCount": 1])
        let begin: SnapshotEvent = .beginTable(["recordCount": 1])
        let record: SnapshotEvent = .record(["id": 1])
        let sequences: [[SnapshotEvent]] = [
            [record], [begin], [.endTable], [.end], [meta, meta], [meta, record], [meta, .endTable],
            [meta, begin, .end], [meta, begin, meta], [meta, begin, begin],
            [meta, begin, record, .endTable, .end, meta],
            [meta, begin, record, .endTable, .end, .end],
        ]
        for sequence in sequences {
            let last = sequence[sequence.count - 1]
            let outcome = Outcome { () throws(DictDBError) in
                let writer = try codec.makeWriter(to: BufferSink())
                for event in sequence.dropLast() { try writer.write(event) }
                return writer
            }
            guard case .value(let writer) = outcome else {
                throw violation(Clause.order, "writing the events before the last of \(sequence) \(outcome.summary)")
            }
            let written = Outcome { () throws(DictDBError) in try writer.write(last) }
            guard written.code == .invalidState else {
                throw violation(
                    Clause.order,
                    "writing \(last) after \(sequence.dropLast()) \(written.summary), expected invalidState")
            }
        }
    }
}
