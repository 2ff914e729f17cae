import DictDBAPI

/// Streams a snapshot as MessagePack through a fixed 64 KiB buffer: a map of three entries,
/// `"_meta"` (the meta record), `"tables"` (an array of `{"table": header, "records": [...]}` maps) and
/// `"checksum"` (a uint32 CRC-32 of every byte before the `"checksum"` key).
///
/// Array headers need their counts first: the meta record's int field `tableCount` and each header's int
/// field `recordCount` give them, and the events must match them.
final class MessagePackSnapshotWriter: SnapshotWriter {
    private var emitter: MessagePackEmitter
    private var order = SnapshotEventOrder(codec: "msgpack")
    private var tableCount = 0
    private var tablesWritten = 0
    private var recordCount = 0
    private var recordsWritten = 0

    /// Creates a writer to `sink`.
    init(to sink: any ByteSink) {
        emitter = MessagePackEmitter(out: ByteOutput(to: sink))
    }

    func write(_ event: SnapshotEvent) throws(DictDBError) {
        try order.check(event)
        try checkCounts(event)
        try order.accept(event)
        do {
            try emit(event)
        } catch {
            order.fail()
            throw error
        }
    }

    /// Throws ``DictDBError/Code/invalidState`` when `event` does not agree with the declared counts.
    private func checkCounts(_ event: SnapshotEvent) throws(DictDBError) {
        switch event {
        case .meta(let meta):
            _ = try Self.count("tableCount", in: meta, of: "meta record")
        case .beginTable(let header):
            guard tablesWritten < tableCount else {
                throw mismatch("a table beyond the meta record's tableCount of \(tableCount)")
            }
            _ = try Self.count("recordCount", in: header, of: "table header")
        case .record:
            guard recordsWritten < recordCount else {
                throw mismatch("a record beyond the table header's recordCount of \(recordCount)")
            }
        case .endTable:
            guard recordsWritten == recordCount else {
                throw mismatch("endTable after \(recordsWritten) records; the header's recordCount is \(recordCount)")
            }
        case .end:
            guard tablesWritten == tableCount else {
                throw mismatch("end after \(tablesWritten) tables; the meta record's tableCount is \(tableCount)")
            }
        }
    }

    private func mismatch(_ message: String) -> DictDBError {
        DictDBError(
            .invalidState, "msgpack snapshot events do not match the declared counts: \(message)",
            context: .init(plugin: "codec:msgpack"))
    }

    /// The non-negative int field `name` of `record`.
    static func count(_ name: String, in record: Record, of what: String) throws(DictDBError) -> Int {
        guard case .int(let value)? = record[field: name], value >= 0, value <= 0xFFFF_FFFF else {
            throw DictDBError(
                .invalidState,
                "the msgpack codec needs the \(what) to hold a non-negative int field \(name) (found "
                    + "\(record[field: name].map { "\($0)" } ?? "none"))",
                context: .init(field: name, plugin: "codec:msgpack"))
        }
        return Int(value)
    }

    private func emit(_ event: SnapshotEvent) throws(DictDBError) {
        switch event {
        case .meta(let meta):
            tableCount = try Self.count("tableCount", in: meta, of: "meta record")
            try emitter.out.append(0x83)
            try emitter.writeString("_meta")
            try emitter.writeObject(meta)
            try emitter.writeString("tables")
            try emitter.writeArrayHeader(tableCount)
        case .beginTable(let header):
            recordCount = try Self.count("recordCount", in: header, of: "table header")
            recordsWritten = 0
            tablesWritten += 1
            try emitter.out.append(0x82)
            try emitter.writeString("table")
            try emitter.writeObject(header)
            try emitter.writeString("records")
            try emitter.writeArrayHeader(recordCount)
        case .record(let record):
            recordsWritten += 1
            try emitter.writeObject(record)
        case .endTable:
            break
        case .end:
            let crc = emitter.out.sealChecksum()
            try emitter.writeString("checksum")
            try emitter.out.reserve(5)
            emitter.out.appendUnchecked(MessagePackFormat.uint32)
            emitter.storeBigEndian(crc)
            try emitter.out.flush()
        }
    }
}
