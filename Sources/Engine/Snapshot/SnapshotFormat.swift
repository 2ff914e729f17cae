import DictDBAPI

/// The records a snapshot stream carries besides table records: the metadata and each table's header.
///
/// meta: `{format: "dictdb", version: 1, codec, created (ms since 1970, UTC), generation, sequence,
/// tableCount}`; table header: `{name, primaryKey, keyGenerator, keyState, schema, indexes, recordCount}`.
enum SnapshotFormat {
    /// The `format` value every snapshot carries.
    static let formatName = "dictdb"
    /// The snapshot format version this build reads and writes.
    static let version: Int64 = 1

    /// What `_meta` says about a snapshot.
    struct Meta: Sendable, Hashable {
        var codec: String
        var createdMillis: Int64
        var generation: Int64
        var sequence: Int64
        var tableCount: Int

        var record: Record {
            [
                "format": .string(SnapshotFormat.formatName), "version": .int(SnapshotFormat.version),
                "codec": .string(codec), "created": .int(createdMillis), "generation": .int(generation),
                "sequence": .int(sequence), "tableCount": .int(Int64(tableCount)),
            ]
        }

        init(codec: String, createdMillis: Int64, generation: Int64, sequence: Int64, tableCount: Int) {
            self.codec = codec
            self.createdMillis = createdMillis
            self.generation = generation
            self.sequence = sequence
            self.tableCount = tableCount
        }

        init(_ record: Record, path: String) throws(DictDBError) {
            guard record["format"] == .string(SnapshotFormat.formatName) else {
                throw DictDBError(
                    .unsupportedFormat, "\(path) is not a DictDB snapshot (format is \(record["format"]))",
                    context: .init(path: path, expected: SnapshotFormat.formatName, found: record["format"].description)
                )
            }
            guard record["version"] == .int(SnapshotFormat.version) else {
                throw DictDBError(
                    .unsupportedFormat, "\(path) has snapshot version \(record["version"]); this build reads version 1",
                    context: .init(path: path, expected: "1", found: record["version"].description))
            }
            guard let codec = record["codec"].stringValue, let created = record["created"].intValue,
                let generation = record["generation"].intValue, let sequence = record["sequence"].intValue,
                let tables = record["tableCount"].intValue, tables >= 0, let tableCount = Int(exactly: tables)
            else {
                throw SnapshotFormat.corrupt("_meta lacks codec, created, generation, sequence or tableCount", path)
            }
            self.init(
                codec: codec, createdMillis: created, generation: generation, sequence: sequence, tableCount: tableCount
            )
        }
    }

    /// What a table header says.
    struct TableHeader {
        var name: String
        var primaryKey: String
        var keyGenerator: String
        var keyState: Value
        var schema: Value
        var indexes: [IndexDefinition]
        var recordCount: Int

        var record: Record {
            [
                "name": .string(name), "primaryKey": .string(primaryKey), "keyGenerator": .string(keyGenerator),
                "keyState": keyState, "schema": schema,
                "indexes": .array(indexes.map(SnapshotFormat.value(of:))), "recordCount": .int(Int64(recordCount)),
            ]
        }

        init(
            name: String, primaryKey: String, keyGenerator: String, keyState: Value, schema: Value,
            indexes: [IndexDefinition], recordCount: Int
        ) {
            self.name = name
            self.primaryKey = primaryKey
            self.keyGenerator = keyGenerator
            self.keyState = keyState
            self.schema = schema
            self.indexes = indexes
            self.recordCount = recordCount
        }

        init(_ record: Record, path: String) throws(DictDBError) {
            guard let name = record["name"].stringValue, let primaryKey = record["primaryKey"].stringValue,
                let keyGenerator = record["keyGenerator"].stringValue, let indexValues = record["indexes"].arrayValue,
                let count = record["recordCount"].intValue, count >= 0, let recordCount = Int(exactly: count)
            else {
                throw SnapshotFormat.corrupt(
                    "a table header lacks name, primaryKey, keyGenerator, indexes or recordCount", path)
            }
            var indexes: [IndexDefinition] = []
            for value in indexValues { indexes.append(try SnapshotFormat.definition(from: value, path: path)) }
            self.init(
                name: name, primaryKey: primaryKey, keyGenerator: keyGenerator, keyState: record["keyState"],
                schema: record["schema"], indexes: indexes, recordCount: recordCount)
        }
    }

    static func value(of definition: IndexDefinition) -> Value {
        .object([
            "name": .string(definition.name), "fields": .array(definition.fields.map(Value.string)),
            "kind": .string(definition.kind), "unique": .bool(definition.unique),
            "options": .object(Record(definition.options.mapValues(Value.string))),
        ])
    }

    static func definition(from value: Value, path: String) throws(DictDBError) -> IndexDefinition {
        guard let record = value.objectValue, let name = record["name"].stringValue,
            let fieldValues = record["fields"].arrayValue, let kind = record["kind"].stringValue,
            let unique = record["unique"].boolValue
        else { throw corrupt("an index definition lacks name, fields, kind or unique", path) }
        var fields: [String] = []
        for field in fieldValues {
            guard let name = field.stringValue else { throw corrupt("an index field name is not a string", path) }
            fields.append(name)
        }
        var options: [String: String] = [:]
        for (key, option) in record["options"].objectValue ?? Record() {
            guard let text = option.stringValue else { throw corrupt("index option '\(key)' is not a string", path) }
            options[key] = text
        }
        return IndexDefinition(name: name, fields: fields, kind: kind, unique: unique, options: options)
    }

    static func corrupt(_ message: String, _ path: String) -> DictDBError {
        DictDBError(.corrupt, "\(path): \(message)", context: .init(path: path))
    }
}
