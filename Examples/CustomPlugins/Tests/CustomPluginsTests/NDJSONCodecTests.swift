import CustomPlugins
import DictDB
import Foundation
import Testing

@Suite struct NDJSONCodecTests {
    func sampleDatabase(registry: Registry) throws -> Database {
        let db = Database(registry: registry)
        let users = try db.createTable("users")
        try users.createIndex(on: "email", kind: "unique")
        try users.insertBatch([
            ["name": "Ada", "email": "ada@example.com", "score": 30103.0, "tags": ["math", "engines"]],
            ["name": "line\nbreak \"quoted\"", "email": "b@example.com", "score": 7, "nested": ["deep": [1, 2.5]]],
        ])
        try db.createTable("empty")
        return db
    }

    @Test func everyLineIsAJSONObjectThatToolsRead() throws {
        try withTemporaryDirectory { directory in
            let registry = try pluginRegistry()
            let path = directory + "/db.ndjson"
            try sampleDatabase(registry: registry).save(to: path, codec: "ndjson")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first == #"{"dictdb-ndjson":1}"#)
            #expect(lines.last == "")
            for line in lines.dropLast() {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object != nil, "\(line)")
            }
            let records = lines.filter { $0.hasPrefix(#"{"e":"record""#) }
            #expect(records.count == 2)
            #expect(records[0].contains(#""score":30103.0"#))
        }
    }

    @Test func aSnapshotRoundTripsThroughLoadAndTheCodecIsFoundFromTheFile() throws {
        try withTemporaryDirectory { directory in
            let registry = try pluginRegistry()
            let original = try sampleDatabase(registry: registry)
            for codec in ["ndjson", "ndjson+zstd", "ndjson+gzip"] {
                let path = directory + "/db.\(codec)"
                try original.save(to: path, codec: codec)
                let loaded = try Database.load(from: path, registry: registry)
                #expect(try loaded.table("users").allRecords() == original.table("users").allRecords(), "\(codec)")
                #expect(try loaded.table("users").select(where: Field("score") == 30103.0).count == 1)
                #expect(try loaded.table("users").allRecords()[0]["score"] == .double(30103.0))
                #expect(loaded.tableNames == original.tableNames)
            }
        }
    }

    @Test func aReaderWithoutThePluginGetsATypedErrorNamingTheFormats() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/db.ndjson"
            try sampleDatabase(registry: try pluginRegistry()).save(to: path, codec: "ndjson")
            expectError(.unsupportedFormat) { _ = try Database.load(from: path, registry: .standard) }
            expectError(.unknownPlugin) { _ = try Database.load(from: path, registry: .standard, codec: "ndjson") }
        }
    }

    @Test func lostRepeatedOrEditedLinesAreCorruptWithTheirOffset() throws {
        try withTemporaryDirectory { directory in
            let registry = try pluginRegistry()
            let path = directory + "/db.ndjson"
            try sampleDatabase(registry: registry).save(to: path, codec: "ndjson")
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            let recordLine = try #require(lines.firstIndex { $0.hasPrefix(#"{"e":"record""#) })
            var dropped = lines
            dropped.remove(at: recordLine)
            var repeated = lines
            repeated.insert(lines[recordLine], at: recordLine)
            var swapped = lines
            swapped.swapAt(recordLine, recordLine + 1)
            let edited = lines.map { $0.replacingOccurrences(of: "Ada", with: "Eve") }
            for (label, variant) in [
                ("dropped", dropped), ("repeated", repeated), ("swapped", swapped), ("edited", edited),
            ] {
                let bytes = Array((variant.joined(separator: "\n") + "\n").utf8)
                // The codec alone finds each at its line; a load through the engine fails too.
                do throws(DictDBError) {
                    let reader = try NDJSONSnapshotCodec(values: JSONCodec()).makeReader(
                        from: BufferSource(bytes), limits: .default)
                    while try reader.next() != nil {}
                    Issue.record("\(label): the codec read it")
                } catch {
                    #expect(error.code == .corrupt, "\(label): \(error)")
                    #expect(error.context.offset != nil, "\(label): \(error)")
                    #expect(error.message.contains("ndjson"), "\(label): \(error)")
                }
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                expectError(.corrupt) { _ = try Database.load(from: path, registry: registry) }
            }
        }
    }

    @Test func aDatabaseDirectoryJournalsThroughTheCodec() throws {
        try withTemporaryDirectory { directory in
            let registry = try pluginRegistry()
            let configuration = Configuration(codec: "ndjson", compressor: "zstd", syncPolicy: "every-64")
            let db = try Database.open(at: directory + "/db", configuration: configuration, registry: registry)
            let notes = try db.createTable("notes")
            for i in 0..<100 { try notes.insert(["i": .int(Int64(i)), "x": .double(Double(i) / 2)]) }
            try db.close(checkpointing: false)
            let reopened = try Database.open(at: directory + "/db", configuration: configuration, registry: registry)
            #expect(try reopened.table("notes").count(where: .all) == 100)
            #expect(try reopened.table("notes").get(5)?["x"] == .double(2))
            try reopened.close()
        }
    }
}
