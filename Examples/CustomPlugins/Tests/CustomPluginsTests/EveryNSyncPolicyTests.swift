import CustomPlugins
import DictDB
import Testing

@Suite struct EveryNSyncPolicyTests {
    @Test func itSyncsOnTheNthPendingRecordAndNeverOnTime() {
        let policy = EveryNSyncPolicy(every: 3)
        #expect(policy.name == "every-3")
        #expect(policy.decision(pendingRecords: 1, timeSinceLastSync: .seconds(3600)) == .noSync)
        #expect(policy.decision(pendingRecords: 2, timeSinceLastSync: .zero) == .noSync)
        #expect(policy.decision(pendingRecords: 3, timeSinceLastSync: .zero) == .syncBeforeReturning)
        #expect(policy.decision(pendingRecords: 4_000, timeSinceLastSync: .zero) == .syncBeforeReturning)
        #expect(EveryNSyncPolicy(every: 0).name == "every-1")
        #expect(
            EveryNSyncPolicy(every: -5).decision(pendingRecords: 1, timeSinceLastSync: .zero) == .syncBeforeReturning)
    }

    @Test func aDatabaseUnderItSyncsEveryNthWrite() throws {
        try withTemporaryDirectory { directory in
            var registry = try pluginRegistry()
            registry.register(syncPolicy: EveryNSyncPolicy(every: 10))
            var options = OpenOptions()
            options.syncPolicy = "every-10"
            let db = try Database.open(at: directory + "/db", options: options, registry: registry)
            let log = try db.createTable("log")
            let before = try #require(db.journalStatus).syncs
            for i in 0..<95 { try log.insert(["i": .int(Int64(i))]) }
            let status = try #require(db.journalStatus)
            let syncs = status.syncs - before
            #expect((9...10).contains(syncs), "\(syncs) syncs for 95 records")
            #expect(status.unsyncedRecords < 10)
            #expect(status.syncPolicy == "every-10")
            try db.close()
        }
    }
}
