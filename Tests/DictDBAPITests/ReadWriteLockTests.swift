import Foundation
import Synchronization
import Testing

@testable import DictDBAPI

/// Counts the threads inside a ``ReadWriteLock`` and every time one found company it should not have.
private final class Occupancy: Sendable {
    let readers = Atomic<Int>(0)
    let writers = Atomic<Int>(0)
    let violations = Atomic<Int>(0)
    let readsSeen = Atomic<Int>(0)

    func read() {
        readers.add(1, ordering: .sequentiallyConsistent)
        if writers.load(ordering: .sequentiallyConsistent) != 0 { violations.add(1, ordering: .relaxed) }
        readsSeen.add(1, ordering: .relaxed)
        readers.subtract(1, ordering: .sequentiallyConsistent)
    }

    func write() {
        let others = writers.add(1, ordering: .sequentiallyConsistent).newValue - 1
        if others != 0 || readers.load(ordering: .sequentiallyConsistent) != 0 {
            violations.add(1, ordering: .relaxed)
        }
        writers.subtract(1, ordering: .sequentiallyConsistent)
    }
}

/// A flag one thread sets and another reads.
private final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .sequentiallyConsistent) }
    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}

/// Starts `body` on a new thread; the returned semaphore is signalled when it has returned.
private func spawn(_ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
    let done = DispatchSemaphore(value: 0)
    Thread {
        body()
        done.signal()
    }.start()
    return done
}

@Suite("ReadWriteLock")
struct ReadWriteLockTests {
    @Test func writersExcludeReadersAndEachOtherUnderContention() {
        let lock = ReadWriteLock()
        let occupancy = Occupancy()
        let rounds = 20_000
        var finished: [DispatchSemaphore] = []
        for _ in 0..<2 {
            finished.append(spawn { for _ in 0..<rounds { lock.withWriteLock { occupancy.write() } } })
            finished.append(spawn { for _ in 0..<rounds { lock.withReadLock { occupancy.read() } } })
        }
        for done in finished { done.wait() }
        let violations = occupancy.violations.load(ordering: .relaxed)
        let reads = occupancy.readsSeen.load(ordering: .relaxed)
        #expect(violations == 0)
        #expect(reads == 2 * rounds)
    }

    @Test func aWriterThatOutwaitsItsRetriesGetsTheLockWhenTheLastReaderLeaves() {
        expectWaiterGetsTheLockWhenTheHolderLeaves(
            holding: { $0.lockShared() },
            waiter: { lock, entered in lock.withWriteLock { entered.set() } })
    }

    @Test func aReaderThatOutwaitsItsRetriesGetsTheLockWhenTheWriterLeaves() {
        expectWaiterGetsTheLockWhenTheHolderLeaves(
            holding: { $0.lockExclusive() },
            waiter: { lock, entered in lock.withReadLock { entered.set() } })
    }

    /// Takes the lock with `hold`, starts `waiter` on another thread, checks it stays out while the lock
    /// is held (long enough to use up its retries and sleep in the kernel), then that it gets in once the
    /// lock is released.
    private func expectWaiterGetsTheLockWhenTheHolderLeaves(
        holding hold: (ReadWriteLock) -> Void,
        waiter: @escaping @Sendable (ReadWriteLock, Flag) -> Void
    ) {
        let lock = ReadWriteLock()
        let entered = Flag()
        hold(lock)
        let done = spawn { waiter(lock, entered) }
        #expect(done.wait(timeout: .now() + .milliseconds(100)) == .timedOut)
        #expect(!entered.isSet)
        lock.unlock()
        #expect(done.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(entered.isSet)
    }

    @Test func readersShareTheLock() {
        let lock = ReadWriteLock()
        lock.lockShared()
        let done = spawn { lock.withReadLock {} }
        #expect(done.wait(timeout: .now() + .seconds(10)) == .success)
        lock.unlock()
    }
}
