import DictDBAPI

/// Writing a ``SnapshotContent`` through a codec and reading it back, checking the order of the events a
/// reader yields.
public enum SnapshotIO {
    /// The bytes `codec` writes for `content`.
    /// - Throws: The codec's `DictDBError`.
    public static func write(_ content: SnapshotContent, with codec: any StorageCodec) throws(DictDBError) -> [UInt8] {
        let sink = BufferSink()
        let writer = try codec.makeWriter(to: sink)
        for event in content.events { try writer.write(event) }
        return sink.bytes
    }

    /// The snapshot `codec` reads from `bytes`, handed out at most `maxReadSize` bytes per read.
    ///
    /// The reader must yield `meta` first, then per table `beginTable`, its records and `endTable`, then
    /// `end`, and then `nil`.
    /// - Throws: The codec's `DictDBError`; a ``ContractViolation`` (clause "event order") when the reader
    ///   yields events out of that order, or more events than `bytes` could hold even decompressed (more than
    ///   1,100 per byte), which means it does not stop.
    public static func read(
        _ bytes: [UInt8], with codec: any StorageCodec, maxReadSize: Int = .max, limits: DecodingLimits = .default
    ) throws -> SnapshotContent {
        let reader = try codec.makeReader(from: BufferSource(bytes, maxReadSize: maxReadSize), limits: limits)
        var meta: Record?
        var tables: [SnapshotContent.Table] = []
        var inTable = false
        func outOfOrder(_ detail: String) -> ContractViolation {
            ContractViolation(plugin: "codec '\(codec.name)'", clause: "event order", detail: detail)
        }
        // A reader yields at most one event per decoded byte, and no format decompresses 1,100-fold (deflate
        // tops out near 1,032:1, LZ4 near 255:1); far more means it does not stop.
        var budget = 1_100 * bytes.count + 1_024
        while let event = try reader.next() {
            budget -= 1
            guard budget > 0 else { throw outOfOrder("the reader yields more events than \(bytes.count) bytes hold") }
            switch event {
            case .meta(let record):
                guard meta == nil && tables.isEmpty else { throw outOfOrder("meta came twice or after a table") }
                meta = record
            case .beginTable(let header):
                guard meta != nil && !inTable else { throw outOfOrder("beginTable before meta or inside a table") }
                tables.append(SnapshotContent.Table(header: header, records: []))
                inTable = true
            case .record(let record):
                guard inTable else { throw outOfOrder("a record outside a table") }
                tables[tables.count - 1].records.append(record)
            case .endTable:
                guard inTable else { throw outOfOrder("endTable outside a table") }
                inTable = false
            case .end:
                guard let meta, !inTable else { throw outOfOrder("end before meta or inside a table") }
                if let extra = try reader.next() { throw outOfOrder("the reader yielded \(extra) after end") }
                return SnapshotContent(meta: meta, tables: tables)
            }
        }
        throw outOfOrder("the reader returned nil before end")
    }
}
