import DictDBAPI

/// The contract of `Compressor` as a check a plugin author runs in their own tests, the same check the
/// built-in compressors pass.
///
/// `check(_:seed:others:uncheckedHeaderBytes:)` checks, exactly as the protocol words it:
/// - **round trip**: empty, one byte, a mebibyte of random bytes, and mixed inputs of several sizes fed to
///   both streams in random chunks come back exactly;
/// - **standard container**: every stream starts with `Compressor.magic`;
/// - **hostile input**: truncation is never taken as a whole stream (`DictDBError.Code.corrupt`);
///   flipped bits throw `corrupt` or (only where the format ignores them) decode to the same bytes; other
///   formats and garbage are `corrupt`; exactly `DecompressionLimits.maxOutputBytes` is allowed and one
///   byte more (a decompression bomb included) is `DictDBError.Code.limitExceeded` with at most the limit
///   produced; bytes after the end of the stream are `corrupt`;
/// - **failure is final**: a compression stream used after finishing, and a decompression stream used after
///   it threw, throw `DictDBError.Code.invalidState`.
///
/// ```swift
/// @Test func zstdKeepsTheCompressorContract() throws {
///     try CompressorContract.check(ZstdCompressor(), others: [GzipCompressor()])
/// }
/// ```
public enum CompressorContract {
    /// Checks `compressor` against the contract.
    ///
    /// - Parameters:
    ///   - compressor: The compressor under test.
    ///   - seed: The seed of the random inputs and chunk sizes; a violation names it.
    ///   - others: Compressors whose output `compressor` must reject as `corrupt`.
    ///   - uncheckedHeaderBytes: Bytes at the start of a stream that no check covers (gzip's 10-byte header
    ///     holds a time and an OS byte). Flips there may decode unnoticed; after them at most 16 bits may.
    /// - Throws: The first ``ContractViolation`` found.
    public static func check(
        _ compressor: any Compressor, seed: UInt64 = 1, others: [any Compressor] = [], uncheckedHeaderBytes: Int = 0
    ) throws(ContractViolation) {
        let run = CompressorContractRun(compressor: compressor, seed: seed)
        // Cheap clauses first, so a broken compressor fails fast.
        try run.checkMagic()
        try run.checkTrailingBytes()
        try run.checkFailureIsFinal()
        try run.checkLimits()
        try run.checkForeignInput(others: others)
        try run.checkTruncation()
        try run.checkRoundTrips()
        try run.checkBitFlips(uncheckedHeaderBytes: max(0, uncheckedHeaderBytes))
    }
}
