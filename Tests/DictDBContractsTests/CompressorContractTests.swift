import Codecs
import DictDBAPI
import DictDBContracts
import Testing

/// ``CompressorContract`` passes a correct compressor and names the clause each broken one breaks.
@Suite struct CompressorContractTests {
    @Test func aCorrectCompressorPasses() throws {
        try CompressorContract.check(FlawedCompressor(.none), others: [LZ4FrameCompressor()], uncheckedHeaderBytes: 10)
    }

    @Test(arguments: [
        (FlawedCompressor.Flaw.wrongMagic, "standard container"),
        (.ignoresTheLimit, "hostile input"),
        (.acceptsTrailingBytes, "hostile input"),
        (.recoversAfterFailure, "failure is final"),
    ])
    func aBrokenCompressorIsCaughtByTheClauseItBreaks(_ flaw: FlawedCompressor.Flaw, _ clause: String) {
        expectViolation(clause) { () throws(ContractViolation) in
            try CompressorContract.check(FlawedCompressor(flaw), uncheckedHeaderBytes: 10)
        }
    }
}
