import DictDBAPI

extension Database {
    /// Loads a database saved by ``save(to:codec:generation:sequence:fileSystem:)``.
    ///
    /// The codec is detected from the file's first bytes unless `codec` names one. Loading checks `_meta`
    /// (format and version), the checksum, the table and record counts, that primary keys are present and
    /// unique, and that unique indexes hold; indexes are rebuilt from the records. Limits on nesting,
    /// string length and decompressed size stop hostile files before large allocations.
    ///
    /// - Parameters:
    ///   - path: the snapshot file.
    ///   - registry: the plugins the file names (codec, key generators, index kinds, custom validators)
    ///     are looked up here.
    ///   - codecName: the codec to read with; `nil` detects it from the file's first bytes.
    ///   - limits: the nesting, length and size limits the reader enforces.
    ///   - fileSystem: where the file is read from (tests pass a fault-injecting one).
    /// - Throws: `DictDBError.Code.corrupt` (with path and offset where known),
    ///   `DictDBError.Code.unsupportedFormat`, `DictDBError.Code.limitExceeded`,
    ///   `DictDBError.Code.unknownPlugin` naming a plugin the registry lacks, `DictDBError.Code.io`.
    public static func load(
        from path: String, registry: Registry, codec codecName: String? = nil, limits: DecodingLimits = .default,
        fileSystem: any FileSystem = PosixFileSystem()
    ) throws(DictDBError) -> Database {
        try loadSnapshot(from: path, registry: registry, codec: codecName, limits: limits, fileSystem: fileSystem)
            .database
    }

    /// Loads a snapshot and returns its `_meta` too (recovery needs its generation and sequence).
    static func loadSnapshot(
        from path: String, registry: Registry, codec codecName: String? = nil, limits: DecodingLimits = .default,
        fileSystem: any FileSystem
    ) throws(DictDBError) -> (database: Database, meta: SnapshotFormat.Meta) {
        let file = try fileSystem.openForReading(path)
        defer { try? file.close() }
        let prefix = try readPrefix(of: file, count: 16)
        let codec: any StorageCodec
        if let codecName {
            codec = try registry.codec(named: codecName)
        } else {
            do {
                codec = try registry.detectCodec(prefix: prefix)
            } catch {
                var error = error
                error.context.path = path
                throw error
            }
        }
        let reader = try codec.makeReader(from: PrefixedSource(file: file, prefix: prefix), limits: limits)
        do {
            return try read(reader, path: path, registry: registry)
        } catch {
            var error = error
            if error.context.path == nil { error.context.path = path }
            throw error
        }
    }

    /// Reads up to `count` bytes from the start of a file.
    private static func readPrefix(of file: any ByteSource, count: Int) throws(DictDBError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < count {
            let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if n == 0 { break }
            filled += n
        }
        return Array(buffer[..<filled])
    }

    private static func read(
        _ reader: any SnapshotReader, path: String, registry: Registry
    ) throws(DictDBError)
        -> (database: Database, meta: SnapshotFormat.Meta)
    {
        guard case .meta(let metaRecord)? = try reader.next() else {
            throw SnapshotFormat.corrupt("the snapshot does not start with _meta", path)
        }
        let meta = try SnapshotFormat.Meta(metaRecord, path: path)
        let database = Database(registry: registry)
        var tables: [String: Table] = [:]
        while true {
            switch try reader.next() {
            case .beginTable(let headerRecord)?:
                let header = try SnapshotFormat.TableHeader(headerRecord, path: path)
                if tables[header.name] != nil {
                    throw SnapshotFormat.corrupt("table '\(header.name)' appears twice", path)
                }
                tables[header.name] = try readTable(
                    header, reader: reader, path: path, registry: registry, transactions: database.transactionState)
            case .end?:
                guard try reader.next() == nil else {
                    throw SnapshotFormat.corrupt("events follow the end of the snapshot", path)
                }
                guard tables.count == meta.tableCount else {
                    throw SnapshotFormat.corrupt(
                        "_meta says \(meta.tableCount) tables, the file has \(tables.count)", path)
                }
                database.install(tables)
                return (database, meta)
            case nil:
                throw SnapshotFormat.corrupt("the snapshot ends before its end marker", path)
            case .meta?, .record?, .endTable?:
                throw SnapshotFormat.corrupt("unexpected event outside a table", path)
            }
        }
    }

