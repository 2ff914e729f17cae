import DictDB
import DictDBToolSupport

#if canImport(Glibc)
import Glibc
#endif

// dictdb-concurrency-stress: writer and reader threads against one database with invariant checks (TESTING.md
// (d)). See `StressOptions.usage` or run with --help.

let tool = "dictdb-concurrency-stress"
let options: StressOptions
do {
    switch try StressOptions.parse(Array(CommandLine.arguments.dropFirst())) {
    case .help:
        print(StressOptions.usage)
        exit(0)
    case .run(let parsed):
        options = parsed
    }
} catch {
    ToolConsole.exitWithUsageError(error, tool: tool)
}

let seed = options.seed ?? SeededGenerator.randomSeed()
print(
    "concurrency-stress: seed \(seed), \(options.writers) writers, \(options.readers) readers, "
        + "\(NumberText.fixed(options.duration, 1)) s per mode, \(options.accounts) accounts, sync \(options.sync)")
let root: ScratchDirectory
do {
    root = try ScratchDirectory(options.directory, prefix: "dictdb-concurrency-stress")
} catch {
    ToolConsole.printError("\(tool): \(error)")
    exit(1)
}

/// `name count` pairs for the tallies that are not zero.
func line(_ tallies: [Tally], _ counts: StressLedger.Counts) -> String {
    let parts = tallies.filter { counts[$0] > 0 }.map { "\($0.rawValue) \(counts[$0])" }
    return parts.isEmpty ? "none" : parts.joined(separator: "  ")
}

var totalViolations = 0
for mode in options.modes {
    let outcome: ModeRun.Outcome
    do {
        outcome = try ModeRun(options: options, mode: mode, seed: seed, root: root).run()
    } catch {
        ToolConsole.printError("\(tool): \(mode.rawValue): the run could not start: \(error)")
        ToolConsole.printError("\(tool): files kept in \(root.path)")
        exit(1)
    }
    let counts = outcome.counts
    let writes = Tally.writes.reduce(0) { $0 + counts[$1] }
    let reads = Tally.reads.reduce(0) { $0 + counts[$1] }
    let label = mode.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
    print("\(label) \(NumberText.fixed(outcome.seconds, 1)) s")
    print("  writes      \(writes): \(line(Tally.writes, counts))")
    print("  reads       \(reads): \(line(Tally.reads, counts))")
    print("  background  \(line(Tally.background, counts))")
    print(
        "  checks      \(counts[.check]) invariant checks; \(counts[.indexCompared]) index answers compared "
            + "with a scan; explain: \(counts[.indexServed]) of \(counts[.explained]) indexable queries used an index")
    print("  final       \(outcome.finalAccounts) accounts; violations \(outcome.violationCount)")
    for violation in outcome.violations { print("    VIOLATION: \(violation)") }
    if outcome.violationCount > outcome.violations.count {
        print("    ... and \(outcome.violationCount - outcome.violations.count) more")
    }
    totalViolations += outcome.violationCount
}

if totalViolations > 0 {
    print("concurrency-stress: FAILED: \(totalViolations) violation(s) (seed \(seed)); files kept in \(root.path)")
    exit(1)
}
root.finish(keep: false)
print("concurrency-stress: OK: no violations (seed \(seed))")
exit(0)
