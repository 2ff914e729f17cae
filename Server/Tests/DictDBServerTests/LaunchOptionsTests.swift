import DictDB
import DictDBServer
import Foundation
import Testing

@Suite struct LaunchOptionsTests {
    @Test func refusesNonLoopbackHostsWithoutAToken() throws {
        var options = ServerLaunchOptions(databasePath: "/tmp/unused")
        options.host = "0.0.0.0"
        expectInvalidArgument { try options.configuration() }
        options.host = "127.0.0.5"
        #expect(try options.configuration().token == nil)
        options.host = "localhost"
        #expect(try options.configuration().bindsToLoopback)
    }

    @Test func readsTheTokenFileAndRefusesShortOrMissingOnes() async throws {
        try await TemporaryDirectory.with { directory in
            var options = ServerLaunchOptions(databasePath: directory + "/db")
            options.host = "0.0.0.0"
            options.tokenFile = directory + "/token"
            expectInvalidArgument { try options.configuration() }  // missing
            try "short\n".write(toFile: directory + "/token", atomically: false, encoding: .utf8)
            expectInvalidArgument { try options.configuration() }
            try "  \(ServerHarness.token)\n".write(toFile: directory + "/token", atomically: false, encoding: .utf8)
            #expect(try options.configuration().token == ServerHarness.token)
        }
    }

    @Test func refusesTokenFilesThatNoRequestCouldMatch() async throws {
        try await TemporaryDirectory.with { directory in
            var options = ServerLaunchOptions(databasePath: directory + "/db")
            options.tokenFile = directory + "/token"
            // Two lines: no header can carry the newline, so every request would get 401.
            try "\(ServerHarness.token)\nsecond-line\n".write(
                toFile: directory + "/token", atomically: false, encoding: .utf8)
            expectInvalidArgument { try options.configuration() }
            try "\(ServerHarness.token)\u{7}\n".write(
                toFile: directory + "/token", atomically: false, encoding: .utf8)
            expectInvalidArgument { try options.configuration() }
            try "\(ServerHarness.token) \(ServerHarness.token)".write(
                toFile: directory + "/token", atomically: false, encoding: .utf8)
            expectInvalidArgument { try options.configuration() }
            try "\n\n".write(toFile: directory + "/token", atomically: false, encoding: .utf8)
            expectInvalidArgument { try options.configuration() }
            let huge = Data(repeating: UInt8(ascii: "a"), count: 8192)  // one long line: still not a token
            #expect(FileManager.default.createFile(atPath: directory + "/token", contents: huge))
            expectInvalidArgument { try options.configuration() }
        }
    }

    @Test func warnsWhenOthersCanReadTheTokenFile() async throws {
        try await TemporaryDirectory.with { directory in
            var options = ServerLaunchOptions(databasePath: directory + "/db")
            options.tokenFile = directory + "/token"
            try "\(ServerHarness.token)\n".write(toFile: directory + "/token", atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: directory + "/token")
            let warnings = options.warnings
            #expect(warnings.count == 1)
            #expect(warnings.first?.contains("chmod 600") == true)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory + "/token")
            #expect(options.warnings.isEmpty)
            #expect(try options.configuration().token == ServerHarness.token)
        }
    }

    @Test func refusesUnknownSyncPoliciesAndBadLimits() {
        var options = ServerLaunchOptions(databasePath: "/tmp/unused")
        options.syncPolicy = "sometimes"
        expectInvalidArgument { try options.configuration() }
        options.syncPolicy = "batch"
        options.limits.maxBodyBytes = 0
        expectInvalidArgument { try options.configuration() }
        options.limits.maxBodyBytes = 1
        options.port = 70000
        expectInvalidArgument { try options.configuration() }
    }

    @Test func putsBackupsBesideTheDatabase() {
        #expect(ServerLaunchOptions(databasePath: "/srv/data/").backupDirectory == "/srv/data-backups")
    }
}

/// Expects `body` to throw a ``DictDBError`` with the code `invalidArgument`.
func expectInvalidArgument(
    _ body: () throws -> some Any, sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = #expect(throws: DictDBError.self, sourceLocation: sourceLocation) { try body() }
    #expect(error?.code == .invalidArgument, sourceLocation: sourceLocation)
}
