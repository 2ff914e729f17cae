import Hummingbird
import NIOCore

/// The request context of the server's routes: Hummingbird's basic context plus the connection, so that a
/// streamed result can close a connection whose client stopped reading.
public struct ServerRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    let channel: any Channel

    /// Creates the context for a request on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
