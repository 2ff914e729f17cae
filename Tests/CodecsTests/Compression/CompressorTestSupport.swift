import Codecs
import DictDBAPI
import Foundation
import Testing

/// A compressor under the contract tests, with what the tests need to know about its format.
struct CompressorCase: Sendable, CustomTestStringConvertible {
    /// The compressor.
    let compressor: any Compressor
    /// Bytes of container header before the compressed body; gzip's holds fields no check covers (mtime, OS).
    let headerLength: Int
    /// The command-line tool for the same format.
    let tool: String

    var testDescription: String { compressor.name }

    /// Every built-in compressor.
    static let all: [CompressorCase] = [
        CompressorCase(compressor: GzipCompressor(), headerLength: 10, tool: "gzip"),
        CompressorCase(compressor: LZ4FrameCompressor(), headerLength: 7, tool: "lz4"),
    ]
}

/// SplitMix64: a small, fast, seedable generator so every run sees the same "random" data.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Streams through a compressor in random chunk sizes.
enum Chunked {
    /// The sizes of the random chunks fed to streams, as in the contract.
    static let chunkSizes = 1...7919

    /// Compresses `data` fed in random chunks, finishing with the last chunk or with an empty call.
    static func compress(
        _ data: [UInt8], with compressor: any Compressor, using generator: inout SeededGenerator
    ) throws -> [UInt8] {
        let stream = try compressor.makeCompressionStream()
        var output: [UInt8] = []
        var offset = 0
        var finished = false
        while offset < data.count {
            let count = min(Int.random(in: chunkSizes, using: &generator), data.count - offset)
            let isLast = offset + count == data.count
            let finish = isLast && Bool.random(using: &generator)
            try data[offset..<offset + count].withUnsafeBytes { chunk in
                try stream.compress(chunk, finish: finish, into: &output)
            }
            offset += count
            finished = finish
        }
        if !finished {
            try stream.compress(UnsafeRawBufferPointer(start: nil, count: 0), finish: true, into: &output)
        }
        return output
    }

    /// Decompresses `data` fed in random chunks, checking that the stream finishes.
    static func decompress(
        _ data: [UInt8], with compressor: any Compressor, limits: DecompressionLimits = .default,
        using generator: inout SeededGenerator
    ) throws -> [UInt8] {
        let stream = try compressor.makeDecompressionStream(limits: limits)
        var output: [UInt8] = []
        var offset = 0
        while offset < data.count {
            let count = min(Int.random(in: chunkSizes, using: &generator), data.count - offset)
            try data[offset..<offset + count].withUnsafeBytes { chunk in
                try stream.decompress(chunk, into: &output)
            }
            offset += count
        }
        #expect(stream.isFinished)
        return output
    }
}

/// Runs `body` with a new empty directory that is removed afterwards.
func withTemporaryDirectory<R>(_ body: (URL) throws -> R) throws -> R {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("CodecsTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// Checks that `body` throws a ``DictDBError`` with `code`.
func expectError(
    _ code: DictDBError.Code, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record(
            "expected a \(code) error, but nothing was thrown. \(comment ?? "")", sourceLocation: sourceLocation)
    } catch let error as DictDBError {
        #expect(error.code == code, "\(error) \(comment ?? "")", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a DictDBError \(code), got \(error). \(comment ?? "")", sourceLocation: sourceLocation)
    }
}
