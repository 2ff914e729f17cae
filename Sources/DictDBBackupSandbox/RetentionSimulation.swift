import DictDB

/// Applies a retention policy to a synthetic series of backups and prints what it keeps.
enum RetentionSimulation {
    /// Three days of hourly backups, pruned after each one as the manager does.
    static func run(_ policy: RetentionPolicy, print say: (String) -> Void) {
        let hour: Int64 = 3_600_000
        let start: Int64 = 1_795_754_141_000
        var kept: [BackupFileName] = []
        var deleted = 0
        for index in 0..<72 {
            let name = BackupFileName(
                timestampMillis: start + Int64(index) * hour, generation: 1, sequence: Int64(index) * 100,
                codec: "msgpack+lz4")
            kept.append(name)
            let doomed = Set(policy.backupsToDelete(kept, protecting: name, nowMillis: name.timestampMillis))
            deleted += doomed.count
            kept.removeAll { doomed.contains($0) }
        }
        let keep = policy.keepCount.map(String.init) ?? "any number"
        let age =
            policy.maxAge.map { age in
                age >= .seconds(3600)
                    ? "\(age.components.seconds / 3600) h"
                    : "\(age.components.seconds * 1000 + age.components.attoseconds / 1_000_000_000_000_000) ms"
            } ?? "no limit"
        say("retention simulation: 72 hourly backups, keep \(keep), max age \(age)")
        let span = [kept.first, kept.last].compactMap { $0.map { UTCTimestamp.format($0.timestampMillis) } }
        say("  deleted \(deleted), kept \(kept.count): \(span.joined(separator: " ... "))")
    }
}
