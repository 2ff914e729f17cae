import DictDBAPI

// Hostile input: truncation, damage, foreign data, limits, trailing bytes, and use after failure.

extension CompressorContractRun {
    /// Decompresses `bytes` in one call.
    func decompress(_ bytes: [UInt8], limits: DecompressionLimits = .default) -> Outcome<[UInt8]> {
        Outcome { () throws(DictDBError) in try compressor.decompress(bytes, limits: limits) }
    }

    /// Requires `outcome` to be an error with `code`.
    func expect<T>(
        _ code: DictDBError.Code, _ outcome: Outcome<T>, _ what: String, _ clause: String = Clause.hostile
    )
        throws(ContractViolation)
    {
        guard outcome.code == code else { throw violation(clause, "\(what): \(outcome.summary), expected \(code)") }
    }

    func checkTruncation() throws(ContractViolation) {
        let packed = try compress(CompressorInputs.mixed(60_000, seed: seed &+ 3))
        let lengths = Set(
            Array(0..<64) + Array(stride(from: 0, to: packed.count, by: 97))
                + Array(max(0, packed.count - 64)..<packed.count))
        for length in lengths.sorted() where length < packed.count {
            let prefix = Array(packed[..<length])
            let what = "a prefix of \(length) of \(packed.count) bytes"
            let streamed = Outcome { () throws(DictDBError) -> Bool in
                let stream = try compressor.makeDecompressionStream(limits: .default)
                var output: [UInt8] = []
                try feed(prefix) { (chunk) throws(DictDBError) in try stream.decompress(chunk, into: &output) }
                return stream.isFinished
            }
            switch streamed {
            case .value(true): throw violation(Clause.hostile, "\(what) was taken as a whole stream")
            case .value(false): break
            default: try expect(.corrupt, streamed, "streaming \(what)")
            }
            try expect(.corrupt, decompress(prefix), "decompressing \(what)")
        }
    }

    /// Flips every bit, one at a time: each damaged stream throws `corrupt` or decodes to the original bytes
    /// (bits the format ignores, such as deflate's padding); after the unchecked header at most 16 may.
    func checkBitFlips(uncheckedHeaderBytes: Int) throws(ContractViolation) {
        let input =
            CompressorInputs.compressible(2_000) + CompressorInputs.random(500, seed: seed &+ 5)
            + CompressorInputs.compressible(2_000)
        let packed = try compress(input)
        var ignored: [Int] = []
        for bit in 0..<packed.count * 8 {
            var damaged = packed
            damaged[bit / 8] ^= 1 << UInt8(bit % 8)
            let result = decompress(damaged)
            switch result {
            case .value(let output) where output == input:
                if bit >= uncheckedHeaderBytes * 8 { ignored.append(bit) }
            case .value:
                throw violation(
                    Clause.hostile, "flipping bit \(bit) of \(packed.count * 8) changed the output without an error")
            default:
                try expect(.corrupt, result, "flipping bit \(bit) of \(packed.count * 8)")
            }
        }
        if ignored.count > 16 {
            throw violation(
                Clause.hostile,
                "flipping bits \(ignored.prefix(32)) (\(ignored.count) of \(packed.count * 8)) "
                    + "after the \(uncheckedHeaderBytes)-byte header went unnoticed")
        }
    }

    func checkForeignInput(others: [any Compressor]) throws(ContractViolation) {
        for other in others where other.name != compressor.name {
            guard let foreign = try? other.compress(CompressorInputs.compressible(1_000)) else { continue }
            try expect(.corrupt, decompress(foreign), "decompressing '\(other.name)' output")
        }
        try expect(.corrupt, decompress(CompressorInputs.random(4_096, seed: seed &+ 8)), "decompressing random bytes")
    }

