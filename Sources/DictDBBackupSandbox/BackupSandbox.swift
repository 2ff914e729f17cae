import DictDB
import Foundation

/// `dictdb-backup-sandbox`: the backup manager against a live database, with short intervals, induced
/// failures and retention, printing what it does (see ``SandboxOptions/usage``).
@main
struct BackupSandbox {
    static func main() async {
        let options: SandboxOptions
        do {
            options = try SandboxOptions.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("dictdb-backup-sandbox: \(error.message)\nTry --help.\n".utf8))
            exit(2)
        }
        if options.help {
            emit(SandboxOptions.usage)
            exit(0)
        }
        if let records = options.measure {
            do {
                try await Measurement.run(records: records, directory: options.directory, print: emit)
                exit(0)
            } catch {
                emit("sandbox: \(error)")
                exit(1)
            }
        }
        do {
            let problems = try await run(options)
            for problem in problems { emit("PROBLEM: \(problem)") }
            emit(problems.isEmpty ? "sandbox: everything behaved" : "sandbox: \(problems.count) problems")
            exit(problems.isEmpty ? 0 : 1)
        } catch {
            emit("sandbox: \(error)")
            exit(1)
        }
    }

    /// Runs the sandbox; returns the expectations that did not hold.
    static func run(_ options: SandboxOptions) async throws -> [String] {
        let temporary = options.directory == nil
        let root = options.directory ?? FileManager.default.temporaryDirectory.path + "/dictdb-backup-sandbox-\(UUID())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { if temporary { try? FileManager.default.removeItem(atPath: root) } }
        let backups = root + "/backups"
        let started = ContinuousClock.now
        let say: @Sendable (String) -> Void = { line in
            let elapsed = ContinuousClock.now - started
            let millis = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
            emit("[\(String(millis).leftPadded(to: 5)) ms] \(line)")
        }

        let db = options.onDisk ? try Database.open(at: root + "/db") : Database()
        defer { try? db.close() }
        let accounts = try db.createTable("accounts", ifNotExists: true)
        if try accounts.count(where: .all) == 0 {
            try accounts.insertBatch((0..<options.records).map { ["owner": .string("owner-\($0)"), "balance": 100] })
        }
        let total = Int64(try accounts.count(where: .all)) * 100
        say("database: \(options.onDisk ? "on disk at \(root)/db" : "in memory"), \(options.records) accounts")

        let faults = FaultInjectingFileSystem(
            faults: options.failAttempts.map { .init(.createExclusive, onCall: $0, errno: 28) })
        var configuration = BackupConfiguration()
        configuration.codec = options.codec
        configuration.interval = .milliseconds(options.intervalMillis)
        configuration.minimumSpacing = .milliseconds(options.spacingMillis)
        configuration.retention = RetentionPolicy(
            keepCount: options.keep, maxAge: options.maxAgeMillis.map { .milliseconds($0) })
        configuration.backoff = BackoffPolicy(
            initial: .milliseconds(15), multiplier: 2, maximum: .milliseconds(120), jitter: 0.2)
        configuration.fileSystem = faults
        configuration.onSuccess = { success in
            let pruned = success.pruned.isEmpty ? "" : ", pruned \(success.pruned.count)"
            say(
                "backup  \(success.trigger.rawValue.padded(to: 8)) \(success.name) \(success.bytes) B in \(success.duration.formattedMillis), \(success.records) records\(pruned)"
            )
        }
        configuration.onError = { failure in
            let retry = failure.retryIn.map { ", retry in \($0.formattedMillis)" } ?? ""
            say(
                "FAILED  \(failure.trigger.rawValue.padded(to: 8)) attempt \(failure.attempt)\(retry): \(failure.error.code): \(failure.error.message)"
            )
        }
        configuration.onSkip = { skip in
            say("skipped \(skip.trigger.rawValue.padded(to: 8)) nothing changed since \(skip.marker)")
        }
        say(
            "manager: \(options.codec), every \(options.intervalMillis) ms, spacing \(options.spacingMillis) ms, keep \(options.keep), failing write attempts \(options.failAttempts.map(String.init).joined(separator: ",").orNone)"
        )
        let manager = BackupManager(source: db, directory: backups, configuration: configuration)
        manager.start()

        // A writer moves money every other interval, so some scheduled backups find nothing new.
        let writer = Task {
            var round: Int64 = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(options.intervalMillis * 2))
                round += 1
                let count = Int64(options.records)
                guard count >= 2 else { continue }
                let from = Value.int(round % count + 1)
                let to = Value.int((round * 7 + 3) % count + 1)
                guard from != to else { continue }
                try? db.transaction { tx in
                    let table = try tx.table("accounts")
                    guard let a = try table.get(from)?["balance"].intValue,
                        let b = try table.get(to)?["balance"].intValue
                    else { return }
                    try table.update(key: from, set: ["balance": .int(a - 1)])
                    try table.update(key: to, set: ["balance": .int(b + 1)])
                }
                manager.notifyChange()
            }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let status = manager.status
            if status.succeeded + status.skipped + status.failed >= options.attempts { break }
            try await Task.sleep(for: .milliseconds(2))
        }
        writer.cancel()
        await manager.stop()
        let status = manager.status
        say(
            "stopped: \(status.succeeded) backups, \(status.skipped) skipped, \(status.failed) failed, \(status.consecutiveFailures) consecutive failures now, \(status.hookErrors) hook errors"
        )

        var problems: [String] = []
        let expectedFailures = options.failAttempts.filter { $0 <= faults.callCounts[.createExclusive, default: 0] }
        if status.failed != expectedFailures.count {
            problems.append("\(status.failed) failures, expected \(expectedFailures.count)")
        }
        if status.succeeded + status.skipped + status.failed < options.attempts {
            problems.append("only \(status.succeeded + status.skipped + status.failed) attempts in 30 s")
        }
        let directory = BackupDirectory(backups)
        let listed = try directory.list()
        say("kept \(listed.count) backups (retention keeps \(options.keep)):")
        for backup in listed {
            let verified = try directory.verify(backup, registry: db.registry)
            say(
                "  \(backup.name)  \(backup.bytes) B  g\(backup.generation) s\(backup.sequence)  \(verified.records) records, verified"
            )
        }
        if listed.count > options.keep { problems.append("\(listed.count) backups kept, more than \(options.keep)") }

        if options.corruptNewest, listed.count >= 2, let newest = listed.last {
            var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: newest.path)))
            bytes[bytes.count / 2] ^= 0x5A
            try Data(bytes).write(to: URL(fileURLWithPath: newest.path))
            say("damaged \(newest.name) (one byte flipped)")
        }
        if !listed.isEmpty {
            let restored = try Database.restoreNewestBackup(in: backups, registry: db.registry)
            for skipped in restored.skipped { say("restore skipped \(skipped)") }
            let sum = try restored.database.table("accounts").allRecords().reduce(Int64(0)) {
                $0 + ($1["balance"].intValue ?? 0)
            }
            say("restored \(restored.backup.name): balances sum to \(sum) (expected \(total))")
            if sum != total { problems.append("the restored balances sum to \(sum), not \(total)") }
            if options.corruptNewest, listed.count >= 2, restored.skipped.count != 1 {
                problems.append("the damaged newest backup was not skipped")
            }
        }
        RetentionSimulation.run(configuration.retention) { say($0) }
        RetentionSimulation.run(RetentionPolicy(keepCount: 24, maxAge: .seconds(36 * 3600))) { say($0) }
        return problems
    }
}

/// Writes a line to standard output at once (no buffering, so a pipe sees it as it happens).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

extension String {
    fileprivate func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    fileprivate var orNone: String { isEmpty ? "none" : self }
}

extension Duration {
    fileprivate var formattedMillis: String {
        let micros = components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
        return "\(micros / 1000).\(String(micros % 1000 / 100)) ms"
    }
}
