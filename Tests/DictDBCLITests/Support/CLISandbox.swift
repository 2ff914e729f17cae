import Foundation
import Testing

/// One test's temporary directory, with `dictdb` run inside it (as its working directory and `HOME`).
///
/// ```swift
/// let sandbox = try CLISandbox()
/// defer { sandbox.remove() }
/// try await sandbox.run("init", "--db", "db").expectSuccess()
/// ```
struct CLISandbox: Sendable {
    /// The directory, unique to this sandbox.
    let directory: URL
    /// The executable.
    let cli: CLIProcess

    /// Finds the executable and creates a new directory under the system's temporary directory.
    init() throws {
        cli = try CLIProcess()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dictdb-cli-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Removes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The absolute path of `name` (relative to the directory).
    func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// Runs `dictdb` with `arguments`, with `stdin` as its standard input (else `/dev/null`).
    @discardableResult
    func run(
        _ arguments: String..., stdin: String? = nil, environment: [String: String] = [:]
    ) async throws
        -> CLIResult
    {
        try await cli.run(arguments, stdin: stdin.map { Array($0.utf8) }, environment: environment, in: directory)
    }

    /// Runs `dictdb` with `arguments` and raw bytes as standard input.
    func run(arguments: [String], stdinBytes: [UInt8]) async throws -> CLIResult {
        try await cli.run(arguments, stdin: stdinBytes, in: directory)
    }

    /// Runs `dictdb` as a step that must work (exit status 0, nothing on stderr); returns its stdout.
    @discardableResult
    func prepare(
        _ arguments: String..., stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let result = try await cli.run(arguments, stdin: stdin.map { Array($0.utf8) }, in: directory)
        result.expectSuccess(sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Writes `text` to the file `name`.
    func write(_ text: String, to name: String) throws {
        try write(Array(text.utf8), to: name)
    }

    /// Writes `bytes` to the file `name`.
    func write(_ bytes: [UInt8], to name: String) throws {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
    }

    /// The bytes of the file `name`.
    func read(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The text of the file `name`.
    func text(_ name: String) throws -> String {
        String(decoding: try read(name), as: UTF8.self)
    }

    /// The names in the directory `name`, sorted.
    func contents(of name: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(name)).sorted()
    }

    /// Whether anything is at `name`.
    func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: path(name))
    }

    /// Copies `source` to `destination` (files or directories).
    func copy(_ source: String, to destination: String) throws {
        try FileManager.default.copyItem(atPath: path(source), toPath: path(destination))
    }
}
