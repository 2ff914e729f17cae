import Codecs
import DictDBAPI
import DictDBContracts
import Engine
import Indexes
import Testing

/// Every built-in plugin passes its contract check (the modules' own tests run the full checks; these run
/// them lighter, next to the broken plugins, so a change to a check that built-ins fail shows here too).
@Suite struct BuiltInsPassTests {
    @Test func builtInIndexKindsPass() throws {
        for kind in [HashIndexKind(), UniqueIndexKind(), SortedIndexKind()] as [any IndexKind] {
            try IndexKindContract.check(kind, steps: 300)
        }
        for kind in [HashIndexKind(), SortedIndexKind(), CompositeIndexKind()] as [any IndexKind] {
            try IndexKindContract.check(
                kind, fields: ["a", "b"], keys: IndexKindContract.standardCompositeKeys, steps: 300)
        }
    }

    @Test func builtInCodecsPass() throws {
        let codecs: [any StorageCodec] = [JSONCodec(), MessagePackCodec()]
        for codec in codecs {
            try StorageCodecContract.check(codec, others: codecs.filter { $0.name != codec.name }, bitFlips: 256)
        }
    }

    @Test func builtInKeyGeneratorsAndSyncPoliciesPass() throws {
        for generator in [AutoIncrementKeyGenerator(), UUIDv4KeyGenerator(), UUIDv7KeyGenerator()]
            as [any PrimaryKeyGenerator]
        {
            try PrimaryKeyGeneratorContract.check(generator, count: 300)
        }
        for policy in [AlwaysSyncPolicy(), BatchSyncPolicy(), OSSyncPolicy()] as [any SyncPolicy] {
            try SyncPolicyContract.check(policy)
        }
    }
}
