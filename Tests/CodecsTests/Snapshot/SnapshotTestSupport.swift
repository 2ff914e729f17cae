import Codecs
import DictDBAPI
import DictDBContracts
import Foundation
import Testing

/// The snapshot codecs under the contract tests, by registry name.
enum SnapshotCodecs {
    /// Every codec and composition the contract covers.
    static let names = ["json", "msgpack", "json+gzip", "json+lz4", "msgpack+gzip", "msgpack+lz4"]

    /// A registry with the built-in codecs and compressors.
    static var registry: Registry {
        var registry = Registry()
        registry.register(codec: JSONCodec())
        registry.register(codec: MessagePackCodec())
        registry.register(compressor: GzipCompressor())
        registry.register(compressor: LZ4FrameCompressor())
        return registry
    }

    /// The codec named `name`.
    static func codec(_ name: String) throws -> any StorageCodec {
        try registry.codec(named: name)
    }

    /// The codec's base (itself when uncompressed) and its compressor, if any.
    static func parts(of codec: any StorageCodec) -> (base: any StorageCodec, compressor: (any Compressor)?) {
        if let composed = codec as? CompressedCodec { return (composed.base, composed.compressor) }
        return (codec, nil)
    }

    /// `bytes` in the base format of `codec` wrapped the way `codec` writes files (compressed if it
    /// compresses), for hand-made hostile files.
    static func wrap(_ bytes: [UInt8], for codec: any StorageCodec) throws -> [UInt8] {
        guard let compressor = parts(of: codec).compressor else { return bytes }
        return try compressor.compress(bytes)
    }
}

/// The snapshot the tests write and read: ``DictDBContracts/SnapshotContent``, which the codec contract uses.
typealias SnapshotContent = DictDBContracts.SnapshotContent

/// Exact comparison of values, stricter than `==` (which treats `1 == 1.0` and ignores field order).
enum ExactValue {
    /// Same fields in the same order with exactly equal values.
    static func equal(_ a: Record, _ b: Record) -> Bool { a.isIdentical(to: b) }

    /// Same kind and exactly the same contents (doubles bit for bit).
    static func equal(_ a: Value, _ b: Value) -> Bool { a.isIdentical(to: b) }
}

/// Writing and reading snapshots through a codec, as the contract library does, with test issues for what
/// is not a codec error.
enum SnapshotIO {
    /// The bytes `codec` writes for `content`.
    static func write(_ content: SnapshotContent, with codec: any StorageCodec) throws -> [UInt8] {
        try DictDBContracts.SnapshotIO.write(content, with: codec)
    }

    /// The snapshot `codec` reads from `bytes`, handed out `maxReadSize` bytes per read; throws a
    /// ``ContractViolation`` when the reader yields events out of order or anything after `end`.
    static func read(
        _ bytes: [UInt8], with codec: any StorageCodec, maxReadSize: Int = .max, limits: DecodingLimits = .default
    ) throws -> SnapshotContent {
        try DictDBContracts.SnapshotIO.read(bytes, with: codec, maxReadSize: maxReadSize, limits: limits)
    }

    /// Reads `bytes` and returns the error, or `nil` when the read succeeded with exactly `expected`.
    ///
    /// Records an issue when the read succeeds with anything else, or throws something that is not a
    /// ``DictDBError``.
    static func readFailure(
        _ bytes: [UInt8], with codec: any StorageCodec, expected: SnapshotContent, limits: DecodingLimits = .default,
        _ comment: String, sourceLocation: SourceLocation = #_sourceLocation
    ) -> DictDBError? {
        do {
            let got = try read(bytes, with: codec, limits: limits)
            if !got.isIdentical(to: expected) {
                Issue.record(
                    "\(comment): damaged data read back as a different snapshot", sourceLocation: sourceLocation)
            }
            return nil
        } catch let error as DictDBError {
            return error
        } catch {
            Issue.record("\(comment): threw a non-DictDBError \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }
}

/// Runs command-line tools for the interoperability tests.
enum SnapshotTools {
    /// The result of a run.
    struct Run {
        /// The exit status.
        var status: Int32
        /// Standard output.
        var output: [UInt8]
        /// Standard error as text.
        var errors: String

        /// Standard output as text, without the trailing newline.
        var text: String {
            var text = String(decoding: output, as: UTF8.self)
            while text.hasSuffix("\n") { text.removeLast() }
            return text
        }
    }

    /// Runs `tool` (found on the `PATH` by `/usr/bin/env`) with `arguments`, output to files in `directory`.
    static func run(_ tool: String, _ arguments: [String], in directory: URL) throws -> Run {
        let stdoutURL = directory.appendingPathComponent("\(tool)-\(UUID().uuidString).stdout")
        let stderrURL = directory.appendingPathComponent("\(tool)-\(UUID().uuidString).stderr")
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
        let output = [UInt8](try Data(contentsOf: stdoutURL))
        return Run(status: process.terminationStatus, output: output, errors: errors)
    }

    /// Runs `tool` and requires it to succeed (status 127: the tool is missing; CI installs it).
    static func require(_ tool: String, _ arguments: [String], in directory: URL) throws -> Run {
        let run = try run(tool, arguments, in: directory)
        try #require(
            run.status == 0,
            "`\(tool) \(arguments.joined(separator: " "))` failed with status \(run.status) (127 means `\(tool)` is not installed; CI installs it): \(run.errors)"
        )
        return run
    }
}
