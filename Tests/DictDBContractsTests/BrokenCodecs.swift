import Codecs
import DictDBAPI

/// The `json` codec with one deliberate flaw (or none), to show the codec check passes a correct codec and
/// names the clause a broken one breaks.
struct FlawedCodec: StorageCodec {
    /// What the codec gets wrong.
    enum Flaw: String, Sendable, CaseIterable {
        /// Nothing: the `json` codec as is.
        case none
        /// Doubles with an integral value are written as ints (`1.0` becomes `1`).
        case integralDoublesBecomeInts
        /// Record fields are written sorted by name.
        case losesFieldOrder
        /// A reader that finds damage mid-table ends the table and the snapshot instead, as if the file were whole.
        case acceptsTruncation
        /// Every prefix is recognized.
        case recognizesEverything
        /// The writer keeps everything and hands it to the sink at the end.
        case buffersTheWholeFile
        /// Decoding ignores the caller's limits.
        case ignoresLimits
        /// Writing accepts events out of order (a second `meta` is dropped).
        case ignoresEventOrder
    }

    let flaw: Flaw
    private let base = JSONCodec()

    init(_ flaw: Flaw) { self.flaw = flaw }

    var name: String { "flawed-\(flaw.rawValue)" }

    func recognizes(prefix: [UInt8]) -> Bool {
        flaw == .recognizesEverything || base.recognizes(prefix: prefix)
    }

    func makeWriter(to sink: any ByteSink) throws(DictDBError) -> any SnapshotWriter {
        if flaw == .buffersTheWholeFile {
            let buffer = BufferSink()
            return FlawedWriter(base: try base.makeWriter(to: buffer), flaw: flaw, flushTo: (buffer, sink))
        }
        return FlawedWriter(base: try base.makeWriter(to: sink), flaw: flaw, flushTo: nil)
    }

    func makeReader(from source: any ByteSource, limits: DecodingLimits) throws(DictDBError) -> any SnapshotReader {
        let reader = try base.makeReader(from: source, limits: flaw == .ignoresLimits ? .default : limits)
        return flaw == .acceptsTruncation ? LenientReader(base: reader) : reader
    }

    func encode(_ value: Value) throws(DictDBError) -> [UInt8] {
        try base.encode(FlawedWriter.alter(value, flaw))
    }

    func decode(_ bytes: [UInt8], limits: DecodingLimits) throws(DictDBError) -> Value {
        try base.decode(bytes, limits: flaw == .ignoresLimits ? .default : limits)
    }
}

/// Alters what it writes as its flaw says.
private final class FlawedWriter: SnapshotWriter {
    let base: any SnapshotWriter
    let flaw: FlawedCodec.Flaw
    let flushTo: (buffer: BufferSink, sink: any ByteSink)?
    var wroteMeta = false

    init(base: any SnapshotWriter, flaw: FlawedCodec.Flaw, flushTo: (buffer: BufferSink, sink: any ByteSink)?) {
        self.base = base
        self.flaw = flaw
        self.flushTo = flushTo
    }

    static func alter(_ value: Value, _ flaw: FlawedCodec.Flaw) -> Value {
        switch value {
        case .double(let number) where flaw == .integralDoublesBecomeInts:
            return Int64(exactly: number).map { .int($0) } ?? value
        case .array(let elements): return .array(elements.map { alter($0, flaw) })
        case .object(let record): return .object(alter(record, flaw))
        default: return value
        }
    }

    static func alter(_ record: Record, _ flaw: FlawedCodec.Flaw) -> Record {
        var fields = Array(zip(record.fieldNames, record.values.map { alter($0, flaw) }))
        if flaw == .losesFieldOrder { fields.sort { $0.0 < $1.0 } }
        return Record(fields: fields)
    }

    func write(_ event: SnapshotEvent) throws(DictDBError) {
        switch event {
        case .meta(let record):
            if flaw == .ignoresEventOrder && wroteMeta { return }
            wroteMeta = true
            try base.write(.meta(Self.alter(record, flaw)))
        case .beginTable(let record): try base.write(.beginTable(Self.alter(record, flaw)))
        case .record(let record): try base.write(.record(Self.alter(record, flaw)))
        case .endTable, .end: try base.write(event)
        }
        if event == .end, let flushTo { try flushTo.sink.write(flushTo.buffer.take()) }
    }
}

/// Turns damage found after `meta` (a truncated file, say) into the end of the snapshot.
private final class LenientReader: SnapshotReader {
    let base: any SnapshotReader
    var sawMeta = false
    var inTable = false
    var ended = false

    init(base: any SnapshotReader) { self.base = base }

    func next() throws(DictDBError) -> SnapshotEvent? {
        if ended { return nil }
        do {
            let event = try base.next()
            switch event {
            case .meta: sawMeta = true
            case .beginTable: inTable = true
            case .endTable: inTable = false
            case .end, nil: ended = true
            case .record: break
            }
            return event
        } catch {
            guard sawMeta, error.code == .corrupt else { throw error }
            if inTable {
                inTable = false
                return .endTable
            }
            ended = true
            return .end
        }
    }
}
