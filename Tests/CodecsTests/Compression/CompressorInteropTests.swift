import Codecs
import DictDBAPI
import DictDBContracts
import Foundation
import Testing

/// Our streams and the standard command-line tools (`gzip`, `lz4`) read each other's output.
///
/// CI installs both tools; a missing tool fails these tests rather than skipping them.
@Suite struct CompressorInteropTests {
    /// More than one 4 MiB block of the `lz4` tool, mixing random and repetitive stretches.
    private static let data = CompressorInputs.mixed(5 << 20, seed: 11)

    @Test(arguments: CompressorCase.all)
    func commandLineToolDecompressesOurOutput(_ subject: CompressorCase) throws {
        var generator = SeededGenerator(seed: 12)
        let packed = try Chunked.compress(Self.data, with: subject.compressor, using: &generator)
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("data.\(subject.tool)")
            try Data(packed).write(to: input)
            let output = try runTool(subject.tool, ["-d", "-c", input.path], in: directory)
            #expect(output == Self.data)
        }
    }

    @Test(arguments: CompressorCase.all)
    func ourStreamDecompressesCommandLineToolOutput(_ subject: CompressorCase) throws {
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("data.bin")
            try Data(Self.data).write(to: input)
            let packed = try runTool(subject.tool, ["-c", input.path], in: directory)
            #expect(packed.starts(with: subject.compressor.magic))
            var generator = SeededGenerator(seed: 13)
            let unpacked = try Chunked.decompress(packed, with: subject.compressor, using: &generator)
            #expect(unpacked == Self.data)
        }
    }

    /// Runs `tool` (found on the `PATH` by `/usr/bin/env`) and returns what it wrote to standard output.
    ///
    /// Output goes to files in `directory` rather than pipes, so a large output cannot block the tool.
    private func runTool(_ tool: String, _ arguments: [String], in directory: URL) throws -> [UInt8] {
        let stdoutURL = directory.appendingPathComponent("\(tool).stdout")
        let stderrURL = directory.appendingPathComponent("\(tool).stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        try stdout.close()
        try stderr.close()

        let errors = String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self)
        try #require(
            process.terminationReason == .exit && process.terminationStatus == 0,
            """
            `\(tool) \(arguments.joined(separator: " "))` failed with status \(process.terminationStatus) \
            (127 means `\(tool)` is not installed; CI installs it): \(errors)
            """)
        return [UInt8](try Data(contentsOf: stdoutURL))
    }
}
