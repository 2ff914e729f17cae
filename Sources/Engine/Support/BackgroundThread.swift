#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A dedicated OS thread for blocking background work (the journal's flusher), kept off the Swift
/// concurrency pool because it sleeps and calls `fdatasync`.
final class BackgroundThread {
    private final class Context {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    #if canImport(Darwin)
    private var thread: pthread_t?
    #else
    private var thread = pthread_t()
    #endif
    private var joined = false

    /// Starts `body` on a new thread, or returns `nil` when the system refuses one (a limit on threads or
    /// memory); the caller then does the work some other way.
    init?(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Context(body))
        let status = pthread_create(
            &thread, nil,
            { raw in
                #if canImport(Darwin)
                let context = Unmanaged<Context>.fromOpaque(raw).takeRetainedValue()
                #else
                guard let raw else { return nil }
                let context = Unmanaged<Context>.fromOpaque(raw).takeRetainedValue()
                #endif
                context.body()
                return nil
            }, context.toOpaque())
        guard status == 0 else {
            context.release()
            return nil
        }
    }

    /// Waits for the thread's body to return. Call once.
    func join() {
        guard !joined else { return }
        joined = true
        #if canImport(Darwin)
        if let thread { pthread_join(thread, nil) }
        #else
        pthread_join(thread, nil)
        #endif
    }
}
