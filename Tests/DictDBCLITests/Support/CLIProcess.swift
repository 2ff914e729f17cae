import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the executable could not be found or run.
struct CLIProcessError: Error, CustomStringConvertible {
    var description: String
}

/// The built `dictdb` executable, run as a child process with a controlled environment.
///
/// It is found next to the running test executable (`<scratch>/debug/DictDBPackageTests.xctest` on Linux,
/// so any `--scratch-path` works), else in the package's `.build` directory. Every run gets `NO_COLOR=1`,
/// an empty `DICTDB_HISTORY`, `HOME` set to the run's directory and no `DICTDB_PATH`, unless the test sets
/// them; standard output and error go to files, so a chatty child never blocks on a full pipe.
struct CLIProcess: Sendable {
    /// The executable.
    let executable: URL

    /// Finds the executable, or throws a ``CLIProcessError`` naming every place it looked.
    init(filePath: String = #filePath) throws {
        executable = try Self.locate(filePath: filePath)
    }

    /// The places `dictdb` may be, best first.
    static func candidates(filePath: String) -> [URL] {
        var places: [URL] = []
        if let override = ProcessInfo.processInfo.environment["DICTDB_CLI_EXECUTABLE"], !override.isEmpty {
            places.append(URL(fileURLWithPath: override))
        }
        // The directory of the running test executable (and a few above it, for a macOS .xctest bundle).
        var runners: [URL] = []
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            runners.append(URL(fileURLWithPath: path))
        }
        #endif
        if let first = CommandLine.arguments.first, !first.isEmpty {
            runners.append(URL(fileURLWithPath: first).resolvingSymlinksInPath())
        }
        if let main = Bundle.main.executableURL { runners.append(main.resolvingSymlinksInPath()) }
        for runner in runners {
            var directory = runner.deletingLastPathComponent()
            for _ in 0..<4 {
                places.append(directory.appendingPathComponent("dictdb"))
                directory = directory.deletingLastPathComponent()
            }
        }
        // The package's default build directory, found by walking up from this file to Package.swift.
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                let build = directory.appendingPathComponent(".build")
                places.append(build.appendingPathComponent("debug/dictdb"))
                places.append(build.appendingPathComponent("release/dictdb"))
                break
            }
            directory = directory.deletingLastPathComponent()
        }
        return places
    }

    /// The first of ``candidates(filePath:)`` that is an executable file.
    static func locate(filePath: String) throws -> URL {
        let places = candidates(filePath: filePath)
        for place in places where FileManager.default.isExecutableFile(atPath: place.path) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: place.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return place
            }
        }
        throw CLIProcessError(
            description: "the dictdb executable was not found; build it with 'swift build' first. Looked at:\n"
                + places.map { "  \($0.path)" }.joined(separator: "\n"))
    }

    /// Runs `dictdb` with `arguments` in `directory` and waits for it, at most `timeout`.
    ///
    /// - Parameters:
    ///   - stdin: the bytes of standard input (`nil`: `/dev/null`).
    ///   - environment: variables to set over the defaults described above (`DICTDB_PATH` among them).
    /// - Throws: ``CLIProcessError`` when the process cannot start or outlives `timeout` (it is then killed).
    func run(
        _ arguments: [String], stdin: [UInt8]? = nil, environment: [String: String] = [:], in directory: URL,
        timeout: Duration = .seconds(60)
    ) async throws -> CLIResult {
        // The streams live outside `directory`, so a listing of it shows only what `dictdb` made.
        let io = FileManager.default.temporaryDirectory.appendingPathComponent("dictdb-cli-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: io, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: io) }
        let outURL = io.appendingPathComponent("stdout")
        let errURL = io.appendingPathComponent("stderr")
        let inURL = io.appendingPathComponent("stdin")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        try Data(stdin ?? []).write(to: inURL)
        let output = try FileHandle(forWritingTo: outURL)
        let error = try FileHandle(forWritingTo: errURL)
        let input = stdin == nil ? FileHandle.nullDevice : try FileHandle(forReadingFrom: inURL)
        defer {
            try? output.close()
            try? error.close()
            if stdin != nil { try? input.close() }
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = Self.environment(home: directory.path, overrides: environment)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        do {
            try process.run()
        } catch {
            throw CLIProcessError(description: "could not start \(executable.path): \(error)")
        }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw CLIProcessError(
                    description: "dictdb \(arguments.joined(separator: " ").prefix(200)) ran longer than \(timeout)"
                        + " and was killed")
            }
            do {
                try await Task.sleep(for: .milliseconds(5))
            } catch {
                // The test was cancelled: leave no child behind.
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw error
            }
        }
        process.waitUntilExit()
        let killed = process.terminationReason == .uncaughtSignal
        return CLIResult(
            status: process.terminationStatus, signal: killed ? process.terminationStatus : nil,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// The test process's environment without the variables `dictdb` reads, then the fixed ones, then
    /// `overrides`.
    static func environment(home: String, overrides: [String: String]) -> [String: String] {
        var result = ProcessInfo.processInfo.environment
        for name in ["DICTDB_PATH", "DICTDB_HISTORY", "COLUMNS", "TERM"] { result[name] = nil }
        result["NO_COLOR"] = "1"
        result["DICTDB_HISTORY"] = ""
        result["HOME"] = home
        result.merge(overrides) { _, new in new }
        return result
    }
}
