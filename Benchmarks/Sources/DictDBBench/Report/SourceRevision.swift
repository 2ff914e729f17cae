import Foundation

/// The DictDB commit the benchmark was built from, for the report header.
///
/// Read with `git rev-parse` (read-only) in the repository that holds this source file; `nil` when git or
/// the repository is not there. A working tree with uncommitted changes reports its HEAD all the same.
enum SourceRevision {
    /// The short commit id of the repository's HEAD, if it can be read.
    static func current() -> String? {
        var repository = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { repository.deleteLastPathComponent() }  // Report, DictDBBench, Sources, Benchmarks
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", repository.path, "rev-parse", "--short", "HEAD"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