    private static func readTable(
        _ header: SnapshotFormat.TableHeader, reader: any SnapshotReader, path: String, registry: Registry,
        transactions: TransactionState
    ) throws(DictDBError) -> Table {
        do {
            try checkName(header.name, what: "table")
            try checkName(header.primaryKey, what: "primary key field")
        } catch {
            throw SnapshotFormat.corrupt("a table header holds an impossible name: \(error.message)", path)
        }
        let schema: Schema? =
            header.schema.isNull ? nil : try Schema(storedValue: header.schema, registry: registry)
        let table = try Table(
            name: header.name, primaryKey: header.primaryKey,
            keyGenerator: try registry.keyGenerator(named: header.keyGenerator), schema: schema, registry: registry,
            transactions: transactions, indexesFromSchema: false)
        var storage = TableStorage(primaryKey: header.primaryKey, keyState: header.keyState)
        storage.reserveKeys(header.recordCount)
        let indexes = try header.indexes.map { definition throws(DictDBError) in
            try registry.indexKind(named: definition.kind).makeIndex(definition)
        }
        // The record count comes from the file: it only chooses how to build, the count is checked below.
        let pipeline =
            indexes.isEmpty || header.recordCount < IndexBuildPipeline.minimumRecords
            ? nil
            : IndexBuildPipeline(indexes: indexes, table: header.name, expectedRecords: header.recordCount)
        defer { pipeline?.cancel() }
        var batch = IndexBuildPipeline.Batch(firstRow: 0)
        while true {
            switch try reader.next() {
            case .record(let record)?:
                let stored = try storage.appendLoaded(record, table: header.name, path: path)
                if let pipeline {
                    batch.append(stored.values, fieldNames: stored.newShape || batch.isEmpty ? storage.shape : nil)
                    if batch.isFull {
                        pipeline.submit(batch)
                        batch = IndexBuildPipeline.Batch(firstRow: storage.rows.count)
                    }
                }
            case .endTable?:
                guard storage.liveCount == header.recordCount else {
                    throw SnapshotFormat.corrupt(
                        "table '\(header.name)' should have \(header.recordCount) records, the file has \(storage.liveCount)",
                        path)
                }
                do {
                    if let pipeline {
                        pipeline.submit(batch)
                        for index in try pipeline.finish() { storage.appendBuiltIndex(index) }
                    } else {
                        for index in indexes { try storage.addIndex(index, table: header.name) }
                    }
                } catch {
                    let name = error.context.index.map { "index '\($0)'" } ?? "an index"
                    throw SnapshotFormat.corrupt("\(name) cannot be rebuilt: \(error.message)", path)
                }
                table.storage = storage
                return table
            default:
                throw SnapshotFormat.corrupt("table '\(header.name)' is not closed before the next section", path)
            }
        }
    }
}

extension TableStorage {
    /// Appends a record read from a snapshot, checking its primary key; returns the stored record's values
    /// and whether it starts a new ``shape`` (see ``appendWithoutIndexes(_:newKey:)``).
    @discardableResult
    mutating func appendLoaded(
        _ record: Record, table: String, path: String
    ) throws(DictDBError) -> (values: [Value], newShape: Bool) {
        let key = record[primaryKey]
        if key.isNull {
            throw SnapshotFormat.corrupt("a record of table '\(table)' has no primary key '\(primaryKey)'", path)
        }
        guard let appended = appendWithoutIndexes(record, newKey: key) else {
            throw SnapshotFormat.corrupt("table '\(table)' holds primary key \(key) twice", path)
        }
        return appended
    }
}
