import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The process's resident memory, read from `/proc/self/status` (Linux), for W6 (peak while saving) and
/// W8 (resident bytes per record).
///
/// Readings are in bytes. Off Linux every reading is `nil` and the rows that need one say so.
enum ResidentMemory {
    /// How the peak of an operation was found.
    enum PeakMethod: String, Sendable, Codable {
        /// `VmHWM` after resetting the high-water mark with `5` written to `/proc/self/clear_refs`.
        case highWaterMark = "VmHWM reset through /proc/self/clear_refs"
        /// The largest `VmRSS` a background thread read every millisecond.
        case sampling = "VmRSS sampled every 1 ms"
    }

    /// What ``measurePeak(_:)`` found.
    struct Peak<T> {
        /// The operation's result.
        var result: T
        /// The operation's duration in seconds.
        var seconds: Double
        /// `VmRSS` just before the operation, after ``trim()``.
        var before: Int
        /// The largest resident size during the operation.
        var peak: Int
        /// How ``peak`` was found.
        var method: PeakMethod
    }

    /// `VmRSS`: the resident set size now.
    static func current() -> Int? { field("VmRSS:") }

    /// `VmHWM`: the largest resident set size since the process started or the mark was last reset.
    static func highWaterMark() -> Int? { field("VmHWM:") }

    /// Resets `VmHWM` to the current resident size (writes `5` to `/proc/self/clear_refs`); `false` when
    /// the kernel does not allow it.
    static func resetHighWaterMark() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let written = "5".utf8CString.withUnsafeBytes { write(fd, $0.baseAddress, 1) }
        return written == 1
    }

    /// Returns the allocator's free memory to the system (`malloc_trim(0)`), so that a reading counts live
    /// data, and so that freed memory does not absorb the next operation's allocations unseen.
    static func trim() {
        _ = mallocTrim?(0)
    }

    /// glibc's `malloc_trim`, which the Glibc module does not import (`malloc.h`), found with `dlsym`.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// Runs `body` once, timed, and finds the peak resident size during it: by the high-water mark when it
    /// can be reset, else by sampling `VmRSS` every millisecond from a background thread.
    /// - Returns: `nil` readings become 0 off Linux.
    static func measurePeak<T>(_ body: () throws -> T) rethrows -> Peak<T> {
        trim()
        let before = current() ?? 0
        if resetHighWaterMark() {
            let timed = try Stopwatch.time(body)
            let peak = max(highWaterMark() ?? 0, current() ?? 0, before)
            return Peak(
                result: timed.result, seconds: timed.seconds, before: before, peak: peak, method: .highWaterMark)
        }
        let sampler = PeakSampler(start: before)
        sampler.start()
        let timed = try Stopwatch.time(body)
        let sampled = sampler.stop()
        let peak = max(sampled, current() ?? 0, before)
        return Peak(result: timed.result, seconds: timed.seconds, before: before, peak: peak, method: .sampling)
    }

    /// Reads one `kB` field of `/proc/self/status`, in bytes, with plain system calls (no allocation
    /// that would itself move the reading much).
    private static func field(_ name: StaticString) -> Int? {
        let fd = open("/proc/self/status", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        var filled = 0
        while filled < buffer.count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n <= 0 { break }
            filled += n
        }
        let key = name.withUTF8Buffer { Array($0) }
        var i = 0
        while i + key.count <= filled {
            let atLineStart = i == 0 || buffer[i - 1] == UInt8(ascii: "\n")
            if atLineStart, buffer[i..<(i + key.count)].elementsEqual(key) {
                var j = i + key.count
                var kilobytes = 0
                var digits = 0
                while j < filled, buffer[j] != UInt8(ascii: "\n") {
                    let byte = buffer[j]
                    if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                        kilobytes = kilobytes * 10 + Int(byte - UInt8(ascii: "0"))
                        digits += 1
                    }
                    j += 1
                }
                return digits > 0 ? kilobytes * 1024 : nil
            }
            i += 1
        }
        return nil
    }
}

/// A background thread that reads `VmRSS` every millisecond and keeps the largest reading.
///
/// `@unchecked Sendable`: ``running`` and ``peak`` are guarded by ``lock``.
private final class PeakSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var running = false
    private var peak: Int
    private let done = DispatchSemaphore(value: 0)

    init(start: Int) {
        peak = start
    }

    func start() {
        lock.withLock { running = true }
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                if let now = ResidentMemory.current() { lock.withLock { peak = max(peak, now) } }
                usleep(1000)
            }
            done.signal()
        }
    }

    /// Stops the thread and returns the largest reading.
    func stop() -> Int {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { peak }
    }
}
