import Foundation
import NIOConcurrencyHelpers

/// A `dictdb-server` running as a child process, for the end-to-end tests and the load tool: it starts
/// the binary, learns the port it bound from its first line of output, and signals it.
///
/// ```swift
/// let server = try await ServerProcess.launch(
///     executable: ServerProcess.locate("dictdb-server") ?? "dictdb-server",
///     arguments: ["--db", "/tmp/db", "--port", "0", "--sync", "always"])
/// print(server.port)
/// server.signal(SIGKILL)
/// let status = await server.waitForExit(timeout: .seconds(5))
/// ```
public final class ServerProcess: Sendable {
    /// Why the server did not come up.
    public struct LaunchError: Error, CustomStringConvertible {
        /// What went wrong, with the server's standard error.
        public var description: String
    }

    /// The child's process id.
    public let pid: Int32
    /// The port the server listens on.
    public let port: Int
    // The process and the captured output are shared with the pipe handlers: each sits behind a lock.
    private let process: NIOLockedValueBox<Process>
    private let standardError: NIOLockedValueBox<Data>

    private init(process: Process, port: Int, standardError: NIOLockedValueBox<Data>) {
        self.pid = process.processIdentifier
        self.port = port
        self.process = NIOLockedValueBox(process)
        self.standardError = standardError
    }

    /// Starts `executable` with `arguments` and waits until it prints `listening on http://host:port`.
    /// - Throws: ``LaunchError`` when it cannot start, exits, or says nothing within `timeout`.
    public static func launch(
        executable: String, arguments: [String], timeout: Duration = .seconds(20)
    ) async throws -> ServerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let outputText = NIOLockedValueBox(Data())
        let errorText = NIOLockedValueBox(Data())
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            outputText.withLockedValue { $0.append(data) }
        }
        errors.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            errorText.withLockedValue { $0.append(data) }
        }
        do {
            try process.run()
        } catch {
            throw LaunchError(description: "cannot start \(executable): \(error)")
        }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = outputText.withLockedValue { String(decoding: $0, as: UTF8.self) }
            if let port = Self.port(in: text) {
                return ServerProcess(process: process, port: port, standardError: errorText)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning { process.terminate() }
        let stderr = errorText.withLockedValue { String(decoding: $0, as: UTF8.self) }
        throw LaunchError(description: "\(executable) did not start listening: \(stderr)")
    }

    /// Sends `signal` (SIGTERM, SIGINT, SIGKILL...) to the server.
    public func signal(_ signal: Int32) {
        _ = kill(pid, signal)
    }

    /// Waits for the server to exit; returns its status (or the signal that ended it), `nil` on timeout.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let finished = process.withLockedValue { process -> Int32? in
                process.isRunning ? nil : process.terminationStatus
            }
            if let finished { return finished }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// What the server wrote to standard error so far.
    public var errorOutput: String {
        standardError.withLockedValue { String(decoding: $0, as: UTF8.self) }
    }

    /// The path of the executable `name` built next to the running one (the load tool, the test bundle).
    public static func locate(_ name: String) -> String? {
        var directories: [URL] = []
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for directory in directories {
            let candidate = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func port(in text: String) -> Int? {
        guard let range = text.range(of: "listening on http://") else { return nil }
        let rest = text[range.upperBound...]
        guard let colon = rest.lastIndex(of: ":", before: rest.firstIndex(of: " ") ?? rest.endIndex) else {
            return nil
        }
        let digits = rest[rest.index(after: colon)...].prefix { $0.isNumber }
        return Int(digits)
    }
}

extension Substring {
    fileprivate func lastIndex(of character: Character, before end: Index) -> Index? {
        self[startIndex..<end].lastIndex(of: character)
    }
}
