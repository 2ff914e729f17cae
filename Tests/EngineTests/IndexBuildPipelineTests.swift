@_spi(Storage) import DictDBAPI
import Indexes
import Testing

@testable import Engine

/// The pipeline a snapshot's loader builds indexes with on a second thread: from records handed over in
/// batches (of any size, records of several shapes, fields missing), it builds indexes that answer exactly
/// as those `TableStorage.addIndex` builds from the same records; a unique index's repeated key fails the
/// build with the error `addIndex` gives; cancelling ends its thread.
@Suite struct IndexBuildPipelineTests {
    static let definitions = [
        IndexDefinition(name: "dept_hash", fields: ["dept"], kind: "hash"),
        IndexDefinition(name: "salary_sorted", fields: ["salary"], kind: "sorted"),
        IndexDefinition(name: "email_unique", fields: ["email"], kind: "hash", unique: true),
        IndexDefinition(name: "dept_age", fields: ["dept", "age"], kind: "composite"),
    ]

    static func emptyIndexes() throws -> [any TableIndex] {
        try definitions.map { definition throws(DictDBError) in
            try makeTestRegistry().indexKind(named: definition.kind).makeIndex(definition)
        }
    }

    /// `count` records with unique ids and e-mails (some null), of three shapes: all fields, fields in
    /// another order, and records missing the salary or the age.
    static func records(count: Int, rng: inout SplitMix64) -> [Record] {
        let depts: [Value] = ["eng", "ops", "sales", 1, .double(1.0), .null]
        return (0..<count).map { i in
            let dept = rng.pick(depts)
            let salary: Value =
                rng.chance(0.5) ? .int(Int64(rng.int(-50...50))) : .double(Double(rng.int(-20...20)) / 4)
            let email: Value = rng.chance(0.1) ? .null : .string("user\(i)@example.com")
            let age = Value.int(Int64(rng.int(18...25)))
            switch rng.int(0...2) {
            case 0: return ["id": .int(Int64(i)), "dept": dept, "salary": salary, "email": email, "age": age]
            case 1: return ["age": age, "email": email, "id": .int(Int64(i)), "dept": dept, "salary": salary]
            default:
                return rng.chance(0.5)
                    ? ["id": .int(Int64(i)), "dept": dept, "email": email] : ["id": .int(Int64(i)), "age": age]
            }
        }
    }

    /// The records stored as a loader stores them, and batches of random sizes built from what storing
    /// returns, as the loader builds them.
    static func storedAndBatched(
        _ records: [Record], rng: inout SplitMix64
    ) -> (storage: TableStorage, batches: [IndexBuildPipeline.Batch]) {
        var storage = TableStorage(primaryKey: "id", keyState: .null)
        var batches: [IndexBuildPipeline.Batch] = []
        var batch = IndexBuildPipeline.Batch(firstRow: 0)
        var limit = rng.int(1...300)
        for record in records {
            guard let stored = storage.appendWithoutIndexes(record, newKey: record["id"]) else {
                Issue.record("record \(record) was not stored")
                continue
            }
            batch.append(stored.values, fieldNames: stored.newShape || batch.isEmpty ? storage.shape : nil)
            if batch.values.count >= limit {
                batches.append(batch)
                batch = IndexBuildPipeline.Batch(firstRow: storage.rows.count)
                limit = rng.int(1...300)
            }
        }
        batches.append(batch)
        return (storage, batches)
    }

    /// Every key of `records` in an index over `definition`'s fields, and some that no record has.
    static func probes(_ records: [Record], _ definition: IndexDefinition) -> [Value] {
        Array(Set(records.map { definition.key(for: $0) })) + ["absent", 1_000, ["eng", 99]]
    }

