/// Counts outcomes overall, by error code and by mutation kind, and prints the one-screen summary.
struct FuzzReport {
    /// The counts of one group of cases.
    struct Tally {
        /// Cases run.
        var cases = 0
        /// Loads that gave the reference state.
        var identical = 0
        /// Loads that threw a ``DictDBError``.
        var typedErrors = 0
        /// Everything else.
        var anythingElse = 0
        /// Typed errors by code.
        var codes: [String: Int] = [:]

        mutating func add(_ outcome: Outcome) {
            cases += 1
            switch outcome {
            case .identical: identical += 1
            case .typedError(let error):
                typedErrors += 1
                codes[error.code.rawValue, default: 0] += 1
            case .anythingElse: anythingElse += 1
            }
        }
    }

    /// The error codes `Database.load` documents; any other code is flagged in the summary.
    static let documentedCodes: Set<String> = [
        "corrupt", "unsupportedFormat", "limitExceeded", "unknownPlugin", "io", "invalidValue", "compression",
    ]

    /// Every case.
    private(set) var total = Tally()
    /// By mutation kind.
    private(set) var byKind: [Mutation.Kind: Tally] = [:]
    /// The offending cases, one line each.
    private(set) var failures: [String] = []
    /// The slowest case.
    private(set) var slowest: (seconds: Double, description: String) = (0, "none")
    /// The highest per-case peak resident memory, in MiB.
    private(set) var peakMiB = 0

    /// Counts one result; returns the failure line when it is an offending case.
    @discardableResult
    mutating func add(_ result: CaseResult) -> String? {
        total.add(result.outcome)
        byKind[result.fuzzCase.mutation.kind, default: Tally()].add(result.outcome)
        if result.seconds > slowest.seconds { slowest = (result.seconds, result.fuzzCase.description) }
        peakMiB = max(peakMiB, result.peakMiB)
        guard case .anythingElse(let reason) = result.outcome else { return nil }
        let line = "\(result.fuzzCase.description): \(reason)"
        failures.append(line)
        return line
    }

    /// Records a problem found outside the cases (a corpus file that does not round-trip).
    mutating func addProblem(_ line: String) {
        failures.append(line)
        total.anythingElse += 1
    }

    /// The summary: totals, codes, the table by mutation kind, time and memory.
    func summary(wallSeconds: Double) -> String {
        var lines: [String] = []
        lines.append(
            "cases \(total.cases): identical \(total.identical), typed error \(total.typedErrors), "
                + "anything else \(total.anythingElse)")
        lines.append("typed errors by code: \(Self.codeList(total.codes, flagUndocumented: true))")
        lines.append(
            Self.pad("mutation", 16) + Self.pad("cases", 7, right: true) + Self.pad("ident", 7, right: true)
                + Self.pad("typed", 7, right: true) + Self.pad("else", 6, right: true) + "  codes")
        for kind in Mutation.Kind.allCases {
            guard let tally = byKind[kind] else { continue }
            lines.append(
                Self.pad(kind.rawValue, 16) + Self.pad("\(tally.cases)", 7, right: true)
                    + Self.pad("\(tally.identical)", 7, right: true) + Self.pad("\(tally.typedErrors)", 7, right: true)
                    + Self.pad("\(tally.anythingElse)", 6, right: true) + "  "
                    + Self.codeList(tally.codes, flagUndocumented: false))
        }
        lines.append(
            "slowest case \(Self.format(slowest.seconds)) s (\(slowest.description)); "
                + "highest per-case peak RSS \(peakMiB) MiB; wall time \(Self.format(wallSeconds)) s")
        return lines.joined(separator: "\n")
    }

    private static func codeList(_ codes: [String: Int], flagUndocumented: Bool) -> String {
        guard !codes.isEmpty else { return "-" }
        return codes.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { code, count in
            let flag = flagUndocumented && !documentedCodes.contains(code) ? " (not documented for load)" : ""
            return "\(code) \(count)\(flag)"
        }.joined(separator: ", ")
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }

    /// `seconds` with two decimals.
    static func format(_ seconds: Double) -> String {
        let hundredths = Int((seconds * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
