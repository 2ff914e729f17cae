import DictDBAPI

// Damaged files: truncations, bit flips and appended bytes are errors, never a trap or a different snapshot.

extension CodecContractRun {
    /// Reads damaged `bytes`: a `DictDBError` is returned; `nil` means the read gave ``SnapshotContent/small``
    /// back unchanged (possible only where no check covers the damaged bits); anything else is a violation.
    func damagedRead(_ bytes: [UInt8], _ what: String) throws(ContractViolation) -> DictDBError? {
        switch read(bytes) {
        case .error(let error): return error
        case .content(let content) where content.isIdentical(to: .small): return nil
        case .content(let content):
            throw violation(Clause.integrity, "\(what): the damaged file read back as a different \(content)")
        case .broken(let problem):
            throw violation(Clause.integrity, "\(what): reading the damaged file \(problem)")
        }
    }

    func checkTruncation() throws(ContractViolation) {
        let bytes = try write(.small)
        for length in 0..<bytes.count {
            let what = "truncated to \(length) of \(bytes.count) bytes"
            guard let error = try damagedRead(Array(bytes.prefix(length)), what) else {
                throw violation(Clause.integrity, "\(what): read back as a whole snapshot")
            }
            if !isCompressed && (error.code != .corrupt || error.context.offset == nil) {
                throw violation(Clause.integrity, "\(what): threw \(error), expected corrupt with an offset")
            }
        }
    }

    func checkBitFlips(limit: Int) throws(ContractViolation) {
        let bytes = try write(.small)
        let bitCount = bytes.count * 8
        var bits = Array(0..<bitCount)
        if bitCount > limit {
            var random = SplitMix64(seed: seed)
            bits.shuffle(using: &random)
            bits.removeSubrange(max(0, limit)...)
        }
        for bit in bits {
            var damaged = bytes
            damaged[bit / 8] ^= 1 << UInt8(bit % 8)
            let what = "bit \(bit % 8) of byte \(bit / 8) of \(bytes.count) flipped"
            let error = try damagedRead(damaged, what)
            // Uncompressed files are covered by a checksum end to end; compressed ones may carry bits no check
            // covers (gzip's mtime), which then read back identically.
            if isCompressed { continue }
            guard let error else { throw violation(Clause.integrity, "\(what): went unnoticed") }
            if error.context.offset == nil {
                throw violation(Clause.integrity, "\(what): threw \(error) without an offset")
            }
        }
    }

    func checkAppendedBytes() throws(ContractViolation) {
        let bytes = try write(.small)
        let tails: [[UInt8]] = [[0x00], [0xFF], Array("x".utf8), Array("{}".utf8), Array(" \n{\"a\":1}".utf8), bytes]
        for tail in tails {
            let what = "\(hexPrefix(tail, 8)) appended"
            let error = try damagedRead(bytes + tail, what)
            guard let error, error.code == .corrupt else {
                throw violation(
                    Clause.integrity, "\(what): \(error.map { "threw \($0)" } ?? "read back whole"), expected corrupt")
            }
        }
    }

    /// A reader that threw keeps throwing.
    func checkFailureIsFinal() throws(ContractViolation) {
        let bytes = try write(.small)
        let reader: any SnapshotReader
        do {
            reader = try codec.makeReader(from: BufferSource(Array(bytes.prefix(bytes.count / 2))), limits: .default)
        } catch {
            return  // refusing half a file up front is fine
        }
        for _ in 0..<1_000 {
            let next = Outcome { () throws(DictDBError) in try reader.next() }
            switch next {
            case .value(.some): continue
            case .value(.none):
                throw violation(Clause.integrity, "a reader of half a file returned nil as if it were whole")
            case .dictDBError, .otherError:
                let again = Outcome { () throws(DictDBError) in try reader.next() }
                guard case .dictDBError = again else {
                    throw violation(Clause.finalFailure, "after throwing, the reader's next call \(again.summary)")
                }
                return
            }
        }
        throw violation(Clause.integrity, "a reader of half a file yielded 1,000 events")
    }
}
