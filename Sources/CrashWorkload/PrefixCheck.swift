import DictDB

/// A recovered database that is not the state after any allowed prefix of the workload, or that does not
/// open or check out at all.
public struct PrefixViolation: Error, Sendable, CustomStringConvertible {
    /// The workload's seed.
    public var seed: UInt64
    /// The loop cycle, or the crash point run, it happened in.
    public var context: String
    /// The allowed op counts: `lastAcked + 1 ... lastTried + 1`.
    public var range: ClosedRange<Int>
    /// What went wrong.
    public var message: String
    /// The differences from the model at the range's bounds, when the content was compared.
    public var diff: [String]

    /// Seed, context, range, message and diff, one per line.
    public var description: String {
        var lines = ["seed \(seed), \(context), k in \(range.lowerBound)...\(range.upperBound): \(message)"]
        lines += diff.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

/// Reopens a crashed database and finds which prefix of the workload it holds.
///
/// ```swift
/// let found = try PrefixCheck.recover(at: dir, options: options, model: model, range: 41...42, context: "cycle 3")
/// print(found.count, found.database.openReport?.tornTail as Any)
/// ```
public enum PrefixCheck {
    /// What recovery gave back.
    public struct Found {
        /// The reopened database (still open: close it or let it go before anyone else opens the directory).
        public var database: Database
        /// The number of ops it holds: its content equals the model after ops `0..<count`.
        public var count: Int
        /// What the invariant check looked at.
        public var invariants: InvariantReport
    }

    /// Opens the database at `path`, checks its invariants, and finds the smallest `k` in `range` whose
    /// model equals it, advancing `model` to `k` (never past `range.upperBound`).
    /// - Throws: ``PrefixViolation`` when the open fails, an invariant breaks, or no `k` in `range` fits.
    public static func recover(
        at path: String, options: OpenOptions, model: WorkloadModel, range: ClosedRange<Int>, context: String
    ) throws(PrefixViolation) -> Found {
        func violation(_ message: String, diff: [String] = []) -> PrefixViolation {
            PrefixViolation(seed: model.workload.seed, context: context, range: range, message: message, diff: diff)
        }
        if model.appliedCount > range.lowerBound {
            throw violation("the model already ran \(model.appliedCount) ops (the loop went backwards)")
        }
        let db: Database
        do {
            db = try Database.open(at: path, options: options)
        } catch {
            throw violation("reopening failed: \(error)")
        }
        let invariants: InvariantReport
        let content: DatabaseContent
        do {
            invariants = try Invariants.check(db)
            content = try DatabaseContent(of: db)
        } catch let error as InvariantViolation {
            throw violation("invariant broken: \(error)")
        } catch {
            throw violation("reading the recovered database failed: \(error)")
        }
        var lowestDiff: [String] = []
        do {
            try model.advance(to: range.lowerBound)
            for k in range {
                try model.advance(to: k)
                let expected = try model.content()
                if content == expected { return Found(database: db, count: k, invariants: invariants) }
                if k == range.lowerBound { lowestDiff = content.differences(from: expected) }
            }
        } catch {
            throw violation("the model failed: \(error)")
        }
        var diff = ["against the model after \(range.lowerBound) ops:"] + lowestDiff.map { "  " + $0 }
        if range.upperBound > range.lowerBound, let expected = try? model.content() {
            diff += ["against the model after \(range.upperBound) ops:"]
            diff += content.differences(from: expected).map { "  " + $0 }
        }
        diff.append("ops in the range:")
        for k in max(0, range.lowerBound - 1)..<range.upperBound {
            let outcome = k < model.outcomes.count ? model.outcomes[k].description : "?"
            diff.append("  op \(k) (\(outcome)): \(model.workload.operation(k))")
        }
        throw violation("the recovered state matches no allowed prefix", diff: diff)
    }
}
