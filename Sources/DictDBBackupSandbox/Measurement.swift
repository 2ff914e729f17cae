import DictDB
import Foundation

/// `--measure N`: the time and size of one backup of N records in each of a few codecs.
enum Measurement {
    static let codecs = ["json", "json+gzip", "msgpack", "msgpack+lz4"]

    static func run(records: Int, directory: String?, print say: (String) -> Void) async throws {
        let root = directory ?? FileManager.default.temporaryDirectory.path + "/dictdb-backup-measure-\(UUID())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: root) } }
        let db = Database()
        let users = try db.createTable("users")
        var batch: [Record] = []
        for index in 0..<records {
            batch.append([
                "name": .string("user-\(index)"), "email": .string("user\(index)@example.com"),
                "age": .int(Int64(18 + index % 60)), "score": .double(Double(index % 1000) / 7),
                "active": .bool(index % 3 != 0), "tags": ["a", .string("t\(index % 17)")],
            ])
            if batch.count == 10_000 {
                _ = try users.insertBatch(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        _ = try users.insertBatch(batch)
        say("one backup of \(records) records (6 fields each): write + verifying read + rename")
        for codec in codecs {
            var configuration = BackupConfiguration()
            configuration.codec = codec
            configuration.retention = .keepAll
            let manager = BackupManager(source: db, directory: root + "/" + codec, configuration: configuration)
            guard let success = await manager.backupNow(force: true).success else {
                say("\(codec): failed: \(manager.status.lastResult?.failure?.description ?? "?")")
                continue
            }
            let millis =
                Double(success.duration.components.attoseconds) / 1e15
                + Double(success.duration.components.seconds) * 1000
            let mib = Double(success.bytes) / 1_048_576
            say(
                "  \(codec.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%8.2f", mib)) MiB  \(String(format: "%8.1f", millis)) ms"
            )
        }
    }
}
