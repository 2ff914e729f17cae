import DictDBAPI
import Engine
import Testing

/// Contract tests every ``PrimaryKeyGenerator`` must pass; run over the built-ins.
@Suite struct PrimaryKeyGeneratorContractTests {
    static let generators: [any PrimaryKeyGenerator] = [
        AutoIncrementKeyGenerator(), UUIDv4KeyGenerator(), UUIDv7KeyGenerator(),
    ]

    @Test(arguments: generators.map { $0.name })
    func successiveKeysAreDistinctValidAndNeverCollideWithObservedOnes(_ name: String) throws {
        let generator = try makeTestRegistry().keyGenerator(named: name)
        var state = generator.initialState
        var seen = Set<Value>()
        let observed: Value = 5
        generator.observe(explicitKey: observed, state: &state)
        seen.insert(observed)
        for _ in 0..<2000 {
            let key = try generator.nextKey(state: &state)
            #expect(!key.isNull)
            try key.validate()
            #expect(seen.insert(key).inserted, "\(name) repeated \(key)")
        }
    }

    @Test(arguments: generators.map { $0.name })
    func stateIsAPlainValueThatResumesWhereItStopped(_ name: String) throws {
        let generator = try makeTestRegistry().keyGenerator(named: name)
        var state = generator.initialState
        var first: [Value] = []
        for _ in 0..<10 { first.append(try generator.nextKey(state: &state)) }
        var resumed = state  // what a snapshot would store and reload
        let next = try generator.nextKey(state: &resumed)
        #expect(!first.contains(next))
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

/// Contract tests every ``SyncPolicy`` must pass; run over the built-ins.
@Suite struct SyncPolicyContractTests {
    static let policies: [any SyncPolicy] = [AlwaysSyncPolicy(), BatchSyncPolicy(), OSSyncPolicy()]

    @Test(arguments: policies.map { $0.name })
    func decisionsArePureAndTheLossWindowIsFinite(_ name: String) throws {
        let policy = try makeTestRegistry().syncPolicy(named: name)
        for pending in [0, 1, 10, 10_000] {
            for elapsed in [Duration.zero, .milliseconds(5), .seconds(10)] {
                let a = policy.decision(pendingRecords: pending, timeSinceLastSync: elapsed)
                let b = policy.decision(pendingRecords: pending, timeSinceLastSync: elapsed)
                #expect(a == b)
                if case .syncWithin(let delay) = a { #expect(delay > .zero && delay <= .seconds(60)) }
            }
        }
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
