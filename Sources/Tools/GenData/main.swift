import DictDB
import DictDBToolSupport

#if canImport(Glibc)
import Glibc
#endif

// dictdb-gen-data: deterministic fixture datasets (users, products, orders) as JSON, NDJSON or CSV. See
// `GenOptions.usage` or run with --help.

let tool = "dictdb-gen-data"
let options: GenOptions
let targets: [OutputTarget]
do {
    switch try GenOptions.parse(Array(CommandLine.arguments.dropFirst())) {
    case .help:
        print(GenOptions.usage)
        exit(0)
    case .run(let parsed):
        options = parsed
    }
    targets = try OutputTarget.targets(for: options)
} catch {
    ToolConsole.exitWithUsageError(error, tool: tool)
}

let generator = FixtureGenerator(seed: options.seed, count: options.count, skew: options.skew)
for target in targets {
    let stopwatch = Stopwatch()
    do {
        let records = try target.write(generator)
        if options.writeSchema { try target.writeSchema() }
        if options.verbose, let path = target.path {
            let size = (try? PosixFileSystem().fileSize(path)).flatMap { $0 } ?? 0
            let schema = options.writeSchema ? " and \(target.schemaPath ?? "")" : ""
            ToolConsole.printError(
                "gen-data: wrote \(path)\(schema): \(records) \(target.kind.rawValue), \(NumberText.bytes(size)), "
                    + "\(NumberText.fixed(stopwatch.milliseconds, 0)) ms")
        }
    } catch {
        ToolConsole.printError(
            "\(tool): writing \(target.kind.rawValue) to \(target.path ?? "standard output") failed: \(error)")
        exit(1)
    }
}
exit(0)
