import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Ends the process with exit code 3 when one case runs longer than the timeout.
///
/// A background thread wakes every 50 ms; when the case that began at ``begin()`` has not reached
/// ``end()`` in time, it prints the case (the journal's last line) to standard error and calls `_exit(3)`:
/// a hung load cannot be interrupted any other way.
final class Watchdog: Sendable {
    private let startedNanos = Atomic<UInt64>(0)
    private let timeoutNanos: UInt64
    private let journalPath: String

    /// Creates a watchdog for cases of at most `timeoutSeconds`, which names the case from `journalPath`.
    init(timeoutSeconds: Double, journalPath: String) {
        timeoutNanos = UInt64(timeoutSeconds * 1e9)
        self.journalPath = journalPath
    }

    /// Starts the watching thread (once).
    func start() {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                Unmanaged<Watchdog>.fromOpaque(context).takeRetainedValue().watch()
                return nil
            }, context)
        if started == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<Watchdog>.fromOpaque(context).release()
        }
    }

    /// Marks the start of a case.
    func begin() { startedNanos.store(max(Self.now(), 1), ordering: .releasing) }

    /// Marks the end of the current case.
    func end() { startedNanos.store(0, ordering: .releasing) }

    /// Monotonic nanoseconds.
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    private func watch() {
        while true {
            usleep(50_000)
            let started = startedNanos.load(ordering: .acquiring)
            if started != 0 && Self.now() &- started > timeoutNanos {
                let seconds = Double(timeoutNanos) / 1e9
                let message =
                    "dictdb-fuzz: TIMEOUT: a case ran longer than \(seconds) s: "
                    + "\(CaseJournal.lastLine(of: journalPath))\n"
                fflush(nil)
                _ = message.withCString { write(2, $0, strlen($0)) }
                _exit(3)
            }
        }
    }
}
