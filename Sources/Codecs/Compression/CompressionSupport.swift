import DictDBAPI

// Pieces shared by the compressors: chunk sizes, the output budget that enforces `DecompressionLimits`,
// the scratch buffer the C libraries write into, and the errors they throw.

/// Sizes that bound the memory a compression or decompression stream uses.
enum CompressionChunk {
    /// The most bytes a stream hands to or takes from a C library in one call.
    static let size = 64 * 1024
}

/// Where a stream is in its life: working, done, or broken by an earlier error.
enum CompressionStreamState {
    /// Accepting input.
    case active
    /// The end of the stream was written or read.
    case finished
    /// An earlier call threw; the C state is no longer usable.
    case failed
}

/// Counts the bytes a decompression has produced against ``DecompressionLimits/maxOutputBytes``.
///
/// The library is never offered more room than `remaining + 1` bytes, so a stream that would exceed the
/// limit is caught when it writes the first byte past it, and that byte never reaches the caller.
struct OutputBudget {
    /// The most bytes the stream may produce.
    let limit: Int64
    /// The bytes produced so far, never more than ``limit``.
    private(set) var produced: Int64 = 0

    /// Creates a budget for `limits`; a negative limit allows no output.
    init(_ limits: DecompressionLimits) {
        limit = max(0, limits.maxOutputBytes)
    }

    /// The bytes still allowed.
    var remaining: Int64 { limit - produced }

    /// The room to offer the library next: at most `chunk`, and at most one byte past what is allowed.
    func nextCapacity(chunk: Int) -> Int {
        remaining >= Int64(chunk) ? chunk : Int(remaining) + 1
    }

    /// Records `count` new bytes.
    /// - Throws: ``DictDBError/Code/limitExceeded`` if they take the total past the limit.
    mutating func account(_ count: Int, compressor name: String) throws(DictDBError) {
        guard Int64(count) <= remaining else {
            throw DictDBError(
                .limitExceeded,
                "\(name) data decompresses to more than the limit of \(limit) bytes; raise "
                    + "DecompressionLimits.maxOutputBytes if this input is trusted",
                context: .init(plugin: "compressor:\(name)", expected: "at most \(limit) bytes"))
        }
        produced += Int64(count)
    }
}

/// A fixed-size byte buffer on the heap that a C library writes output into, freed on deinit.
final class ScratchBuffer {
    /// The start of the buffer.
    let start: UnsafeMutablePointer<UInt8>
    /// The buffer's size in bytes.
    let capacity: Int

    /// Allocates `capacity` bytes (at least one).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        start = .allocate(capacity: self.capacity)
        start.initialize(repeating: 0, count: self.capacity)
    }

    deinit { start.deallocate() }

    /// Appends the first `count` bytes of the buffer to `output`.
    func append(_ count: Int, to output: inout [UInt8]) {
        guard count > 0 else { return }
        output.append(contentsOf: UnsafeBufferPointer(start: start, count: min(count, capacity)))
    }
}

/// Errors the compressors throw, each naming the compressor as `compressor:<name>`.
enum CompressionErrors {
    /// The input is damaged: `corrupt`, with the compressed offset where it was found when known.
    static func corrupt(_ name: String, _ message: String, offset: Int64? = nil) -> DictDBError {
        DictDBError(.corrupt, message, context: .init(plugin: "compressor:\(name)", offset: offset))
    }

    /// The library failed for a reason other than the input: `compression`.
    static func library(_ name: String, _ message: String) -> DictDBError {
        DictDBError(.compression, message, context: .init(plugin: "compressor:\(name)"))
    }

    /// The stream was used after it finished or failed: `invalidState`.
    static func unusable(_ name: String, _ state: CompressionStreamState, action: String) -> DictDBError {
        let reason =
            state == .failed
            ? "an earlier call failed" : "the stream is already finished"
        return DictDBError(
            .invalidState, "cannot \(action) with this \(name) stream: \(reason); start a new stream",
            context: .init(plugin: "compressor:\(name)"))
    }

    /// Bytes follow the end of the compressed stream: `corrupt`.
    static func trailingBytes(_ name: String, count: Int, offset: Int64) -> DictDBError {
        DictDBError(
            .corrupt, "\(count) unexpected byte(s) follow the end of the \(name) stream",
            context: .init(plugin: "compressor:\(name)", offset: offset, expected: "end of input"))
    }
}

/// The pointer at `offset` into a non-empty `buffer`, as the mutable pointer C signatures ask for.
///
/// The C libraries only read through it; zlib's `next_in` lacks `const` for historical reasons.
func inputPointer(_ buffer: UnsafeRawBufferPointer, offset: Int) -> UnsafeMutablePointer<UInt8>? {
    guard let base = buffer.baseAddress else { return nil }
    return UnsafeMutableRawPointer(mutating: base + offset).assumingMemoryBound(to: UInt8.self)
}
