import DictDBAPI
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The identity of the calling thread, for detecting re-entry from a transaction's own thread.
func currentThreadID() -> UInt {
    #if canImport(Darwin)
    return UInt(bitPattern: pthread_self())
    #else
    return UInt(pthread_self())
    #endif
}

/// Which thread, if any, runs a transaction of a database. Transactions run one at a time.
final class TransactionState: Sendable {
    /// Serializes transactions: two never run at once, so they cannot deadlock on each other.
    let mutex = Lock()
    /// The thread running the open transaction, or 0.
    private let owner = Atomic<UInt>(0)

    /// Whether the calling thread is inside a transaction body of this database.
    var isOpenOnCurrentThread: Bool {
        owner.load(ordering: .relaxed) == currentThreadID()
    }

    func begin() {
        mutex.lock()
        owner.store(currentThreadID(), ordering: .relaxed)
    }

    func end() {
        owner.store(0, ordering: .relaxed)
        mutex.unlock()
    }
}

/// Keeps plain writers of one table out while a transaction works on it: the transaction holds the gate
/// from its first use of the table until it commits or rolls back; every plain write passes through it.
final class WriterGate: Sendable {
    private let mutex = Lock()

    /// Runs a plain write, waiting for any transaction on the table to finish first.
    @inline(__always)
    func pass<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        mutex.lock()
        defer { mutex.unlock() }
        return try body()
    }

    /// Holds the gate for a transaction.
    func close() { mutex.lock() }

    /// Releases the gate after a transaction.
    func open() { mutex.unlock() }
}
