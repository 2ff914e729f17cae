import CustomPlugins
import DictDB
import Foundation
import Testing

@Suite struct ZstdCompressorTests {
    func sample(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 * 31) ^ ($0 >> 7)) }
    }

    @Test func theZstdToolReadsItsOutputAndItReadsTheTools() throws {
        try withTemporaryDirectory { directory in
            let input = sample(300_000)
            let packed = try ZstdCompressor().compress(input)
            #expect(packed.starts(with: [0x28, 0xB5, 0x2F, 0xFD]))
            #expect(packed.count < input.count / 4)
            let path = directory + "/data.zst"
            try Data(packed).write(to: URL(fileURLWithPath: path))
            #expect(try run("/usr/bin/env", ["zstd", "-dc", path]) == Data(input))

            let rawPath = directory + "/raw"
            try Data(input).write(to: URL(fileURLWithPath: rawPath))
            let fromTool = try run("/usr/bin/env", ["zstd", "-c", "-19", "--check", rawPath])
            #expect(try ZstdCompressor().decompress(Array(fromTool)) == input)
        }
    }

    @Test func outputStopsAtTheLimitAndDamageIsCorrupt() throws {
        let input = sample(100_000)
        let packed = try ZstdCompressor().compress(input)
        #expect(try ZstdCompressor().decompress(packed, limits: DecompressionLimits(maxOutputBytes: 100_000)) == input)
        expectError(.limitExceeded) {
            _ = try ZstdCompressor().decompress(packed, limits: DecompressionLimits(maxOutputBytes: 99_999))
        }
        expectError(.corrupt) { _ = try ZstdCompressor().decompress(packed + packed) }
        var flipped = packed
        flipped[packed.count / 2] ^= 0x10
        expectError(.corrupt) { _ = try ZstdCompressor().decompress(flipped) }
        expectError(.corrupt) { _ = try ZstdCompressor().decompress(Array(packed.dropLast(3))) }
        expectError(.invalidArgument) { _ = try ZstdCompressor(level: 40).makeCompressionStream() }
    }

    /// Runs a tool and returns its standard output; a non-zero exit is a failure.
    func run(_ executable: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(arguments)")
        return data
    }
}
