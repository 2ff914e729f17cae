import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The raw floor of the disk (W7): `operations` x (append `bytes` bytes + `fdatasync`) to a new file, as a
/// journal appends and syncs, timed one by one.
///
/// No durable mode that appends can beat it with one writer: an acknowledged record costs at least one
/// append and one `fdatasync`. Group commit can beat it per operation, when several writers share one
/// `fdatasync`. Each append grows the file, so each `fdatasync` also commits the new size (a file-system
/// journal transaction), as the DictDB journal's do. With `preallocated`, the file is first filled with
/// zeros and synced, and the same writes overwrite it in place: the size no longer changes, which is what
/// a log that preallocates or recycles its file (SQLite's WAL after a checkpoint) pays.
struct FsyncFloor: Sendable, Codable {
    /// Appends + syncs timed.
    var operations: Int
    /// Seconds for all of them.
    var seconds: Double
    /// Each operation's latency in microseconds, sorted.
    var latencies: [Double]

    /// Operations per second over the whole loop.
    var operationsPerSecond: Double { seconds > 0 ? Double(operations) / seconds : 0 }
    /// The median latency in microseconds.
    var median: Double { latencies.median }
    /// The 99th percentile latency (nearest rank) in microseconds.
    var p99: Double { Self.percentile(0.99, ofSorted: latencies) }

    /// Measures the floor on a new file `path` (removed afterwards).
    /// - Parameter preallocated: overwrite a zero-filled, synced file in place instead of appending.
    /// - Throws: ``FloorError`` naming the call and errno.
    static func measure(
        at path: String, operations: Int = 2000, bytes: Int = 100, preallocated: Bool = false
    ) throws -> FsyncFloor {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | (preallocated ? 0 : O_APPEND)
        let fd = Glibc.open(path, flags, 0o600)
        guard fd >= 0 else { throw FloorError(call: "open", path: path, errno: errno) }
        defer {
            _ = Glibc.close(fd)
            _ = unlink(path)
        }
        if preallocated {
            let zeros = [UInt8](repeating: 0, count: operations * bytes)
            let written = zeros.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written == zeros.count else { throw FloorError(call: "write", path: path, errno: errno) }
            guard fsync(fd) == 0 else { throw FloorError(call: "fsync", path: path, errno: errno) }
            guard lseek(fd, 0, SEEK_SET) == 0 else { throw FloorError(call: "lseek", path: path, errno: errno) }
        }
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: bytes)
        var latencies: [Double] = []
        latencies.reserveCapacity(operations)
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<operations {
            let before = clock.now
            let written = payload.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written == bytes else { throw FloorError(call: "write", path: path, errno: errno) }
            guard fdatasync(fd) == 0 else { throw FloorError(call: "fdatasync", path: path, errno: errno) }
            latencies.append(Self.microseconds(clock.now - before))
        }
        let seconds = Self.microseconds(clock.now - start) / 1e6
        return FsyncFloor(operations: operations, seconds: seconds, latencies: latencies.sorted())
    }

    /// The nearest-rank percentile `p` (0...1) of sorted values; 0 when there are none.
    static func percentile(_ p: Double, ofSorted values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let rank = Int((p * Double(values.count)).rounded(.up))
        return values[min(max(rank, 1), values.count) - 1]
    }

    private static func microseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e6 + Double(attoseconds) * 1e-12
    }
}

/// A system call of the floor measurement failed.
struct FloorError: Error, CustomStringConvertible {
    var call: String
    var path: String
    var errno: Int32

    var description: String { "\(call) of \(path) failed: \(String(cString: strerror(errno)))" }
}
