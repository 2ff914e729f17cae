import DictDB

/// The journal phase of the fuzzer: damages each template's journal in seeded random ways, opens the
/// database, and requires a typed error or a state equal to the history after some prefix of the journal
/// (what a crash or a cut tail may leave), never anything else.
struct JournalFuzzer {
    /// The outcome counts of a phase.
    struct Tally {
        var identical = 0
        var prefix = 0
        var typedErrors: [String: Int] = [:]
        var tornTails = 0
        var failures: [String] = []
    }

    let corpus: JournalCorpus
    let workDirectory: String

    /// Runs `cases` cases from `seed`; with `verbose`, prints each.
    func run(cases: Int, seed: UInt64, verbose: Bool) throws(DictDBError) -> Tally {
        var tally = Tally()
        for iteration in 0..<cases {
            var random = SeededGenerator.forIteration(iteration, seed: seed ^ 0x6A6F_7572_6E61_6C73)
            let template = corpus.templates[random.index(below: corpus.templates.count)]
            let mutation = pickMutation(for: template.journal, random: &random)
            let pointInTime = random.chance(1, in: 3)
            let label =
                "journal iteration \(iteration) template=\(template.name) mutation=\(mutation.kind.rawValue) "
                + "\(mutation.detail) pointInTime=\(pointInTime)"
            let outcome = try runCase(template, mutation: mutation, pointInTime: pointInTime, tally: &tally)
            if verbose { print("\(label) -> \(outcome)") }
            if outcome.hasPrefix("OFFENDING") { tally.failures.append("\(label): \(outcome)") }
        }
        return tally
    }

    private func runCase(
        _ template: JournalCorpus.Template, mutation: Mutation, pointInTime: Bool, tally: inout Tally
    ) throws(DictDBError) -> String {
        let directory = FilePath.join(workDirectory, "journal-case")
        FileIO.removeDirectory(directory)
        try FileIO.ensureDirectory(directory)
        for name in try PosixFileSystem().contentsOfDirectory(template.directory) where name != "dictdb.lock" {
            let bytes = try FileIO.read(FilePath.join(template.directory, name))
            let damaged = name == template.journalName ? mutation.apply(to: bytes) : bytes
            try FileIO.write(damaged, to: FilePath.join(directory, name))
        }
        var options = OpenOptions()
        options.pointInTimeRecovery = pointInTime
        let db: Database
        do {
            db = try Database.open(at: directory, options: options)
        } catch {
            tally.typedErrors[error.code.rawValue, default: 0] += 1
            return "typed error \(error.code): \(error.message)"
        }
        defer { try? db.close() }
        if db.openReport?.tornTail != nil { tally.tornTails += 1 }
        let state: StateFingerprint
        do {
            state = try StateFingerprint(db)
        } catch {
            return "OFFENDING: opened, but the database cannot be read back: \(error)"
        }
        if state == template.states.last {
            tally.identical += 1
            return "identical"
        }
        if let k = template.states.firstIndex(of: state) {
            tally.prefix += 1
            return "the history after \(k) of \(template.states.count - 1) entries"
        }
        let difference = state.firstDifference(from: template.states.last ?? state) ?? "?"
        return "OFFENDING: opened with a state that is no prefix of the history: \(difference)"
    }

    private func pickMutation(for bytes: [UInt8], random: inout SeededGenerator) -> Mutation {
        let size = max(1, bytes.count)
        let offset = random.index(below: size)
        switch random.index(below: 7) {
        case 0:
            return Mutation(kind: .truncate, detail: "at=\(offset)", edit: .truncate(count: offset))
        case 1:
            let bit = random.index(below: 8)
            return Mutation(kind: .flipBit, detail: "at=\(offset) bit=\(bit)", edit: .flipBits([(offset, bit)]))
        case 2:
            let positions = (0..<(2 + random.index(below: 8))).map { _ in
                (offset: random.index(below: size), bit: random.index(below: 8))
            }
            return Mutation(kind: .flipBits, detail: "count=\(positions.count)", edit: .flipBits(positions))
        case 3:
            let value: UInt8 = random.chance(1, in: 2) ? 0 : 0xFF
            return Mutation(
                kind: .setByte, detail: "at=\(offset) value=\(value)",
                edit: .replace(range: offset..<offset + 1, with: [value]))
        case 4:
            let start = offset / 512 * 512
            return Mutation(
                kind: .zeroSector, detail: "sector at=\(start)",
                edit: .replace(
                    range: start..<min(bytes.count, start + 512),
                    with: [UInt8](repeating: 0, count: min(bytes.count, start + 512) - start)))
        case 5:
            let garbage = (0..<(1 + random.index(below: 64))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return Mutation(kind: .appendGarbage, detail: "bytes=\(garbage.count)", edit: .append(garbage))
        default:
            let count = min(bytes.count, 1 + random.index(below: 200))
            return Mutation(kind: .appendTail, detail: "bytes=\(count)", edit: .append(Array(bytes.suffix(count))))
        }
    }
}
