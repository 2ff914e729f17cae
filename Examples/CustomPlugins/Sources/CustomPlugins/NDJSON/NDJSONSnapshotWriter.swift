import DictDBAPI

/// Writes snapshot events as NDJSON lines into a 64 KiB buffer flushed to the sink.
final class NDJSONSnapshotWriter: SnapshotWriter {
    private let sink: any ByteSink
    private let values: any StorageCodec
    private var buffer: [UInt8] = []
    private var digest = CRC32C()
    private var lines = 0
    private var position = Position.start

    /// Where the writer is in the event order.
    private enum Position {
        case start
        case betweenTables
        case inTable
        case ended
    }

    private static let flushSize = 64 * 1024

    init(to sink: any ByteSink, values: any StorageCodec) {
        self.sink = sink
        self.values = values
    }

    func write(_ event: SnapshotEvent) throws(DictDBError) {
        switch (position, event) {
        case (.start, .meta(let meta)):
            try append(NDJSONLine.header)
            try append(NDJSONLine.encode(.meta, value: values.encode(.object(meta))))
            position = .betweenTables
        case (.betweenTables, .beginTable(let header)):
            try append(NDJSONLine.encode(.table, value: values.encode(.object(header))))
            position = .inTable
        case (.inTable, .record(let record)):
            try append(NDJSONLine.encode(.record, value: values.encode(.object(record))))
        case (.inTable, .endTable):
            try append(NDJSONLine.encode(.endTable, value: nil))
            position = .betweenTables
        case (.betweenTables, .end):
            let summary: Value = ["lines": .int(Int64(lines)), "digest": .string(String(digest.value, radix: 16))]
            try append(NDJSONLine.encode(.end, value: values.encode(summary)))
            try flush()
            position = .ended
        default:
            throw DictDBError(
                .invalidState, "ndjson snapshot: event \(event) cannot come here",
                context: .init(plugin: "codec:ndjson"))
        }
    }

    private func append(_ line: [UInt8]) throws(DictDBError) {
        digest.update(line)
        lines += 1
        buffer += line
        if buffer.count >= Self.flushSize { try flush() }
    }

    private func flush() throws(DictDBError) {
        guard !buffer.isEmpty else { return }
        let sink = self.sink
        let result: Result<Void, DictDBError> = buffer.withUnsafeBytes { bytes in
            do throws(DictDBError) {
                try sink.write(bytes)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        buffer.removeAll(keepingCapacity: true)
    }
}
