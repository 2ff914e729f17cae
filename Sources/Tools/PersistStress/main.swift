import DictDB
import DictDBToolSupport

#if canImport(Glibc)
import Glibc
#endif

// dictdb-persist-stress: repeated save/load cycles over random data for every codec. See
// `PersistOptions.usage` or run with --help.

let tool = "dictdb-persist-stress"
let options: PersistOptions
do {
    switch try PersistOptions.parse(Array(CommandLine.arguments.dropFirst())) {
    case .help:
        print(PersistOptions.usage)
        exit(0)
    case .run(let parsed):
        options = parsed
    }
} catch {
    ToolConsole.exitWithUsageError(error, tool: tool)
}

let seed = options.seed ?? SeededGenerator.randomSeed()
let codecs = options.codecs ?? PersistOptions.standardCodecs
print(
    "persist-stress: seed \(seed), \(options.cycles) cycles of \(options.records) records per codec, codecs "
        + codecs.joined(separator: ", "))
let directory: ScratchDirectory
do {
    directory = try ScratchDirectory(options.directory, prefix: "dictdb-persist-stress")
} catch {
    ToolConsole.printError("\(tool): \(error)")
    exit(1)
}

var table = TextTable(
    ["codec", "cycles", "records", "file size", "save ms", "load ms", "save MB/s", "load MB/s", "mismatches"],
    rightAligned: Set(1...8))
var allMismatches: [String] = []
for codec in codecs {
    let run = CodecRun(codec: codec, options: options, seed: seed, directory: directory)
    let result = run.run()
    let megabytes = Double(result.totalBytes) / 1_048_576
    table.append([
        codec, String(result.cycles), String(result.records), NumberText.bytes(result.lastFileBytes),
        NumberText.fixed(result.saveMilliseconds / Double(max(1, result.cycles)), 2),
        NumberText.fixed(result.loadMilliseconds / Double(max(1, result.cycles)), 2),
        NumberText.fixed(megabytes / max(result.saveMilliseconds / 1000, 1e-9), 1),
        NumberText.fixed(megabytes / max(result.loadMilliseconds / 1000, 1e-9), 1), String(result.mismatches.count),
    ])
    allMismatches += result.mismatches.map { "\(codec): \($0)" }
}
print(table.render())
print("(save and load ms are per cycle, averaged; MB/s is file bytes per second; file size is the last cycle's)")
if !allMismatches.isEmpty {
    for mismatch in allMismatches.prefix(30) { print("MISMATCH: \(mismatch)") }
    print("persist-stress: FAILED: \(allMismatches.count) mismatch(es) (seed \(seed)); files kept in \(directory.path)")
    exit(1)
}
directory.finish(keep: false)
print("persist-stress: OK: every load matched (seed \(seed))")
exit(0)
