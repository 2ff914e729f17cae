import ArgumentParser
import DictDB

/// `dictdb`: the command-line tool over DictDB databases.
///
/// ```
/// dictdb init --db ./data
/// dictdb import people.csv --table people --db ./data
/// dictdb query "SELECT name, age FROM people WHERE age > 30 ORDER BY age" --db ./data
/// ```
///
/// The executable only calls ``run(arguments:console:)``; tests call it too, with a capturing console.
public struct DictDBCommand: AsyncParsableCommand {
    /// The command's name, help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "dictdb",
        abstract: "Create, query, import into, export from, back up and check DictDB databases.",
        discussion: """
            A database is a directory made by 'dictdb init' (snapshot, journal, dictdb.json). Commands find it \
            with --db <path>, else $DICTDB_PATH, else ./dictdb-data. Read-only commands also accept a snapshot \
            file (or a backup) as --db.

            Output goes to stdout as an aligned table, or as --format json|ndjson|csv for pipes. Errors go to \
            stderr as one line. Colours appear only on a terminal, and never when NO_COLOR is set.

            \(ExitStatus.helpText)
            """,
        version: "1.0.0",
        subcommands: [
            InitCommand.self, ImportCommand.self, LoadCommand.self, QueryCommand.self, ExportCommand.self,
            TablesCommand.self, SchemaCommand.self, IndexesCommand.self, ExplainCommand.self, BackupCommand.self,
            CompactCommand.self, VerifyCommand.self, ReplCommand.self, DemoCommand.self,
        ]
    )

    /// Creates the command (argument parsing does this).
    public init() {}

    /// Parses `arguments` (without the program name), runs the command on `console`, reports any failure
    /// there, and returns the exit status: see ``ExitStatus``.
    public static func run(arguments: [String], console: Console = .standard) async -> Int32 {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(GlobalOptions.hoisted(arguments))
        } catch {
            return report(parsingError: error, console: console)
        }
        do {
            if let command = command as? any ConsoleCommand {
                try await command.run(in: console)
            } else if command is DictDBCommand || command is BackupCommand {
                // The root or a group alone: say what its commands are.
                console.error.write(helpMessage(for: type(of: command), columns: console.terminalWidth) + "\n")
                return ExitStatus.usage.rawValue
            } else {
                // `--help` and `help <command>` parse to the parser's help command, which throws the request.
                var help = command
                do {
                    try help.run()
                } catch {
                    return report(parsingError: error, console: console)
                }
            }
            return ExitStatus.success.rawValue
        } catch {
            return ErrorReport.report(error, console: console).rawValue
        }
    }

    /// `--help` and `--version` print to stdout and succeed; anything else the parser refused is a usage error,
    /// reported like every other error: one `error:` line, here naming the help to read.
    private static func report(parsingError error: any Error, console: Console) -> Int32 {
        let full = fullMessage(for: error, columns: console.terminalWidth)
        if exitCode(for: error) == .success {
            if !full.isEmpty { console.output.write(full + "\n") }
            return ExitStatus.success.rawValue
        }
        var line = message(for: error)
        // The full message ends "See 'dictdb <command> --help' for more information."
        if let start = full.firstRange(of: "See '"), let end = full[start.upperBound...].firstIndex(of: "'") {
            line += " (see '\(full[start.upperBound..<end])')"
        }
        return ErrorReport.report(CommandFailure(.usage, line), console: console).rawValue
    }
}

/// The database options may come before the subcommand (`dictdb --db ./data tables`), as the global
/// options they are; argument parsing wants them after it, so they move to the end (before a `--`).
enum GlobalOptions {
    static let names: Set<String> = ["--db", "--codec", "--sync", "--config"]

    static func hoisted(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first {
            let name = first.split(separator: "=", maxSplits: 1).first.map(String.init) ?? first
            guard names.contains(name) else { break }
            leading.append(first)
            rest = rest.dropFirst()
            if !first.contains("="), let value = rest.first {
                leading.append(value)
                rest = rest.dropFirst()
            }
        }
        guard !leading.isEmpty else { return arguments }
        var result = Array(rest)
        let end = result.firstIndex(of: "--") ?? result.endIndex
        result.insert(contentsOf: leading, at: end)
        return result
    }
}

/// A subcommand that runs on an injected ``Console``.
protocol ConsoleCommand: AsyncParsableCommand {
    /// Runs the command, writing to `console`.
    func run(in console: Console) async throws
}

extension ConsoleCommand {
    /// Runs on the standard console (only reached if a command is run outside ``DictDBCommand/run(arguments:console:)``).
    func run() async throws {
        try await run(in: .standard)
    }
}
