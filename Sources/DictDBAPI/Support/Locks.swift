#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Every lock DictDB uses comes from this file. They wrap pthread primitives: ThreadSanitizer sees their
// happens-before edges on Linux (Synchronization.Mutex gave false race reports there). The pthread objects
// must not move, so each lives in a heap allocation owned by a final class.

/// A reader-writer lock that prefers writers, so a stream of readers cannot starve a writer.
///
/// Critical sections in DictDB are short (a point read holds the lock for well under a microsecond, an
/// update for about one), so a thread that finds the lock taken first tries again for a while before it
/// sleeps in the kernel: a futex sleep and wake-up costs more than the section it waits for, and on a
/// machine with fewer cores than busy threads the sleeper then waits for the scheduler too. A writer
/// retries on its core (``writerAttempts``) and so takes the lock the moment it is free; a reader retries a
/// few times and then yields its core between attempts (``readerAttempts``), which lets the holder and the
/// other readers run. Both end in the blocking pthread call, so long sections (a bulk load, a large select)
/// cost the waiters no CPU, and every acquisition is a pthread one that ThreadSanitizer sees.
///
/// Never hold it across `await` or while running caller-supplied closures.
package final class ReadWriteLock: @unchecked Sendable {
    // @unchecked: the pthread object is only touched through pthread calls, which synchronize themselves.
    private let rwlock: UnsafeMutablePointer<pthread_rwlock_t>

    /// Creates an unlocked lock.
    package init() {
        rwlock = .allocate(capacity: 1)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        #if canImport(Glibc)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        #endif
        let status = pthread_rwlock_init(rwlock, &attributes)
        precondition(status == 0, "pthread_rwlock_init failed: \(status)")
        pthread_rwlockattr_destroy(&attributes)
    }

    deinit {
        pthread_rwlock_destroy(rwlock)
        rwlock.deallocate()
    }

    /// Runs `body` holding the lock shared with other readers.
    @inlinable
    package func withReadLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lockShared()
        defer { unlock() }
        return try body()
    }

    /// Runs `body` holding the lock exclusively.
    @inlinable
    package func withWriteLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lockExclusive()
        defer { unlock() }
        return try body()
    }

    /// Takes the lock shared. Pair with ``unlock()``.
    @usableFromInline
    package func lockShared() {
        for attempt in 0..<Self.readerAttempts {
            if pthread_rwlock_tryrdlock(rwlock) == 0 { return }
            if attempt >= Self.readerSpins { sched_yield() }
        }
        let status = pthread_rwlock_rdlock(rwlock)
        precondition(status == 0, "pthread_rwlock_rdlock failed: \(status)")
    }

    /// Takes the lock exclusively. Pair with ``unlock()``.
    @usableFromInline
    package func lockExclusive() {
        for _ in 0..<Self.writerAttempts where pthread_rwlock_trywrlock(rwlock) == 0 { return }
        let status = pthread_rwlock_wrlock(rwlock)
        precondition(status == 0, "pthread_rwlock_wrlock failed: \(status)")
    }

    /// How many times a reader tries before it blocks; after the first ``readerSpins`` it yields its core
    /// between tries. Fewer spins starve readers sharing a core with each other; more starve the writer.
    @usableFromInline
    static let readerAttempts = 64
    /// How many of ``readerAttempts`` follow each other without yielding.
    @usableFromInline
    static let readerSpins = 8
    /// How many times a writer tries, without yielding, before it blocks (about 20-40 µs). A writer that
    /// yields comes back only after a reader's time slice.
    @usableFromInline
    static let writerAttempts = 1000

    /// Releases the lock taken by ``lockShared()`` or ``lockExclusive()``.
    @usableFromInline
    package func unlock() {
        let status = pthread_rwlock_unlock(rwlock)
        precondition(status == 0, "pthread_rwlock_unlock failed: \(status)")
    }
}

/// A mutual-exclusion lock.
package final class Lock: @unchecked Sendable {
    // @unchecked: the pthread object is only touched through pthread calls, which synchronize themselves.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// Creates an unlocked lock.
    package init() {
        mutex = .allocate(capacity: 1)
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` holding the lock.
    @inlinable
    package func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Takes the lock. Pair with ``unlock()``.
    @usableFromInline
    package func lock() {
        let status = pthread_mutex_lock(mutex)
        precondition(status == 0, "pthread_mutex_lock failed: \(status)")
    }

    /// Releases the lock.
    @usableFromInline
    package func unlock() {
        let status = pthread_mutex_unlock(mutex)
        precondition(status == 0, "pthread_mutex_unlock failed: \(status)")
    }
}

/// A value guarded by a ``Lock``: the only way to touch it is inside ``withLock(_:)``.
package final class LockedValue<State>: @unchecked Sendable {
    // @unchecked: `state` is only read or written while `lock` is held.
    private let lock = Lock()
    private var state: State

    /// Wraps an initial state.
    package init(_ state: State) { self.state = state }

    /// Runs `body` with exclusive access to the state.
    package func withLock<T, E: Error>(_ body: (inout State) throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}

/// A mutex with condition variables: threads wait inside it until another thread changes the state it
/// guards and broadcasts. Separate conditions let different kinds of waiters (committers, a background
/// flusher) be woken without waking each other.
package final class Monitor: @unchecked Sendable {
    // @unchecked: the pthread objects are only touched through pthread calls, which synchronize themselves.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let conditions: UnsafeMutablePointer<pthread_cond_t>
    private let conditionCount: Int

    /// Creates an unlocked monitor with `conditions` condition variables whose timed waits use the
    /// monotonic clock.
    package init(conditions: Int = 1) {
        conditionCount = max(1, conditions)
        mutex = .allocate(capacity: 1)
        self.conditions = .allocate(capacity: conditionCount)
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        for i in 0..<conditionCount {
            precondition(pthread_cond_init(self.conditions + i, &attributes) == 0, "pthread_cond_init failed")
        }
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        for i in 0..<conditionCount { pthread_cond_destroy(conditions + i) }
        pthread_mutex_destroy(mutex)
        conditions.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` holding the mutex.
    package func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Takes the mutex. Pair with ``unlock()``.
    package func lock() {
        precondition(pthread_mutex_lock(mutex) == 0, "pthread_mutex_lock failed")
    }

    /// Releases the mutex.
    package func unlock() {
        precondition(pthread_mutex_unlock(mutex) == 0, "pthread_mutex_unlock failed")
    }

    /// Releases the mutex, sleeps until a broadcast on `condition`, and takes it again. Call it in a loop
    /// that re-checks the state: wake-ups can be spurious.
    package func wait(_ condition: Int = 0) {
        precondition(pthread_cond_wait(conditions + condition, mutex) == 0, "pthread_cond_wait failed")
    }

    /// Like ``wait(_:)``, but returns after `timeout` at the latest.
    package func wait(_ condition: Int = 0, timeout: Duration) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(now.tv_nsec) + Int(attoseconds / 1_000_000_000)
        var deadline = timespec()
        deadline.tv_sec = now.tv_sec + Int(seconds) + nanoseconds / 1_000_000_000
        deadline.tv_nsec = nanoseconds % 1_000_000_000
        _ = pthread_cond_timedwait(conditions + condition, mutex, &deadline)
    }

    /// Wakes every thread waiting on `condition`.
    package func broadcast(_ condition: Int = 0) {
        pthread_cond_broadcast(conditions + condition)
    }
}
