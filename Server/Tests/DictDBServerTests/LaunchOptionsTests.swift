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
