#if canImport(Glibc)
import Glibc
#endif

/// Reads this process's peak resident memory (`VmHWM` in `/proc/self/status`) and resets it between cases
/// (writing `5` to `/proc/self/clear_refs`), so each case's peak is measured on its own.
enum MemoryProbe {
    /// Resets the peak to the current resident size; false when the kernel does not allow it (the peak
    /// then covers the whole run so far).
    @discardableResult
    static func resetPeak() -> Bool {
        let descriptor = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { _ = close(descriptor) }
        let written = "5".withCString { write(descriptor, $0, 1) }
        return written == 1
    }

    /// The peak resident memory since the last reset, in MiB (0 when `/proc` cannot be read).
    static func peakMiB() -> Int {
        kibibytes(of: "VmHWM:") / 1024
    }

    /// Caps the address space at `mebibytes` (`RLIMIT_AS`), a backstop so a runaway allocation fails
    /// (and the process dies with the case in the journal) instead of exhausting the machine.
    static func capAddressSpace(mebibytes: Int) {
        var limit = rlimit()
        let bytes = rlim_t(mebibytes) * 1024 * 1024
        limit.rlim_cur = bytes
        limit.rlim_max = bytes
        _ = setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit)
    }

    /// The value of the `/proc/self/status` line starting with `key`, in KiB.
    private static func kibibytes(of key: String) -> Int {
        let descriptor = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return 0 }
        defer { _ = close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        let count = buffer.withUnsafeMutableBytes { raw in
            raw.baseAddress.map { read(descriptor, $0, raw.count) } ?? -1
        }
        guard count > 0 else { return 0 }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            let digits = line.dropFirst(key.count).filter(\.isNumber)
            return Int(String(digits)) ?? 0
        }
        return 0
    }
}
