import DictDBAPI

/// One run of ``CompressorContract/check(_:seed:others:uncheckedHeaderBytes:)``: round trips and the
/// container here, hostile input in the extension.
struct CompressorContractRun {
    /// The clauses, as the protocol's documentation words them.
    enum Clause {
        static let roundTrip = "round trip"
        static let container = "standard container"
        static let hostile = "hostile input"
        static let finalFailure = "failure is final"
    }

    let compressor: any Compressor
    let seed: UInt64

    /// The sizes of the random chunks fed to streams.
    static let chunkSizes = 1...7919

    func violation(_ clause: String, _ detail: String) -> ContractViolation {
        ContractViolation(plugin: "compressor '\(compressor.name)'", clause: clause, detail: "\(detail) (seed \(seed))")
    }

    /// `bytes` compressed in one call, or a round-trip violation.
    func compress(_ bytes: [UInt8]) throws(ContractViolation) -> [UInt8] {
        do {
            return try compressor.compress(bytes)
        } catch {
            throw violation(Clause.roundTrip, "compressing \(bytes.count) bytes threw \(error)")
        }
    }

    /// `bytes` compressed in random chunks, finishing with the last chunk or with an empty call.
    func compressChunked(_ bytes: [UInt8], using random: inout SplitMix64) throws(DictDBError) -> [UInt8] {
        let stream = try compressor.makeCompressionStream()
        var output: [UInt8] = []
        var offset = 0
        var finished = false
        while offset < bytes.count {
            let count = min(Int.random(in: Self.chunkSizes, using: &random), bytes.count - offset)
            let finish = offset + count == bytes.count && Bool.random(using: &random)
            try feed(Array(bytes[offset..<offset + count])) { (chunk) throws(DictDBError) in
                try stream.compress(chunk, finish: finish, into: &output)
            }
            offset += count
            finished = finish
        }
        if !finished {
            try feed([]) { (chunk) throws(DictDBError) in try stream.compress(chunk, finish: true, into: &output) }
        }
        return output
    }

    /// `bytes` decompressed in random chunks; `nil` when the stream did not reach its end.
    func decompressChunked(
        _ bytes: [UInt8], limits: DecompressionLimits = .default, using random: inout SplitMix64
    ) throws(DictDBError) -> [UInt8]? {
        let stream = try compressor.makeDecompressionStream(limits: limits)
        var output: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            let count = min(Int.random(in: Self.chunkSizes, using: &random), bytes.count - offset)
            try feed(Array(bytes[offset..<offset + count])) { (chunk) throws(DictDBError) in
                try stream.decompress(chunk, into: &output)
            }
            offset += count
        }
        return stream.isFinished ? output : nil
    }

    /// Calls `body` with the bytes of `bytes`.
    func feed(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(DictDBError) -> Void) throws(DictDBError) {
        try withUnsafeBytesTyped(bytes, body)
    }

    func checkRoundTrips() throws(ContractViolation) {
        let inputs: [(String, [UInt8])] = [
            ("empty input", []), ("one byte", [0x2A]),
            ("a mebibyte of random bytes", CompressorInputs.random(1 << 20, seed: seed)),
            ("a mebibyte of text", CompressorInputs.compressible(1 << 20)),
        ]
        for (what, input) in inputs {
            let packed = try compress(input)
            let unpacked = Outcome { () throws(DictDBError) -> [UInt8]? in try compressor.decompress(packed) }
            try expectRoundTrip(unpacked, input, "\(what) in one call")
        }
        var random = SplitMix64(seed: seed &+ 1)
        for size in [0, 1, 7919, 100_000, 700_000] {
            let input = CompressorInputs.mixed(size, seed: random.next())
            let result = Outcome { () throws(DictDBError) -> [UInt8]? in
                let packed = try compressChunked(input, using: &random)
                return try decompressChunked(packed, using: &random)
            }
            try expectRoundTrip(result, input, "\(size) mixed bytes in random chunks")
        }
    }

    private func expectRoundTrip(
        _ result: Outcome<[UInt8]?>, _ input: [UInt8], _ what: String
    ) throws(ContractViolation) {
        switch result {
        case .value(let output?) where output == input: return
        case .value(let output?):
            throw violation(
                Clause.roundTrip, "\(what): came back as \(output.count) different bytes, expected \(input.count)")
        case .value(nil): throw violation(Clause.roundTrip, "\(what): the decompression stream did not finish")
        default: throw violation(Clause.roundTrip, "\(what): \(result.summary)")
        }
    }

    func checkMagic() throws(ContractViolation) {
        for input in [[], [0x00], CompressorInputs.mixed(50_000, seed: seed &+ 2)] as [[UInt8]] {
            let packed = try compress(input)
            guard !compressor.magic.isEmpty, packed.starts(with: compressor.magic) else {
                throw violation(
                    Clause.container,
                    "the output for \(input.count) bytes starts \(hexPrefix(packed, 8)), not with "
                        + "magic \(hexPrefix(compressor.magic, 8))")
            }
        }
    }
}
