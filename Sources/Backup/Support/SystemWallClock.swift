#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's wall-clock time, the default ``BackupConfiguration/wallClock``.
public enum SystemWallClock {
    /// Milliseconds since 1970-01-01T00:00:00Z (`clock_gettime(CLOCK_REALTIME)`).
    public static func nowMillis() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
