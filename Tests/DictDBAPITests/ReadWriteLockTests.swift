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
        let lock = ReadWriteLock()
        let wrote = Flag()
        lock.lockShared()
        let done = spawn { lock.withWriteLock { wrote.set() } }
        // Long enough for the writer to use up its retries and sleep in the kernel.
        #expect(done.wait(timeout: .now() + .milliseconds(100)) == .timedOut)
        #expect(!wrote.isSet)
        lock.unlock()
        #expect(done.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(wrote.isSet)
    }

    @Test func aReaderThatOutwaitsItsRetriesGetsTheLockWhenTheWriterLeaves() {
        let lock = ReadWriteLock()
        let read = Flag()
        lock.lockExclusive()
        let done = spawn { lock.withReadLock { read.set() } }
        #expect(done.wait(timeout: .now() + .milliseconds(100)) == .timedOut)
        #expect(!read.isSet)
        lock.unlock()
        #expect(done.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(read.isSet)
    }

    @Test func readersShareTheLock() {
        let lock = ReadWriteLock()
        lock.lockShared()
        let done = spawn { lock.withReadLock {} }
        #expect(done.wait(timeout: .now() + .seconds(10)) == .success)
        lock.unlock()
    }
}
