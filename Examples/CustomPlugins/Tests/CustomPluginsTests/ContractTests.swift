import CustomPlugins
import DictDB
import DictDBContracts
import Testing

/// The contract checks the built-in plugins pass, run on this package's plugins.
@Suite struct ContractTests {
    @Test func theTrigramIndexKeepsTheIndexContract() throws {
        try IndexKindContract.check(TrigramIndexKind())
        try IndexKindContract.checkRejects(
            TrigramIndexKind(), IndexDefinition(name: "two", fields: ["a", "b"], kind: "trigram"))
    }

    @Test func theNDJSONCodecKeepsTheCodecContract() throws {
        try StorageCodecContract.check(NDJSONSnapshotCodec(values: JSONCodec()))
    }

    @Test func zstdKeepsTheCompressorContract() throws {
        try CompressorContract.check(ZstdCompressor())
    }

    @Test func theULIDGeneratorKeepsTheKeyGeneratorContract() throws {
        try PrimaryKeyGeneratorContract.check(ULIDKeyGenerator())
    }

    @Test(arguments: [1, 2, 64, 1_000])
    func everyNKeepsTheSyncPolicyContract(_ every: Int) throws {
        try SyncPolicyContract.check(EveryNSyncPolicy(every: every))
    }
}
