import DictDBAPI

/// The contract of `StorageCodec` as a check a plugin author runs in their own tests, the same check the
/// built-in codecs (and their compositions with every compressor) pass.
///
/// `check(_:seed:others:bitFlips:)` checks:
/// - **exact round trip**: random snapshots of every value kind (``SnapshotGenerator``) come back exactly
///   (``SnapshotContent/isIdentical(to:)``: ints stay ints, doubles bit for bit, field order kept), read in
///   one go, one byte at a time and in odd sizes; an empty snapshot; strings longer than any read; single
///   values through `encode`/`decode`;
/// - **non-finite doubles are invalid values**: NaN and infinities are `DictDBError.Code.invalidValue`;
/// - **streaming**: the writer hands the sink bounded chunks, never the whole file;
/// - **self-identifying files**: `StorageCodec.recognizes(prefix:)` is true for its own files and false
///   for `others`' files, an empty prefix and text;
/// - **integrity**: every truncation and single-bit flip (of ``SnapshotContent/small``'s file) and every
///   appended tail is a `DictDBError` — never a trap, never a different snapshot; uncompressed formats
///   notice every flip and report `DictDBError.Code.corrupt` with an offset;
/// - **bounded reading**: `DecodingLimits` on depth, string bytes, container counts and (for a
///   `CompressedCodec`) decompressed bytes throw `DictDBError.Code.limitExceeded`;
/// - **event order**: a writer rejects events out of order with `DictDBError.Code.invalidState`; a
///   reader yields them in order;
/// - **failure is final**: a reader that threw keeps throwing.
///
/// ```swift
/// @Test func ndjsonKeepsTheCodecContract() throws {
///     try StorageCodecContract.check(NDJSONCodec(), others: [JSONCodec()])
/// }
/// ```
public enum StorageCodecContract {
    /// Checks `codec` against the contract.
    ///
    /// - Parameters:
    ///   - codec: The codec under test.
    ///   - seed: The seed of the random snapshots; a violation names it.
    ///   - others: Codecs whose files `codec` must not claim to recognize.
    ///   - bitFlips: Every single-bit flip of the small snapshot's file is checked when it has at most this
    ///     many bits; else this many flips, chosen from `seed`.
    /// - Throws: The first ``ContractViolation`` found.
    public static func check(
        _ codec: any StorageCodec, seed: UInt64 = 1, others: [any StorageCodec] = [], bitFlips: Int = 8_192
    ) throws(ContractViolation) {
        let run = CodecContractRun(codec: codec, seed: seed)
        // Cheap clauses first, so a broken codec fails fast.
        try run.checkSingleValues()
        try run.checkNonFiniteDoubles()
        try run.checkRecognition(others: others)
        try run.checkWriterOrder()
        try run.checkLimits()
        try run.checkAppendedBytes()
        try run.checkFailureIsFinal()
        try run.checkTruncation()
        try run.checkStreaming()
        try run.checkRoundTrips()
        try run.checkBitFlips(limit: bitFlips)
    }
}
