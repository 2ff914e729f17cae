import Foundation

/// Runs a body on several OS threads that start together, and times them from the start to the end of
/// the last one (W7's concurrent writers).
enum ConcurrentRun {
    /// Starts `threads` threads, releases them at once when all are ready, and returns the seconds from
    /// the release until every one has returned. `body` gets the thread's index.
    /// - Throws: the first error a thread threw (after all have finished).
    static func time(threads: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws -> Double {
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        let errors = FirstError()
        for index in 0..<threads {
            finished.enter()
            let thread = Thread {
                ready.signal()
                go.wait()
                do {
                    try body(index)
                } catch {
                    errors.record(error)
                }
                finished.leave()
            }
            thread.start()
        }
        for _ in 0..<threads { ready.wait() }
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<threads { go.signal() }
        finished.wait()
        let (seconds, attoseconds) = (clock.now - start).components
        if let error = errors.first { throw error }
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// Starts `threads` threads as ``time(threads:_:)`` does and returns each one's result, by index, with
    /// the seconds from the release until every one has returned (W9's writer and readers).
    /// - Throws: the first error a thread threw (after all have finished).
    static func collect<T: Sendable>(
        threads: Int, _ body: @escaping @Sendable (Int) throws -> T
    ) throws -> (seconds: Double, results: [T]) {
        let slots = ResultSlots<T>(count: threads)
        let seconds = try time(threads: threads) { index in slots.store(try body(index), at: index) }
        return (seconds, try slots.all())
    }

    /// Splits `count` items into `parts` contiguous ranges whose sizes differ by at most one.
    static func split(_ count: Int, into parts: Int) -> [Range<Int>] {
        let base = count / parts
        let extra = count % parts
        var ranges: [Range<Int>] = []
        var start = 0
        for part in 0..<parts {
            let size = base + (part < extra ? 1 : 0)
            ranges.append(start..<(start + size))
            start += size
        }
        return ranges
    }
}

/// The first error any thread recorded.
///
/// `@unchecked Sendable`: ``stored`` is only touched while ``lock`` is held.
private final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?

    func record(_ error: any Error) {
        lock.withLock { if stored == nil { stored = error } }
    }

    var first: (any Error)? { lock.withLock { stored } }
}

/// The results of ``ConcurrentRun/collect(threads:_:)``'s threads, one slot each.
///
/// `@unchecked Sendable`: ``slots`` is only touched while ``lock`` is held.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func store(_ value: T, at index: Int) {
        lock.withLock { slots[index] = value }
    }

    /// Every slot's value; throws when a thread returned none (it threw, which ``ConcurrentRun/time`` reports
    /// first).
    func all() throws -> [T] {
        try lock.withLock {
            try slots.enumerated().map { index, value in
                guard let value else { throw MissingThreadResult(index: index) }
                return value
            }
        }
    }
}

/// A thread of ``ConcurrentRun/collect(threads:_:)`` returned no result.
struct MissingThreadResult: Error, CustomStringConvertible {
    var index: Int

    var description: String { "thread \(index) returned no result" }
}
