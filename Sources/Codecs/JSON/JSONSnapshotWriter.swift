import DictDBAPI

/// Streams a snapshot as JSON text through a fixed 64 KiB buffer:
/// `{"_meta":{...},"tables":[{"table":{...},"records":[{...},...]},...],"checksum":"crc32:xxxxxxxx"}`.
///
/// The CRC-32 covers every byte before the opening quote of the `"checksum"` key.
final class JSONSnapshotWriter: SnapshotWriter {
    private var emitter: JSONEmitter
    private var order = SnapshotEventOrder(codec: "json")
    private var tablesWritten = 0
    private var recordsWritten = 0

    /// Creates a writer to `sink`.
    init(to sink: any ByteSink) {
        emitter = JSONEmitter(out: ByteOutput(to: sink))
    }

    func write(_ event: SnapshotEvent) throws(DictDBError) {
        try order.accept(event)
        do {
            try emit(event)
        } catch {
            order.fail()
            throw error
        }
    }

    private func emit(_ event: SnapshotEvent) throws(DictDBError) {
        switch event {
        case .meta(let meta):
            try emitter.out.append(ascii: #"{"_meta":"#)
            try emitter.writeObject(meta)
            try emitter.out.append(ascii: #","tables":["#)
        case .beginTable(let header):
            try emitter.out.append(ascii: tablesWritten == 0 ? #"{"table":"# : #",{"table":"#)
            try emitter.writeObject(header)
            try emitter.out.append(ascii: #","records":["#)
            tablesWritten += 1
            recordsWritten = 0
        case .record(let record):
            if recordsWritten > 0 { try emitter.out.append(UInt8(ascii: ",")) }
            try emitter.writeObject(record)
            recordsWritten += 1
        case .endTable:
            try emitter.out.append(ascii: "]}")
        case .end:
            try emitter.out.append(ascii: "],")
            let crc = emitter.out.sealChecksum()
            try emitter.out.append(ascii: #""checksum":"crc32:"#)
            try emitter.out.reserve(8)
            for shift in stride(from: 28, through: 0, by: -4) {
                emitter.out.appendUnchecked(hexDigit(UInt8(truncatingIfNeeded: crc >> UInt32(shift)) & 0x0F))
            }
            try emitter.out.append(ascii: "\"}")
            try emitter.out.flush()
        }
    }
}
