/// The size limits the server enforces on requests and results.
///
/// ```swift
/// var limits = ServerLimits()
/// limits.maxBodyBytes = 1 << 20        // 1 MiB request bodies
/// limits.maxResultRows = 100_000       // refuse larger results with 413
/// ```
///
/// A request over a limit gets `413` with the code `limitExceeded`, before the database does any work.
public struct ServerLimits: Sendable, Hashable {
    /// The largest request body accepted, in bytes (default 8 MiB).
    public var maxBodyBytes: Int
    /// The longest query-language statement accepted by `POST /query`, in bytes (default 64 KiB).
    public var maxStatementBytes: Int
    /// The most rows one query may return (default 1,000,000); a larger result is refused with `413`.
    public var maxResultRows: Int
    /// The deepest nesting of arrays and objects accepted in a request body (default 64).
    public var maxJSONDepth: Int
    /// The most records one batch insert may carry (default 100,000).
    public var maxBatchRecords: Int

    /// Creates limits; every argument has a sane default.
    public init(
        maxBodyBytes: Int = 8 << 20, maxStatementBytes: Int = 64 << 10, maxResultRows: Int = 1_000_000,
        maxJSONDepth: Int = 64, maxBatchRecords: Int = 100_000
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxStatementBytes = maxStatementBytes
        self.maxResultRows = maxResultRows
        self.maxJSONDepth = maxJSONDepth
        self.maxBatchRecords = maxBatchRecords
    }
}
