import DictDB

#if canImport(Glibc)
import Glibc
#endif

// dictdb-fuzz: the corruption fuzzer of TESTING.md (c). See `FuzzOptions.usage` or run with --help.

/// Writes `text` and a newline to standard error.
func printError(_ text: String) {
    let line = text + "\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
}

do {
    switch try FuzzOptions.parse(Array(CommandLine.arguments.dropFirst())) {
    case .help:
        print(FuzzOptions.usage)
        exit(0)
    case .run(let options):
        let status = try Fuzzer(options: options).run()
        exit(status)
    }
} catch let error as FuzzOptions.UsageError {
    printError("dictdb-fuzz: \(error.message)\n")
    printError(FuzzOptions.usage)
    exit(2)
} catch {
    printError("dictdb-fuzz: the harness failed: \(error)")
    exit(1)
}