    static func expectSameAnswers(
        _ built: any TableIndex, _ expected: any TableIndex, records: [Record], _ comment: Comment
    ) {
        let definition = expected.definition
        #expect(built.definition == definition, comment)
        #expect(built.statistics.entries == expected.statistics.entries, comment)
        #expect(built.statistics.distinctKeys == expected.statistics.distinctKeys, comment)
        var predicates = probes(records, definition).map { IndexPredicate.equal($0) }
        predicates.append(.range(lower: RangeBound(-3, inclusive: true), upper: RangeBound(2.5, inclusive: false)))
        for predicate in predicates {
            #expect(
                built.rows(matching: predicate)?.sorted() == expected.rows(matching: predicate)?.sorted(),
                "\(comment) \(definition.name) \(predicate)")
        }
    }

    @Test(arguments: [1, 2, 3])
    func theBuiltIndexesAnswerAsThoseAddIndexBuilds(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let records = Self.records(count: 3_000, rng: &rng)
        let (storage, batches) = Self.storedAndBatched(records, rng: &rng)

        let pipeline = try #require(
            IndexBuildPipeline(indexes: try Self.emptyIndexes(), table: "t", expectedRecords: records.count))
        defer { pipeline.cancel() }
        for batch in batches { pipeline.submit(batch) }
        let built = try pipeline.finish()

        var reference = storage
        for index in try Self.emptyIndexes() { try reference.addIndex(index, table: "t") }
        #expect(built.count == reference.indexes.count)
        for (index, expected) in zip(built, reference.indexes) {
            Self.expectSameAnswers(index, expected, records: records, "seed \(seed)")
        }
    }

    @Test func eachBatchDerivesTheKeysIndexDefinitionDerives() {
        var rng = SplitMix64(seed: 9)
        let records = Self.records(count: 500, rng: &rng)
        let (_, batches) = Self.storedAndBatched(records, rng: &rng)
        #expect(batches.contains { $0.shapes.count > 1 }, "some batch mixes shapes")
        for definition in Self.definitions {
            var keys: [Value] = []
            var rows: [RowID] = []
            for batch in batches {
                batch.forEachKey(fields: definition.fields) { key, row in
                    keys.append(key)
                    rows.append(row)
                }
            }
            #expect(rows == Array(records.indices), "\(definition.name)")
            #expect(keys == records.map { definition.key(for: $0) }, "\(definition.name)")
        }
    }

    @Test func aRepeatedKeyOfAUniqueIndexFailsAsAddIndexFails() throws {
        var rng = SplitMix64(seed: 4)
        var records = Self.records(count: 2_000, rng: &rng)
        records[1_500] = ["id": 1_500, "email": "twice@example.com"]
        records[1_900] = ["id": 1_900, "email": "twice@example.com"]
        let (storage, batches) = Self.storedAndBatched(records, rng: &rng)

        let pipeline = try #require(
            IndexBuildPipeline(indexes: try Self.emptyIndexes(), table: "t", expectedRecords: records.count))
        defer { pipeline.cancel() }
        for batch in batches { pipeline.submit(batch) }
        let error = #expect(throws: DictDBError.self) { try pipeline.finish() }

        var reference = storage
        let unique = try Self.emptyIndexes()[2]
        let expected = #expect(throws: DictDBError.self) { try reference.addIndex(unique, table: "t") }
        #expect(error?.code == .uniqueViolation)
        #expect(error?.message == expected?.message)
        #expect(error?.context.index == "email_unique")
        #expect(error?.context.key == "twice@example.com")
    }

    @Test func cancellingEndsTheThreadAndCancellingAgainDoesNothing() throws {
        var rng = SplitMix64(seed: 5)
        let records = Self.records(count: 1_000, rng: &rng)
        let (_, batches) = Self.storedAndBatched(records, rng: &rng)
        let pipeline = try #require(
            IndexBuildPipeline(indexes: try Self.emptyIndexes(), table: "t", expectedRecords: 10_000))
        for batch in batches.prefix(batches.count / 2) { pipeline.submit(batch) }
        pipeline.cancel()
        pipeline.cancel()
        // A pipeline cancelled before any batch, too.
        try #require(IndexBuildPipeline(indexes: try Self.emptyIndexes(), table: "t", expectedRecords: 0)).cancel()
    }

    @Test func anEmptyTableGivesEmptyIndexes() throws {
        let pipeline = try #require(
            IndexBuildPipeline(indexes: try Self.emptyIndexes(), table: "t", expectedRecords: 0))
        pipeline.submit(IndexBuildPipeline.Batch(firstRow: 0))
        let built = try pipeline.finish()
        #expect(built.map(\.definition) == Self.definitions)
        #expect(built.allSatisfy { $0.statistics.entries == 0 })
        pipeline.cancel()
    }

    @Test func aRefusedThreadGivesNoPipeline() throws {
        var started = 0
        let pipeline = IndexBuildPipeline(indexes: try Self.emptyIndexes(), table: "t", expectedRecords: 10_000) {
            _ in
            started += 1
            return nil
        }
        #expect(pipeline == nil)
        #expect(started == 1)
    }
}
