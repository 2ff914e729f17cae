/// Which backups a backup manager keeps: at most a number of them, none older than an age, and always
/// the newest verified one.
///
/// ```swift
/// let retention = RetentionPolicy(keepCount: 24, maxAge: .seconds(7 * 24 * 3600))
/// ```
///
/// Only files whose names parse as a ``BackupFileName`` are considered: anything else in the directory is
/// never touched.
public struct RetentionPolicy: Sendable, Hashable {
    /// Keep at most this many backups (the newest); `nil` keeps any number. Values below 1 count as 1.
    public var keepCount: Int?
    /// Delete backups older than this (by the time in their name); `nil` keeps them whatever their age.
    public var maxAge: Duration?

    /// Creates a policy.
    public init(keepCount: Int? = 10, maxAge: Duration? = nil) {
        self.keepCount = keepCount
        self.maxAge = maxAge
    }

    /// Keeps every backup.
    public static let keepAll = RetentionPolicy(keepCount: nil, maxAge: nil)

    /// The backups to delete among `backups`.
    ///
    /// - Parameters:
    ///   - backups: the backups in the directory, by name.
    ///   - protected: the newest verified backup: never deleted, and counted among the kept ones.
    ///   - nowMillis: the wall-clock time (ms since 1970, UTC) ages are measured from.
    /// - Returns: the names to delete, oldest first.
    public func backupsToDelete(
        _ backups: [BackupFileName], protecting protected: BackupFileName?, nowMillis: Int64
    ) -> [BackupFileName] {
        let others = Set(backups).subtracting(protected.map { [$0] } ?? []).sorted(by: >)
        var doomed = Set<BackupFileName>()
        if let keepCount {
            let protectedIsPresent = protected.map { backups.contains($0) } ?? false
            let keptOthers = Swift.max(1, keepCount) - (protectedIsPresent ? 1 : 0)
            doomed.formUnion(others.dropFirst(Swift.max(0, keptOthers)))
        }
        if let maxAge {
            let (seconds, attoseconds) = maxAge.components
            let ageMillis = seconds.multipliedReportingOverflow(by: 1000)
            let limit = ageMillis.overflow ? Int64.max : ageMillis.partialValue &+ attoseconds / 1_000_000_000_000_000
            let (cutoff, overflow) = nowMillis.subtractingReportingOverflow(limit)
            if !overflow { doomed.formUnion(others.filter { $0.timestampMillis < cutoff }) }
        }
        return doomed.sorted()
    }
}
