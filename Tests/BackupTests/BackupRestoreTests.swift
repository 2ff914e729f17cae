import Backup
import DictDB
import Foundation
import Testing

@Suite struct BackupRestoreTests {
    /// Three backups a minute apart: balances 100, 200, 300.
    private func threeBackups(_ harness: Harness, codec: String = "json") async throws -> [BackupFileName] {
        var configuration = harness.configuration()
        configuration.codec = codec
        let manager = harness.manager(configuration)
        for balance in [100, 200, 300] {
            try harness.database.table("accounts").update(key: 1, set: ["balance": .int(Int64(balance))])
            #expect(await manager.backupNow().success != nil)
            harness.clock.advance(by: .seconds(60))
        }
        return try harness.backups()
    }

    private func balance(_ db: Database) throws -> Int64? {
        try db.table("accounts").get(1)?["balance"].intValue
    }

    @Test func listsBackupsWithTheirMetadata() async throws {
        let harness = try Harness()
        let names = try await threeBackups(harness)
        let listed = try BackupDirectory(harness.directory).list()
        #expect(listed.map(\.name) == names)
        #expect(listed.map(\.timestampMillis) == [0, 60_000, 120_000].map { harness.clock.wallStart + $0 })
        #expect(listed.allSatisfy { $0.codec == "json" && $0.generation == 0 && $0.bytes > 0 })
        #expect(listed.map(\.sequence) == listed.map(\.sequence).sorted())
        let verification = try BackupDirectory(harness.directory).verify(listed[0], registry: .standard)
        #expect(verification.records == 1)
        #expect(verification.tables == 1)
        #expect(verification.meta["format"] == "dictdb")
        #expect(try BackupDirectory(harness.file("missing")).list().isEmpty)
    }

    @Test(arguments: ["json", "msgpack", "json+gzip", "msgpack+lz4"])
    func restoresTheNewestBackupInAnyCodec(_ codec: String) async throws {
        let harness = try Harness()
        _ = try await threeBackups(harness, codec: codec)
        let restored = try Database.restoreNewestBackup(in: harness.directory)
        #expect(try balance(restored.database) == 300)
        #expect(restored.skipped.isEmpty)
        #expect(restored.backup.codec == codec)
    }

    @Test func restoresTheBackupAtOrBeforeATime() async throws {
        let harness = try Harness()
        let names = try await threeBackups(harness)
        let start = harness.clock.wallStart
        #expect(try balance(Database.restoreBackup(in: harness.directory, atOrBefore: start + 90_000).database) == 200)
        #expect(try balance(Database.restoreBackup(in: harness.directory, atOrBefore: start + 60_000).database) == 200)
        #expect(try balance(Database.restoreBackup(in: harness.directory, atOrBefore: start).database) == 100)
        #expect(try Database.restoreBackup(in: harness.directory, atOrBefore: start).backup.name == names[0])
        #expect(
            errorCode { _ = try Database.restoreBackup(in: harness.directory, atOrBefore: start - 1) }
                == .invalidArgument)
    }

    @Test func skipsACorruptNewestBackupAndReportsIt() async throws {
        let harness = try Harness()
        let names = try await threeBackups(harness, codec: "msgpack+lz4")
        try corrupt(harness.directory + "/" + names[2].description)
        let restored = try Database.restoreNewestBackup(in: harness.directory)
        #expect(try balance(restored.database) == 200)
        #expect(restored.backup.name == names[1])
        #expect(restored.skipped.map(\.backup.name) == [names[2]])
        #expect(restored.skipped.first.map { [.corrupt, .compression].contains($0.error.code) } == true)

        let verified = try BackupDirectory(harness.directory).newestValid(registry: .standard)
        #expect(verified.backup.name == names[1])
        #expect(verified.skipped.count == 1)
        let viaManager = try harness.manager(harness.configuration()).newestValidBackup()
        #expect(viaManager.backup.name == names[1])
        #expect(viaManager.value.records == 1)
        let older = try harness.manager(harness.configuration()).newestValidBackup(
            atOrBefore: harness.clock.wallStart + 1)
        #expect(older.backup.name == names[0])
        #expect(older.skipped.isEmpty)
    }

    @Test func aTruncatedBackupIsDamageToo() async throws {
        let harness = try Harness()
        let names = try await threeBackups(harness)
        let newest = harness.directory + "/" + names[2].description
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: newest)))
        try Data(bytes.prefix(bytes.count - 3)).write(to: URL(fileURLWithPath: newest))
        let restored = try Database.restoreNewestBackup(in: harness.directory)
        #expect(restored.backup.name == names[1])
        #expect(restored.skipped.first?.error.code == .corrupt)
    }

    @Test func whenEveryBackupIsDamagedTheErrorListsThem() async throws {
        let harness = try Harness()
        let names = try await threeBackups(harness)
        for name in names { try corrupt(harness.directory + "/" + name.description) }
        do {
            _ = try Database.restoreNewestBackup(in: harness.directory)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .corrupt)
            for name in names { #expect(error.message.contains(name.description)) }
        }
        #expect(errorCode { _ = try Database.restoreNewestBackup(in: harness.file("none")) } == .invalidArgument)
    }
}
