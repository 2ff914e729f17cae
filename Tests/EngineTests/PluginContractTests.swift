import DictDBAPI
import DictDBContracts
import Engine
import Testing

/// The shared ``PrimaryKeyGenerator`` contract (``PrimaryKeyGeneratorContract``) run over the built-ins, plus
/// what each built-in promises beyond it.
@Suite struct PrimaryKeyGeneratorContractTests {
    static let generators: [any PrimaryKeyGenerator] = [
        AutoIncrementKeyGenerator(), UUIDv4KeyGenerator(), UUIDv7KeyGenerator(),
    ]

    @Test(arguments: generators.map { $0.name })
    func keepsTheKeyGeneratorContract(_ name: String) throws {
        try PrimaryKeyGeneratorContract.check(makeTestRegistry().keyGenerator(named: name))
    }

    @Test func autoIncrementCountsFromOneAndSkipsPastLargerExplicitKeys() throws {
        let generator = AutoIncrementKeyGenerator()
        var state = generator.initialState
        #expect(try generator.nextKey(state: &state) == 1)
        generator.observe(explicitKey: 41, state: &state)
        generator.observe(explicitKey: 7, state: &state)
        generator.observe(explicitKey: "text", state: &state)
        #expect(try generator.nextKey(state: &state) == 42)
        var exhausted: Value = .int(.max)
        #expect(captureError { try generator.nextKey(state: &exhausted) }?.code == .limitExceeded)
    }

    @Test func uuidV7KeysAreTimeOrderedAndWellFormed() throws {
        let generator = UUIDv7KeyGenerator()
        var state = generator.initialState
        var previous = ""
        for _ in 0..<5000 {
            let key = try #require(try generator.nextKey(state: &state).stringValue)
            #expect(key.count == 36)
            #expect(Array(key)[14] == "7")
            #expect(key > previous)
            previous = key
        }
    }

    @Test func uuidV4KeysCarryTheirVersionAndVariant() throws {
        var state = Value.null
        let key = try #require(try UUIDv4KeyGenerator().nextKey(state: &state).stringValue)
        let characters = Array(key)
        #expect(characters[14] == "4")
        #expect("89ab".contains(characters[19]))
        #expect(characters[8] == "-" && characters[13] == "-" && characters[18] == "-" && characters[23] == "-")
    }

    @Test func nullExplicitKeysAreRejectedByDefault() {
        #expect(captureError { try AutoIncrementKeyGenerator().validate(explicitKey: .null) }?.code == .invalidKey)
    }
}

/// The shared ``SyncPolicy`` contract (``SyncPolicyContract``) run over the built-ins, plus what `batch`
/// promises beyond it.
@Suite struct SyncPolicyContractTests {
    static let policies: [any SyncPolicy] = [AlwaysSyncPolicy(), BatchSyncPolicy(), OSSyncPolicy()]

    @Test(arguments: policies.map { $0.name })
    func keepsTheSyncPolicyContract(_ name: String) throws {
        try SyncPolicyContract.check(makeTestRegistry().syncPolicy(named: name))
    }

    @Test func batchSyncsWhenEnoughRecordsOrTimeHavePiledUp() {
        let policy = BatchSyncPolicy(interval: .milliseconds(10), maxRecords: 100)
        #expect(
            policy.decision(pendingRecords: 1, timeSinceLastSync: .milliseconds(4)) == .syncWithin(.milliseconds(6)))
        #expect(policy.decision(pendingRecords: 100, timeSinceLastSync: .zero) == .syncBeforeReturning)
        #expect(policy.decision(pendingRecords: 1, timeSinceLastSync: .milliseconds(10)) == .syncBeforeReturning)
        #expect(AlwaysSyncPolicy().decision(pendingRecords: 0, timeSinceLastSync: .zero) == .syncBeforeReturning)
        #expect(OSSyncPolicy().decision(pendingRecords: 1_000_000, timeSinceLastSync: .seconds(100)) == .noSync)
    }
}
