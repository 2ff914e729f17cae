import Codecs
import DictDBAPI
import DictDBContracts
import Testing

/// ``StorageCodecContract`` passes a correct codec and names the clause each broken one breaks.
@Suite struct StorageCodecContractTests {
    @Test func aCorrectCodecPasses() throws {
        try StorageCodecContract.check(FlawedCodec(.none), others: [MessagePackCodec()], bitFlips: 256)
    }

    @Test(arguments: [
        (FlawedCodec.Flaw.integralDoublesBecomeInts, "exact round trip"),
        (.losesFieldOrder, "exact round trip"),
        (.acceptsTruncation, "integrity"),
        (.recognizesEverything, "self-identifying files"),
        (.buffersTheWholeFile, "streaming"),
        (.ignoresLimits, "bounded reading"),
        (.ignoresEventOrder, "event order"),
    ])
    func aBrokenCodecIsCaughtByTheClauseItBreaks(_ flaw: FlawedCodec.Flaw, _ clause: String) {
        expectViolation(clause) { () throws(ContractViolation) in
            try StorageCodecContract.check(FlawedCodec(flaw), bitFlips: 256)
        }
    }

    @Test func aCodecThatClaimsAnotherCodecsFilesIsCaught() {
        expectViolation("self-identifying files") { () throws(ContractViolation) in
            try StorageCodecContract.check(FlawedCodec(.none), others: [JSONCodec()], bitFlips: 0)
        }
    }

    @Test func snapshotHelpersRoundTripAndCompareExactly() throws {
        var generator = SnapshotGenerator(seed: 3)
        let content = generator.snapshot(tableCount: 2, maxRecords: 20)
        let bytes = try SnapshotIO.write(content, with: MessagePackCodec())
        #expect(try SnapshotIO.read(bytes, with: MessagePackCodec(), maxReadSize: 3).isIdentical(to: content))
        #expect(Value.int(1) == .double(1.0))
        #expect(!Value.int(1).isIdentical(to: .double(1.0)))
        #expect(!Record(fields: [("a", 1), ("b", 2)]).isIdentical(to: Record(fields: [("b", 2), ("a", 1)])))
        #expect(!content.isIdentical(to: .small))
    }
}
