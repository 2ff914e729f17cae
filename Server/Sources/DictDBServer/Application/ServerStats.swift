import Hummingbird
import NIOConcurrencyHelpers

/// Request counters for `GET /stats`.
final class ServerStats: Sendable {
    private struct Counters {
        var requests = 0
        var inFlight = 0
        var clientErrors = 0
        var serverErrors = 0
    }

    /// When the server started, for uptime.
    let started = ContinuousClock.now
    private let counters = NIOLockedValueBox(Counters())

    func requestStarted() {
        counters.withLockedValue {
            $0.requests += 1
            $0.inFlight += 1
        }
    }

    func requestFinished() {
        counters.withLockedValue { $0.inFlight -= 1 }
    }

    func failed(_ status: HTTPResponse.Status) {
        counters.withLockedValue {
            if status.code >= 500 { $0.serverErrors += 1 } else { $0.clientErrors += 1 }
        }
    }

    /// `(requests, inFlight, clientErrors, serverErrors)`.
    var snapshot: (requests: Int, inFlight: Int, clientErrors: Int, serverErrors: Int) {
        counters.withLockedValue { ($0.requests, $0.inFlight, $0.clientErrors, $0.serverErrors) }
    }
}
