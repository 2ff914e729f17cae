import DictDB

/// How one load ended.
enum Outcome {
    /// The load succeeded with exactly the reference state of the file the mutation came from.
    case identical
    /// The load threw a ``DictDBError``.
    case typedError(DictDBError)
    /// Anything else: a different state accepted silently, a case past the timeout, memory past the cap.
    /// (A non-``DictDBError`` cannot occur: `Database.load` has typed throws; a trap or hang ends the
    /// process, and the journal names the case.)
    case anythingElse(String)
}

/// The result of one case.
struct CaseResult {
    /// The case.
    var fuzzCase: FuzzCase
    /// How it ended.
    var outcome: Outcome
    /// How long the load took, in seconds.
    var seconds: Double
    /// The peak resident memory during the case, in MiB.
    var peakMiB: Int
}

/// Runs cases one at a time: journal, write the damaged file, load it under the watchdog, classify.
final class CaseRunner {
    private let corpus: Corpus
    private let registry: Registry
    private let journal: CaseJournal
    private let watchdog: Watchdog
    private let replay: String
    private let casePath: String
    private let timeoutSeconds: Double
    private let maxRSSMiB: Int

    /// Creates a runner that writes each damaged file to `casePath` and journals each case after `replay`
    /// (the seed and corpus that rebuild it).
    init(
        corpus: Corpus, registry: Registry, journal: CaseJournal, watchdog: Watchdog, replay: String,
        casePath: String, timeoutSeconds: Double, maxRSSMiB: Int
    ) {
        self.corpus = corpus
        self.registry = registry
        self.journal = journal
        self.watchdog = watchdog
        self.replay = replay
        self.casePath = casePath
        self.timeoutSeconds = timeoutSeconds
        self.maxRSSMiB = maxRSSMiB
    }

    /// Runs one case and returns the damaged bytes with the result (the bytes for `--save-failures`).
    /// - Throws: only when the harness itself fails (the journal or the case file cannot be written).
    func run(_ fuzzCase: FuzzCase) throws(DictDBError) -> (result: CaseResult, bytes: [UInt8]) {
        try journal.record("\(replay) \(fuzzCase.description) path=\(casePath)")
        let bytes = try fuzzCase.bytes()
        try FileIO.write(bytes, to: casePath)
        MemoryProbe.resetPeak()
        let started = Watchdog.now()
        watchdog.begin()
        let outcome = load(bytes, of: fuzzCase)
        watchdog.end()
        let seconds = Double(Watchdog.now() - started) / 1e9
        let peak = MemoryProbe.peakMiB()
        var result = CaseResult(fuzzCase: fuzzCase, outcome: outcome, seconds: seconds, peakMiB: peak)
        if peak > maxRSSMiB {
            result.outcome = .anythingElse("peak RSS \(peak) MiB is above the cap of \(maxRSSMiB) MiB")
        } else if seconds > timeoutSeconds {
            result.outcome = .anythingElse("took \(seconds) s, above the timeout of \(timeoutSeconds) s")
        }
        return (result, bytes)
    }

    /// Loads the case file and compares what loads with the states the mutation may leave.
    private func load(_ bytes: [UInt8], of fuzzCase: FuzzCase) -> Outcome {
        let loaded: Database
        do {
            loaded = try Database.load(
                from: casePath, registry: registry, limits: fuzzCase.limits.decodingLimits)
        } catch {
            return .typedError(error)
        }
        let state: StateFingerprint
        do {
            state = try StateFingerprint(loaded)
        } catch {
            return .anythingElse("the load succeeded but the database cannot be read back: \(error)")
        }
        let acceptable = corpus.acceptableStates(for: bytes, from: fuzzCase.file)
        if acceptable.contains(state) { return .identical }
        let difference = state.firstDifference(from: fuzzCase.file.reference) ?? "a different state"
        return .anythingElse("the load succeeded with a different state: \(difference)")
    }
}
