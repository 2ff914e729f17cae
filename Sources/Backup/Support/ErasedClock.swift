/// Any `Clock` measured in `Duration`, seen as time elapsed since the manager was made: the manager stays
/// a plain (non-generic) type, and tests hand it a manual clock.
struct ErasedClock: Sendable {
    /// The time elapsed since the clock was wrapped.
    let now: @Sendable () -> Duration
    /// Sleeps until the given elapsed time; throws `CancellationError` when the task is cancelled.
    let sleepUntil: @Sendable (Duration) async throws -> Void

    init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let start = clock.now
        now = { start.duration(to: clock.now) }
        sleepUntil = { deadline in try await clock.sleep(until: start.advanced(by: deadline), tolerance: nil) }
    }
}