    func checkLimits() throws(ContractViolation) {
        let input = CompressorInputs.mixed(100_000, seed: seed &+ 7)
        let packed = try compress(input)
        let exact = decompress(packed, limits: DecompressionLimits(maxOutputBytes: 100_000))
        guard case .value(let output) = exact, output == input else {
            throw violation(Clause.hostile, "100,000 bytes under maxOutputBytes 100,000: \(exact.summary)")
        }
        try expect(
            .limitExceeded, decompress(packed, limits: DecompressionLimits(maxOutputBytes: 99_999)),
            "100,000 bytes under maxOutputBytes 99,999")
        let nothing = try compress([])
        let empty = decompress(nothing, limits: DecompressionLimits(maxOutputBytes: 0))
        guard case .value(let none) = empty, none.isEmpty else {
            throw violation(Clause.hostile, "empty input under maxOutputBytes 0: \(empty.summary)")
        }

        // A bomb: 8 MiB of zeros, stopped at 1 MiB without producing (or reserving room for) much more.
        let limit = 1 << 20
        let bomb = Outcome { () throws(DictDBError) -> [UInt8] in
            let stream = try compressor.makeCompressionStream()
            var bomb: [UInt8] = []
            let zeros = [UInt8](repeating: 0, count: 1 << 20)
            for _ in 0..<8 {
                try feed(zeros) { (chunk) throws(DictDBError) in try stream.compress(chunk, finish: false, into: &bomb)
                }
            }
            try feed([]) { (chunk) throws(DictDBError) in try stream.compress(chunk, finish: true, into: &bomb) }
            return bomb
        }
        guard case .value(let bombBytes) = bomb else {
            throw violation(Clause.roundTrip, "compressing 8 MiB of zeros \(bomb.summary)")
        }
        var exploded: [UInt8] = []
        let stopped = Outcome { () throws(DictDBError) in
            let stream = try compressor.makeDecompressionStream(
                limits: DecompressionLimits(maxOutputBytes: Int64(limit)))
            try feed(bombBytes) { (chunk) throws(DictDBError) in try stream.decompress(chunk, into: &exploded) }
        }
        try expect(.limitExceeded, stopped, "8 MiB of zeros under maxOutputBytes 1 MiB")
        if exploded.count > limit || exploded.capacity >= 4 * limit {
            throw violation(
                Clause.hostile,
                "a bomb stopped at 1 MiB left \(exploded.count) bytes of output "
                    + "(capacity \(exploded.capacity)): more than the limit was produced")
        }
    }

    func checkTrailingBytes() throws(ContractViolation) {
        let packed = try compress(CompressorInputs.compressible(5_000))
        try expect(.corrupt, decompress(packed + [0x00]), "a stream followed by a zero byte")
        try expect(.corrupt, decompress(packed + packed), "two streams back to back")
        var output: [UInt8] = []
        let stream: any DecompressionStream
        do {
            stream = try compressor.makeDecompressionStream(limits: .default)
            try feed(packed) { (chunk) throws(DictDBError) in try stream.decompress(chunk, into: &output) }
            try feed([]) { (chunk) throws(DictDBError) in try stream.decompress(chunk, into: &output) }
        } catch {
            throw violation(Clause.roundTrip, "a whole stream, then no more bytes, threw \(error)")
        }
        guard stream.isFinished else { throw violation(Clause.roundTrip, "a whole stream did not finish") }
        let more = Outcome { () throws(DictDBError) in
            try feed([0x41, 0x41, 0x41]) { (chunk) throws(DictDBError) in try stream.decompress(chunk, into: &output) }
        }
        try expect(.corrupt, more, "3 bytes after the end of a finished stream")
    }

    func checkFailureIsFinal() throws(ContractViolation) {
        var output: [UInt8] = []
        let compression: any CompressionStream
        do {
            compression = try compressor.makeCompressionStream()
            try feed([UInt8](repeating: 1, count: 10)) { (chunk) throws(DictDBError) in
                try compression.compress(chunk, finish: true, into: &output)
            }
        } catch {
            throw violation(Clause.roundTrip, "compressing 10 bytes threw \(error)")
        }
        let finished = output
        for finish in [false, true] {
            let again = Outcome { () throws(DictDBError) in
                try feed([]) { (chunk) throws(DictDBError) in
                    try compression.compress(chunk, finish: finish, into: &output)
                }
            }
            try expect(.invalidState, again, "compress(finish: \(finish)) after finishing", Clause.finalFailure)
        }
        if output != finished {
            throw violation(Clause.finalFailure, "compress after finishing changed the output")
        }

        let decompression: any DecompressionStream
        do {
            decompression = try compressor.makeDecompressionStream(limits: .default)
        } catch {
            throw violation(Clause.roundTrip, "makeDecompressionStream threw \(error)")
        }
        var unpacked: [UInt8] = []
        let garbage = Outcome { () throws(DictDBError) in
            try feed([UInt8](repeating: 0xFF, count: 64)) { (chunk) throws(DictDBError) in
                try decompression.decompress(chunk, into: &unpacked)
            }
        }
        try expect(.corrupt, garbage, "64 bytes of 0xFF")
        let packed = try compress([1, 2, 3])
        let after = Outcome { () throws(DictDBError) in
            try feed(packed) { (chunk) throws(DictDBError) in try decompression.decompress(chunk, into: &unpacked) }
        }
        try expect(.invalidState, after, "a whole stream after the stream threw", Clause.finalFailure)
        if decompression.isFinished {
            throw violation(Clause.finalFailure, "a stream that threw reports isFinished")
        }
    }
}
