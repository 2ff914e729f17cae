import DictDBAPI
import Engine
import Indexes
import PropertyBased
import Testing

/// Plan against scan against model (DESIGN §2): on random tables of mixed-kind fields and random conditions,
/// a table with hash, sorted, composite and unique indexes answers exactly what a table without indexes
/// answers, and both equal a plain Swift filter over the inserted records in insertion order (also with
/// ordering, paging, distinct and projection, against a model of those steps). Wrapping a condition in
/// one-element ANDs must not change its answer. Random mutation sequences keep an indexed table, a scanned
/// table and a `[Record]` model equal after every step, failures included.
///
/// Each case is generated from its inputs (a seed and a size): the records, conditions and operations all
/// come from a ``SplitMix64`` started at the seed. On failure PropertyBased prints the inputs and a
/// `.fixedSeed(...)` trait that replays the case; the expectation messages name the seed and the condition.
@Suite struct PlannerEquivalenceTests {
    @Test func indexPlansSelectAndCountExactlyWhatAScanAndTheModelSelect() async throws {
        var equalityLeaves = 0
        var equalityLeavesServedByIndex = 0
        await propertyCheck(count: 120, input: Gen<UInt64>.uint64(), Gen.int(in: 0...200)) { seed, size in
            var rng = SplitMix64(seed: seed)
            let tables = try LoadedTables(size: size, rng: &rng)
            let maker = ConditionMaker(records: tables.model, indexedFields: tables.indexedFields)
            for _ in 0..<16 {
                let condition = maker.condition(depth: 3, rng: &rng)
                let expected = tables.model.filter { condition.matches($0) }
                let label = "seed \(seed), size \(size), where \(sql(condition))"
                let query = Query(condition)
                #expect(render(try tables.indexed.select(query)) == render(expected), "indexed: \(label)")
                #expect(render(try tables.scanned.select(query)) == render(expected), "scanned: \(label)")
                #expect(try tables.indexed.count(where: condition) == expected.count, "indexed count: \(label)")
                #expect(try tables.scanned.count(where: condition) == expected.count, "scanned count: \(label)")
                // Wrapping in one-element ANDs changes nothing.
                let wrapped = Condition.and([.and([condition])])
                #expect(render(try tables.indexed.select(where: wrapped)) == render(expected), "wrapped: \(label)")

                let indexedPlan = try tables.indexed.explain(query)
                let scannedPlan = try tables.scanned.explain(query)
                if let field = equalityOrInField(condition) {
                    if field == "id" {
                        #expect(!indexedPlan.isFullScan && !scannedPlan.isFullScan, "key lookup: \(label)")
                    } else if tables.indexedFields.contains(field) {
                        equalityLeaves += 1
                        if !indexedPlan.isFullScan { equalityLeavesServedByIndex += 1 }
                        #expect(!indexedPlan.isFullScan, "index not used: \(label) -> \(indexedPlan)")
                    }
                }
                if !condition.fields.contains("id") {
                    #expect(scannedPlan.isFullScan, "a table without indexes planned \(scannedPlan): \(label)")
                }
            }
        }
        #expect(equalityLeaves > 50)
        #expect(equalityLeavesServedByIndex == equalityLeaves)
    }

    @Test func orderingPagingDistinctAndProjectionMatchTheModel() async throws {
        await propertyCheck(count: 100, input: Gen<UInt64>.uint64(), Gen.int(in: 0...200)) { seed, size in
            var rng = SplitMix64(seed: seed)
            let tables = try LoadedTables(size: size, rng: &rng)
            let maker = ConditionMaker(records: tables.model, indexedFields: tables.indexedFields)
            for _ in 0..<10 {
                let query = maker.shapedQuery(maker.condition(depth: 2, rng: &rng), rng: &rng)
                let expected = QueryModel.run(query, over: tables.model)
                let label = "seed \(seed), size \(size), \(describe(query))"
                #expect(render(try tables.indexed.select(query)) == render(expected), "indexed: \(label)")
                #expect(render(try tables.scanned.select(query)) == render(expected), "scanned: \(label)")
            }
        }
    }

    @Test func equalityInAndOrOfIndexedFieldsAreServedByIndexesWithTheScanAnswer() async throws {
        await propertyCheck(count: 60, input: Gen<UInt64>.uint64(), Gen.int(in: 1...200)) { seed, size in
            var rng = SplitMix64(seed: seed)
            let fixed = [(["a"], "hash"), (["s"], "sorted"), (["a", "b"], "composite")]
            let tables = try LoadedTables(size: size, rng: &rng, indexes: fixed)
            let a = tables.model.map { $0["a"] }
            let s = tables.model.map { $0["s"] }
            let conditions: [Condition] = [
                Field("a") == rng.pick(a),
                Field("s").in([rng.pick(s), rng.pick(a), .null]),
                Field("a") == rng.pick(a) || Field("s") == rng.pick(s),
                Field("a").isNull && Field("t") != rng.pick(a),
                Field("u") == rng.pick(tables.model)["u"],
                Field("id").in([rng.pick(tables.model)["id"], .double(1), "k0"]),
            ]
            for condition in conditions {
                let label = "seed \(seed), size \(size), where \(sql(condition))"
                let plan = try tables.indexed.explain(Query(condition))
                #expect(!plan.isFullScan, "\(label) -> \(plan)")
                let expected = tables.model.filter { condition.matches($0) }
                #expect(render(try tables.indexed.select(where: condition)) == render(expected), "\(label)")
                #expect(render(try tables.scanned.select(where: condition)) == render(expected), "\(label)")
            }
        }
    }

    @Test func mutationSequencesKeepIndexedAndScannedTablesEqualToTheModel() async throws {
        await propertyCheck(count: 60, input: Gen<UInt64>.uint64(), Gen.int(in: 1...40)) { seed, steps in
            var rng = SplitMix64(seed: seed)
            var run = MutationRun(seed: seed)
            try run.run(steps: steps, rng: &rng)
        }
    }
}

// MARK: - Regressions

extension PlannerEquivalenceTests {
    /// A LIKE wrapped in one-element ANDs used to be dropped from the filter after a prefix index lookup.
    @Test func aLikeInsideAOneElementAndIsStillCheckedAfterAPrefixIndexLookup() throws {
        let table = try Database(registry: makeRegistry()).createTable("t")
        try table.createIndex(on: "s", kind: "sorted")
        try table.insertBatch([["s": "abc"], ["s": "axc"], ["s": "abd"], ["s": "b"]])
        let condition = Condition.and([.and([Field("s").like("a_c")])])
        #expect(try table.select(where: condition).map { $0["s"] } == ["abc", "axc"])
        #expect(try table.count(where: condition) == 2)
        #expect(try table.delete(where: condition) == 2)
        #expect(try table.allRecords().map { $0["s"] } == ["abd", "b"])
    }
}

// MARK: - Values and records

/// The values fields take: small ints, doubles equal to ints and fractional ones, numbers where Int64 and
/// Double part ways, strings sharing prefixes in mixed case (with LIKE wildcards and escapes inside, `é` both
/// precomposed and decomposed, U+10FFFF), null, bools, small arrays and objects.
private enum Pool {
    static let numbers: [Value] = [
        -2, 0, 1, 2, 3, 5, .double(-2), .double(0), .double(1), .double(3), .double(-0.5), .double(0.5), .double(1.5),
        .double(2.25), .double(-0.0),
    ]
    /// Where Int64 and Double part ways: 2^53 + 1 has no double, 2^63 no Int64; -2^63 is both.
    static let extremes: [Value] = [
        .int(.max), .int(.min), .double(9_223_372_036_854_775_808.0), .double(-9_223_372_036_854_775_808.0),
        .int(9_007_199_254_740_993), .double(9_007_199_254_740_992.0), .double(1e300),
    ]
    static let strings: [Value] = [
        "", "a", "ab", "abc", "abd", "Ab", "AB", "ABC", "b", "ba", "bab", "a%c", "a_c", "a!b", "x\\y", "Éa", "éa",
        "a b", "e", "ea", "\u{E9}", "e\u{301}", "e\u{301}a", "\u{E9}b", "a\u{10FFFF}", "a\u{10FFFF}\u{10FFFF}b",
    ]
    static let others: [Value] = [.null, false, true]
    static let arrays: [Value] = [[], [1], [1, "a"], ["a", "b"], [.double(1), 2], [.null], ["A"], [["k": 1]]]
    static let objects: [Value] = [["k": 1], ["k": .double(1)], [:]]

    /// A value of any kind, leaning to numbers (`lean: "n"`), strings (`"s"`) or neither (`" "`).
    static func value(_ rng: inout SplitMix64, lean: Character = " ") -> Value {
        let roll = rng.int(0...99)
        switch lean {
        case "n" where roll < 5, " " where roll < 3: return rng.pick(extremes)
        case "n" where roll < 60, " " where roll < 35: return rng.pick(numbers)
        case "s" where roll < 60, " " where roll < 70: return rng.pick(strings)
        default: break
        }
        switch roll % 10 {
        case 0...4: return rng.pick(others)
        case 5...7: return rng.pick(numbers + strings)
        case 8: return rng.pick(arrays)
        default: return rng.pick(rng.chance(0.7) ? arrays : objects)
        }
    }
}

/// Assigns keys the way the auto-increment generator does: the next integer after the largest integer key
/// seen; explicit keys are kept as given and move the counter past integral ones.
private struct KeyModel {
    var counter: Int64 = 0

    mutating func observe(_ key: Value) {
        if let k = key.intValue, k > counter { counter = k }
    }

    /// The key a record gets and the record as the table stores it.
    mutating func assign(_ record: Record) -> (key: Value, stored: Record) {
        let explicit = record["id"]
        if !explicit.isNull {
            observe(explicit)
            return (explicit, record)
        }
        counter += 1
        let key = Value.int(counter)
        return (key, Record(fields: [("id", key)] + record.filter { $0.0 != "id" }))
    }
}

/// Records for the equivalence tables: fields `a` (numeric lean), `b`, `s` (textual lean), `t`, each missing
/// now and then, `u` distinct (or null or missing), and sometimes an explicit key of another kind.
private struct RecordMaker {
    private var usedBoolKey = false

    mutating func record(_ i: Int, rng: inout SplitMix64) -> Record {
        var fields: [(String, Value)] = []
        for (name, lean) in [("a", "n"), ("b", " "), ("s", "s"), ("t", " ")] as [(String, Character)]
        where !rng.chance(0.12) {
            fields.append((name, Pool.value(&rng, lean: lean)))
        }
        switch rng.int(0...4) {
        case 0: fields.append(("u", .int(Int64(1000 + i))))
        case 1: fields.append(("u", .string("u\(i)")))
        case 2: fields.append(("u", .double(Double(i) + 0.25)))
        case 3: fields.append(("u", .null))
        default: break
        }
        if rng.chance(0.3) { fields.shuffle(using: &rng) }
        if rng.chance(0.2) {
            fields.insert(("id", explicitKey(i, rng: &rng)), at: rng.int(0...fields.count))
        } else if rng.chance(0.05) {
            fields.insert(("id", .null), at: rng.int(0...fields.count))
        }
        return Record(fields: fields)
    }

    /// Keys outside the auto-increment range, so they never collide: negative, fractional, text, arrays, a bool.
    private mutating func explicitKey(_ i: Int, rng: inout SplitMix64) -> Value {
        switch rng.int(0...5) {
        case 0: return .int(Int64(-1 - i))
        case 1: return .double(Double(i) + 0.5)
        case 2: return .double(Double(-1000 - i))
        case 3: return .array([.int(Int64(i))])
        case 4 where !usedBoolKey:
            usedBoolKey = true
            return .bool(true)
        default: return .string("k\(i)")
        }
    }
}

// MARK: - Tables

/// The same records in two tables of one database: `indexed` with hash, sorted and composite indexes on random
/// fields and a unique index on `u`, `scanned` with no index at all; plus the model, the inserted records in
/// insertion order.
private struct LoadedTables {
    let indexed: Table
    let scanned: Table
    let model: [Record]
    /// The fields with a single-field secondary index on `indexed` (`u` included).
    let indexedFields: Set<String>

    init(size: Int, rng: inout SplitMix64, indexes: [(fields: [String], kind: String)]? = nil) throws {
        let db = Database(registry: makeRegistry())
        indexed = try db.createTable("indexed")
        scanned = try db.createTable("scanned")
        // Per field: no index, hash, sorted, or both; sometimes a two-field composite or sorted index; always
        // a unique index on `u`.
        var definitions: [(fields: [String], kind: String)] = []
        if let indexes {
            definitions = indexes
        } else {
            for field in ["a", "b", "s", "t", "id", "u"] {
                let roll = rng.int(0...99)
                if roll >= 40 && roll < 70 || roll >= 85 { definitions.append(([field], "sorted")) }
                if roll >= 70 && field != "u" { definitions.append(([field], "hash")) }
            }
            if rng.chance(0.5) {
                let pair = Array(["a", "b", "s", "t"].shuffled(using: &rng).prefix(2))
                definitions.append((pair, rng.chance(0.7) ? "composite" : "sorted"))
            }
        }
        if definitions.allSatisfy({ $0.fields.count > 1 }) { definitions.append((["a"], "hash")) }
        definitions.append((["u"], "unique"))
        indexedFields = Set(definitions.filter { $0.fields.count == 1 }.map { $0.fields[0] })
        let indexesFirst = rng.chance(0.5)
        if indexesFirst { try Self.addIndexes(definitions, to: indexed) }

        var maker = RecordMaker()
        var keys = KeyModel()
        var model: [Record] = []
        var position = 0
        while position < size {
            let chunkSize = rng.chance(0.5) ? 1 : rng.int(2...20)
            var chunk: [Record] = []
            while chunk.count < chunkSize && position < size {
                chunk.append(maker.record(position, rng: &rng))
                position += 1
            }
            var expectedKeys: [Value] = []
            for record in chunk {
                let (key, stored) = keys.assign(record)
                expectedKeys.append(key)
                model.append(stored)
            }
            for table in [indexed, scanned] {
                let got = try chunk.count == 1 ? [table.insert(chunk[0])] : table.insertBatch(chunk)
                #expect(render(got) == render(expectedKeys), "keys returned by \(table.name)")
            }
        }
        if !indexesFirst { try Self.addIndexes(definitions, to: indexed) }
        self.model = model
        #expect(render(try indexed.allRecords()) == render(model))
        #expect(render(try scanned.allRecords()) == render(model))
    }

    private static func addIndexes(_ definitions: [(fields: [String], kind: String)], to table: Table) throws {
        for definition in definitions { try table.createIndex(on: definition.fields, kind: definition.kind) }
    }
}

/// A registry with the built-in index kinds and the auto-increment generator (no umbrella module here).
private func makeRegistry() -> Registry {
    var registry = Registry()
    registry.register(indexKind: HashIndexKind())
    registry.register(indexKind: UniqueIndexKind())
    registry.register(indexKind: SortedIndexKind())
    registry.register(indexKind: CompositeIndexKind())
    registry.register(keyGenerator: AutoIncrementKeyGenerator())
    return registry
}

// MARK: - Conditions and queries

/// Random conditions over every operator, with operands drawn half from the data (so they match) and half
/// from the pools; numbers sometimes switch between `3` and `3.0`.
private struct ConditionMaker {
    static let fields = ["id", "a", "b", "s", "t", "u", "zz"]
    private let present: [Value]
    private let presentStrings: [String]
    /// Fields with an index: half of the leaves use one, since that is where plans differ from scans.
    private let indexedFields: [String]

    init(records: [Record], indexedFields: Set<String> = []) {
        present = records.flatMap { $0.values }
        presentStrings = present.compactMap(\.stringValue)
        self.indexedFields = indexedFields.sorted()
    }

    func condition(depth: Int, rng: inout SplitMix64) -> Condition {
        anyCondition(depth: depth, rng: &rng)
    }

    private func anyCondition(depth: Int, rng: inout SplitMix64) -> Condition {
        if depth == 0 || rng.chance(0.4) { return leaf(&rng) }
        if rng.chance(0.15) { return indexFriendlyConjunction(&rng) }
        if rng.chance(0.12) {
            // A one-element AND, as programmatic builders make (`.and(filters)` with one filter).
            return .and([condition(depth: depth - 1, rng: &rng)])
        }
        let roll = rng.int(0...19)
        if roll == 0 { return rng.chance(0.5) ? .and([]) : .or([]) }
        if roll >= 16 { return .not(condition(depth: depth - 1, rng: &rng)) }
        var parts: [Condition] = []
        for _ in 0..<rng.int(1...3) { parts.append(condition(depth: depth - 1, rng: &rng)) }
        if roll >= 13 {
            // Through the DSL operators, which flatten and drop `.all`.
            return parts.dropFirst().reduce(parts[0]) { roll.isMultiple(of: 2) ? $0 && $1 : $0 || $1 }
        }
        return roll.isMultiple(of: 2) ? .and(parts) : .or(parts)
    }

    func operand(_ rng: inout SplitMix64) -> Value {
        var value = !present.isEmpty && rng.chance(0.5) ? rng.pick(present) : Pool.value(&rng)
        if rng.chance(0.25) {
            switch value {
            case .int(let i): value = .double(Double(i))
            case .double(let d): value = Int64(exactly: d).map(Value.int) ?? value
            default: break
            }
        }
        return value
    }

    /// Equalities (or `isNull`) on zero to two fields and one or two ranges on another, as composite indexes
    /// and range merging serve them, sometimes with one more random conjunct.
    private func indexFriendlyConjunction(_ rng: inout SplitMix64) -> Condition {
        let fields = ["a", "b", "s", "t", "id"].shuffled(using: &rng)
        var parts: [Condition] = []
        for field in fields.prefix(rng.int(0...2)) {
            parts.append(
                rng.chance(0.85) ? .comparison(field: field, op: .equal, value: operand(&rng)) : .isNull(field: field))
        }
        let field = fields[parts.count]
        let (low, high) = sameKindPair(&rng)
        let lower = Condition.comparison(field: field, op: rng.pick([.greater, .greaterOrEqual]), value: low)
        let upper = Condition.comparison(field: field, op: rng.pick([.less, .lessOrEqual]), value: high)
        switch rng.int(0...4) {
        case 0: parts.append(lower)
        case 1: parts.append(upper)
        case 2: parts += [lower, upper]
        case 3: parts += [lower, upper, .comparison(field: field, op: .lessOrEqual, value: operand(&rng))]
        default: parts.append(.between(field: field, lower: low, upper: high))
        }
        if rng.chance(0.3) { parts.append(leaf(&rng)) }
        parts.shuffle(using: &rng)
        return .and(parts)
    }

    /// Two operands, usually of one kind and in order.
    private func sameKindPair(_ rng: inout SplitMix64) -> (Value, Value) {
        let first = operand(&rng)
        var second = operand(&rng)
        for _ in 0..<6 where second.kind != first.kind && rng.chance(0.8) { second = operand(&rng) }
        if Value.compare(first, second) > 0 && rng.chance(0.8) { return (second, first) }
        return (first, second)
    }

    private func leaf(_ rng: inout SplitMix64) -> Condition {
        let field = !indexedFields.isEmpty && rng.chance(0.5) ? rng.pick(indexedFields) : rng.pick(Self.fields)
        switch rng.int(0...19) {
        case 0...3:
            return .comparison(field: field, op: .equal, value: operand(&rng))
        case 4...7:
            return .comparison(field: field, op: rng.pick(ComparisonOperator.allCases), value: operand(&rng))
        case 8...9:
            return .isIn(field: field, values: (0..<rng.int(0...4)).map { _ in operand(&rng) })
        case 10:
            var lower = operand(&rng)
            var upper = operand(&rng)
            if lower.kind == upper.kind && Value.compare(lower, upper) > 0 && rng.chance(0.7) {
                swap(&lower, &upper)
            }
            return .between(field: field, lower: lower, upper: upper)
        case 11...12:
            let (pattern, escape) = likePattern(&rng)
            return .like(field: field, pattern: pattern, escape: escape, caseInsensitive: rng.chance(0.4))
        case 13...14:
            return .stringMatch(
                field: field, match: rng.chance(0.5) ? .prefix : .suffix, text: affix(&rng),
                caseInsensitive: rng.chance(0.4))
        case 15...16:
            let element = rng.chance(0.5) ? .string(affix(&rng)) : operand(&rng)
            return .contains(field: field, element: element, caseInsensitive: rng.chance(0.4))
        case 17:
            return .isNull(field: field)
        case 18:
            return .isNotNull(field: field)
        default:
            return rng.chance(0.2) ? .all : Field(field) != operand(&rng)
        }
    }

    /// A LIKE pattern and escape: derived from a stored string (wildcards escaped, some characters turned
    /// into `_`, a `%` added, the case flipped), or built from literal, wildcard and escaped tokens.
    private func likePattern(_ rng: inout SplitMix64) -> (String, Character?) {
        let escape: Character? = rng.pick([nil, "!", "\\"])
        var pattern = ""
        if !presentStrings.isEmpty && rng.chance(0.5) {
            for c in rng.pick(presentStrings) {
                if let escape, c == "%" || c == "_" || c == escape {
                    pattern += "\(escape)\(c)"
                } else {
                    pattern += rng.chance(0.15) ? "_" : "\(c)"
                }
            }
            switch rng.int(0...4) {
            case 0: pattern += "%"
            case 1: pattern = "%" + pattern
            case 2: pattern = String(pattern.prefix(rng.int(0...pattern.count))) + "%"
            case 3: pattern = pattern.uppercased()
            default: break
            }
            return (pattern, escape)
        }
        var tokens = ["a", "b", "A", "c", "É", "é", "%", "_", "%", " "]
        if let escape { tokens += ["\(escape)%", "\(escape)_", "\(escape)\(escape)", "\(escape)a"] }
        for _ in 0..<rng.int(0...5) { pattern += rng.pick(tokens) }
        return (pattern, escape)
    }

    /// Text for prefix, suffix and substring tests: a piece of a stored string (case flipped at times).
    private func affix(_ rng: inout SplitMix64) -> String {
        if presentStrings.isEmpty || rng.chance(0.4) {
            return rng.pick(["", "a", "A", "ab", "AB", "b", "c", "é", "É", "%", "_", "\\"])
        }
        let s = Array(rng.pick(presentStrings))
        let start = rng.int(0...s.count)
        let end = rng.int(start...s.count)
        let piece = String(s[start..<end])
        return rng.chance(0.3) ? piece.uppercased() : piece
    }

    /// Adds random ordering, projection (with aliases and a field projected twice), distinct and paging.
    func shapedQuery(_ condition: Condition, rng: inout SplitMix64) -> Query {
        var query = Query(condition)
        switch rng.int(0...99) {
        case 0...34:
            // One key: a sorted index on the field can serve it by walking in order.
            query = query.orderBy(SortKey(rng.pick(Self.fields), descending: rng.chance(0.5)))
        case 35...49:
            // Two keys in one direction: a composite index on them can serve it.
            let descending = rng.chance(0.5)
            let pair = ["a", "b", "s", "t"].shuffled(using: &rng).prefix(2)
            query = query.orderBy(pair.map { SortKey($0, descending: descending) })
        case 50...74:
            let keys = (0..<rng.int(1...3)).map { _ in SortKey(rng.pick(Self.fields), descending: rng.chance(0.5)) }
            query = query.orderBy(keys)
        default:
            break
        }
        if rng.chance(0.6) {
            var projected: [ProjectedField] = []
            for field in Self.fields.shuffled(using: &rng).prefix(rng.int(1...3)) {
                projected.append(ProjectedField(field, as: rng.chance(0.3) ? "p_\(field)" : nil))
            }
            if rng.chance(0.15) { projected.append(ProjectedField(projected[0].field, as: "again")) }
            query = query.select(projected)
        }
        return
            query
            .distinct(rng.chance(0.4))
            .offset(rng.pick([-3, 0, 0, 0, 1, 2, 5, 40, Int.max]))
            .limit(rng.pick([nil, nil, -1, 0, 1, 3, 10, 1000, Int.max]))
    }
}

/// Filter, stable sort (nulls first ascending, last descending), projection, distinct (by `==`, keeping the
/// first), then offset (negative = 0) and limit (nil or negative = all): the documented query semantics,
/// written out plainly.
private enum QueryModel {
    static func run(_ query: Query, over records: [Record]) -> [Record] {
        var rows = records.filter { query.condition.matches($0) }
        if !query.ordering.isEmpty {
            let keyed = rows.map { row in (keys: query.ordering.map { row[$0.field] }, row: row) }
            rows = insertionSorted(keyed) { lhs, rhs in
                for (i, key) in query.ordering.enumerated() {
                    let c = Value.compare(lhs[i], rhs[i])
                    if c != 0 { return key.descending ? c > 0 : c < 0 }
                }
                return false
            }
        }
        if let projection = query.projection {
            rows = rows.map { row in Record(fields: projection.map { ($0.alias ?? $0.field, row[$0.field]) }) }
        }
        if query.isDistinct {
            var kept: [Record] = []
            for row in rows where !kept.contains(row) { kept.append(row) }
            rows = kept
        }
        rows = Array(rows.dropFirst(max(query.offsetCount, 0)))
        if let limit = query.limitCount, limit >= 0 { rows = Array(rows.prefix(limit)) }
        return rows
    }

    /// A stable sort by construction: each row goes after every row not greater than it (found by binary
    /// search over the rows placed so far).
    private static func insertionSorted(
        _ rows: [(keys: [Value], row: Record)], by less: ([Value], [Value]) -> Bool
    ) -> [Record] {
        var sorted: [(keys: [Value], row: Record)] = []
        sorted.reserveCapacity(rows.count)
        for row in rows {
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if less(row.keys, sorted[middle].keys) { high = middle } else { low = middle + 1 }
            }
            sorted.insert(row, at: low)
        }
        return sorted.map { $0.row }
    }
}

// MARK: - Mutation sequences

/// The result of one operation, comparable across the engine and the model.
private enum Outcome: Equatable, CustomStringConvertible {
    case key(Value)
    case keys([Value])
    case count(Int)
    case flag(Bool)
    case upsert(UpsertOutcome)
    case failure(DictDBError.Code)

    var description: String {
        switch self {
        case .key(let key): return "key \(key)"
        case .keys(let keys): return "keys \(keys)"
        case .count(let n): return "count \(n)"
        case .flag(let b): return "\(b)"
        case .upsert(let outcome): return "\(outcome)"
        case .failure(let code): return "error \(code)"
        }
    }
}

/// One step of a mutation sequence.
private enum Operation: CustomStringConvertible {
    case insert(Record)
    case insertBatch([Record])
    case update(Record, Condition)
    case updateKey(Value, Record)
    case delete(Condition)
    case deleteKey(Value)
    case upsert(Record, UpsertConflictPolicy)
    /// Inserts this many filler records and deletes them again, which forces the storage to compact.
    case fillAndDelete(Int)

    var description: String {
        switch self {
        case .insert(let r): return "insert(\(r))"
        case .insertBatch(let rs): return "insertBatch(\(rs))"
        case .update(let changes, let c): return "update(set: \(changes), where: \(sql(c)))"
        case .updateKey(let key, let changes): return "update(key: \(key), set: \(changes))"
        case .delete(let c): return "delete(where: \(sql(c)))"
        case .deleteKey(let key): return "delete(key: \(key))"
        case .upsert(let r, let policy): return "upsert(\(r), onConflict: .\(policy))"
        case .fillAndDelete(let n): return "insertBatch(\(n) fillers); delete(where: filler == true)"
        }
    }

    func apply(to table: Table) -> [Outcome] {
        switch self {
        case .insert(let r): return [attempt { .key(try table.insert(r)) }]
        case .insertBatch(let rs): return [attempt { .keys(try table.insertBatch(rs)) }]
        case .update(let changes, let c): return [attempt { .count(try table.update(set: changes, where: c)) }]
        case .updateKey(let key, let changes): return [attempt { .flag(try table.update(key: key, set: changes)) }]
        case .delete(let c): return [attempt { .count(try table.delete(where: c)) }]
        case .deleteKey(let key): return [attempt { .flag(try table.delete(key: key)) }]
        case .upsert(let r, let policy): return [attempt { .upsert(try table.upsert(r, onConflict: policy)) }]
        case .fillAndDelete(let n):
            return [
                attempt { .keys(try table.insertBatch(Self.fillers(n))) },
                attempt { .count(try table.delete(where: Field("filler") == true)) },
            ]
        }
    }

    static func fillers(_ n: Int) -> [Record] {
        (0..<n).map { ["filler": true, "a": .int(Int64($0 % 7))] }
    }

    private func attempt(_ body: () throws -> Outcome) -> Outcome {
        do {
            return try body()
        } catch let error as DictDBError {
            return .failure(error.code)
        } catch {
            return .failure(DictDBError.Code(rawValue: "not a DictDBError: \(error)"))
        }
    }
}

/// The model: records in insertion order and the key counter; constraints checked as documented (primary
/// keys first across the whole change set, then the unique field `u`, where null is exempt).
private struct MutationModel {
    var records: [Record] = []
    var keys = KeyModel()

    func position(ofKey key: Value) -> Int? { records.firstIndex { $0["id"] == key } }

    func violation(_ changes: [(position: Int?, new: Record)]) -> DictDBError.Code? {
        let changed = Set(changes.compactMap(\.position))
        var keyHolder: [Value: Int] = [:]
        var uniqueHolders: [Value: [Int]] = [:]
        for (position, record) in records.enumerated() {
            keyHolder[record["id"]] = position
            if !record["u"].isNull { uniqueHolders[record["u"], default: []].append(position) }
        }
        var newKeys = Set<Value>()
        for change in changes {
            let key = change.new["id"]
            if !newKeys.insert(key).inserted { return .duplicateKey }
            if let holder = keyHolder[key], !changed.contains(holder) { return .duplicateKey }
        }
        var newUnique = Set<Value>()
        for change in changes where !change.new["u"].isNull {
            let u = change.new["u"]
            if !newUnique.insert(u).inserted { return .uniqueViolation }
            if uniqueHolders[u, default: []].contains(where: { !changed.contains($0) }) { return .uniqueViolation }
        }
        return nil
    }

    /// `.keys` with the assigned keys, or `.failure`.
    mutating func insert(_ batch: [Record]) -> Outcome {
        var keys = self.keys
        let assigned = batch.map { keys.assign($0) }
        if let code = violation(assigned.map { (nil, $0.stored) }) { return .failure(code) }
        records += assigned.map(\.stored)
        self.keys = keys
        return .keys(assigned.map(\.key))
    }

    mutating func update(_ changes: Record, where condition: Condition) -> Outcome {
        if let key = changes[field: "id"], key.isNull { return .failure(.invalidKey) }
        let matches = records.indices.filter { condition.matches(records[$0]) }
        if matches.isEmpty { return .count(0) }
        let planned = matches.map { (position: Optional($0), new: records[$0].merging(changes)) }
        if let code = violation(planned) { return .failure(code) }
        for change in planned {
            records[change.position!] = change.new
            if changes.hasField("id") { keys.observe(change.new["id"]) }
        }
        return .count(matches.count)
    }

    mutating func delete(where condition: Condition) -> Int {
        let before = records.count
        records.removeAll { condition.matches($0) }
        return before - records.count
    }

    mutating func upsert(_ record: Record, _ policy: UpsertConflictPolicy) -> Outcome {
        let key = record["id"]
        guard !key.isNull, let existing = position(ofKey: key) else {
            let outcome = insert([record])
            if case .keys(let keys) = outcome { return .upsert(.inserted(keys[0])) }
            return outcome
        }
        let new: Record
        switch policy {
        case .fail: return .failure(.duplicateKey)
        case .ignore: return .upsert(.ignored(key))
        case .merge: new = records[existing].merging(record)
        case .replace: new = record
        }
        if let code = violation([(existing, new)]) { return .failure(code) }
        records[existing] = new
        keys.observe(key)
        return .upsert(.updated(key))
    }

    mutating func apply(_ operation: Operation) -> [Outcome] {
        switch operation {
        case .insert(let r):
            let outcome = insert([r])
            if case .keys(let keys) = outcome { return [.key(keys[0])] }
            return [outcome]
        case .insertBatch(let rs):
            return [insert(rs)]
        case .update(let changes, let c):
            return [update(changes, where: c)]
        case .updateKey(let key, let changes):
            let outcome = update(changes, where: .comparison(field: "id", op: .equal, value: key))
            if case .count(let n) = outcome { return [.flag(n > 0)] }
            return [outcome]
        case .delete(let c):
            return [.count(delete(where: c))]
        case .deleteKey(let key):
            guard let existing = position(ofKey: key) else { return [.flag(false)] }
            records.remove(at: existing)
            return [.flag(true)]
        case .upsert(let r, let policy):
            return [upsert(r, policy)]
        case .fillAndDelete(let n):
            let inserted = insert(Operation.fillers(n))
            return [inserted, .count(delete(where: Field("filler") == true))]
        }
    }
}

/// Applies a random operation sequence to an indexed table (hash indexes on `a`, `b`, `id`, sorted ones on `a`
/// and `s`, a hash index on `a, b`, a composite index on `b, a`, unique `u`), a scanned table (only the unique
/// index on `u`, which the constraint needs) and the model, comparing outcomes, contents, key counters, index
/// statistics and indexed queries (filters, ranges, prefixes, ordered and limited) after each step.
private struct MutationRun {
    let seed: UInt64
    private var serial = 0

    init(seed: UInt64) { self.seed = seed }

    mutating func run(steps: Int, rng: inout SplitMix64) throws {
        let db = Database(registry: makeRegistry())
        let indexed = try db.createTable("indexed")
        for field in ["a", "b", "id"] { try indexed.createIndex(on: field) }
        try indexed.createIndex(on: "s", kind: "sorted")
        try indexed.createIndex(on: "a", kind: "sorted")
        try indexed.createIndex(on: ["a", "b"])
        try indexed.createIndex(on: ["b", "a"], kind: "composite")
        try indexed.createIndex(on: "u", kind: "unique")
        let scanned = try db.createTable("scanned")
        try scanned.createIndex(on: "u", kind: "unique")

        var model = MutationModel()
        var history: [String] = []
        for step in 0..<steps {
            let operation = makeOperation(model, rng: &rng)
            let expected = model.apply(operation)
            let fromIndexed = operation.apply(to: indexed)
            let fromScanned = operation.apply(to: scanned)
            history.append("\(operation) -> \(expected)")
            let label = "seed \(seed), step \(step):\n" + history.joined(separator: "\n")
            guard fromIndexed == expected, fromScanned == expected else {
                Issue.record("outcomes: indexed \(fromIndexed), scanned \(fromScanned); \(label)")
                return
            }
            guard try check(indexed, model, label: label, rng: &rng), try check(scanned, model, label: label, rng: &rng)
            else { return }
        }
    }

    /// Compares one table with the model; records one issue and returns false at the first difference.
    private func check(_ table: Table, _ model: MutationModel, label: String, rng: inout SplitMix64) throws -> Bool {
        let name = table.name
        guard render(try table.allRecords()) == render(model.records) else {
            Issue.record("\(name) contents \(try table.allRecords()) != model \(model.records); \(label)")
            return false
        }
        guard table.count == model.records.count, table.keyGeneratorState == .int(model.keys.counter) else {
            Issue.record("\(name) count \(table.count), key state \(table.keyGeneratorState); \(label)")
            return false
        }
        for (indexName, statistics) in try table.indexStatistics() {
            let definition = table.indexes.first { $0.name == indexName }!
            let keys = model.records.map { definition.key(for: $0) }
            guard statistics.entries == keys.count, statistics.distinctKeys == Set(keys).count else {
                Issue.record("\(name).\(indexName) statistics \(statistics), model keys \(keys); \(label)")
                return false
            }
        }
        let probes = probes(model, rng: &rng)
        for condition in probes {
            let expected = model.records.filter { condition.matches($0) }
            guard render(try table.select(where: condition)) == render(expected),
                try table.count(where: condition) == expected.count
            else {
                Issue.record("\(name) where \(sql(condition)): \(try table.select(where: condition)); \(label)")
                return false
            }
        }
        for query in orderedProbes(probes, rng: &rng) {
            let expected = QueryModel.run(query, over: model.records)
            guard render(try table.select(query)) == render(expected) else {
                Issue.record("\(name) \(describe(query)): \(try table.select(query)) != \(expected); \(label)")
                return false
            }
        }
        if name == "indexed", let equality = probes.first, try table.explain(Query(equality)).isFullScan {
            Issue.record("\(name) scanned for \(sql(equality)); \(label)")
            return false
        }
        return true
    }

    /// Equality and `in` on each indexed field with stored values, null and a pool value, plus a random one.
    private func probes(_ model: MutationModel, rng: inout SplitMix64) -> [Condition] {
        var probes: [Condition] = []
        for field in ["a", "b", "s", "u", "id"] {
            let stored = model.records.map { $0[field] }
            let value = stored.isEmpty || rng.chance(0.2) ? Pool.value(&rng) : rng.pick(stored)
            probes.append(Field(field) == value)
            probes.append(Field(field).in([value, .null, Pool.value(&rng)]))
        }
        let a = model.records.map { $0["a"] }.filter { $0.kind == .number }
        let s = model.records.compactMap { $0["s"].stringValue }
        let b = model.records.map { $0["b"] }
        let bound = a.isEmpty ? Value.int(1) : rng.pick(a)
        let text = s.isEmpty ? "a" : String(rng.pick(s).prefix(rng.int(0...2)))
        probes.append(Field("a") > bound)
        probes.append(Field("a").between(bound, Value.int(3)))
        probes.append(Field("s").hasPrefix(text))
        probes.append(Field("s").like(text + "%"))
        probes.append(Field("b") == (b.isEmpty ? .null : rng.pick(b)) && Field("a") >= bound)
        probes.append(ConditionMaker(records: model.records).condition(depth: 2, rng: &rng))
        return probes
    }

    /// Sorted and limited reads that an ordered index can serve by walking it: all rows and filtered ones.
    private func orderedProbes(_ probes: [Condition], rng: inout SplitMix64) -> [Query] {
        let descending = rng.chance(0.5)
        return [
            Query().orderBy(SortKey("s", descending: descending)).limit(rng.int(0...6)),
            Query().orderBy(SortKey("a", descending: descending)).offset(rng.int(0...3)).limit(4),
            Query(rng.pick(probes)).orderBy(SortKey("a", descending: descending)).limit(rng.int(1...5)),
            Query().orderBy(SortKey("b", descending: descending), SortKey("a", descending: descending)).limit(5),
            Query(rng.pick(probes)).orderBy("s").select("s").distinct(),
        ]
    }

    // MARK: Operation generation

    private mutating func makeOperation(_ model: MutationModel, rng: inout SplitMix64) -> Operation {
        let keys = model.records.map { $0["id"] }
        let existingKey = { (rng: inout SplitMix64) -> Value in keys.isEmpty ? .int(1) : rng.pick(keys) }
        switch rng.int(0...99) {
        case 0...24:
            return .insert(record(model, rng: &rng))
        case 25...34:
            return .insertBatch((0..<rng.int(0...4)).map { _ in record(model, rng: &rng) })
        case 35...49:
            return .update(changes(model, rng: &rng), target(model, rng: &rng))
        case 50...57:
            let key = rng.chance(0.85) ? existingKey(&rng) : freshKey(model, rng: &rng)
            return .updateKey(key, changes(model, rng: &rng))
        case 58...64:
            return .delete(target(model, rng: &rng))
        case 65...71:
            return .deleteKey(rng.chance(0.8) ? existingKey(&rng) : freshKey(model, rng: &rng))
        case 72...97:
            var r = record(model, rng: &rng)
            if rng.chance(0.7) { r["id"] = existingKey(&rng) }
            return .upsert(r, rng.pick(UpsertConflictPolicy.allCases))
        default:
            return .fillAndDelete(rng.int(1025...1040))
        }
    }

    private mutating func record(_ model: MutationModel, rng: inout SplitMix64) -> Record {
        var fields: [(String, Value)] = []
        for (name, lean) in [("a", "n"), ("b", " "), ("s", "s"), ("t", " ")] as [(String, Character)]
        where !rng.chance(0.15) {
            fields.append((name, Pool.value(&rng, lean: lean)))
        }
        if let u = uniqueValue(model, rng: &rng) { fields.append(("u", u)) }
        let roll = rng.int(0...99)
        if roll < 20, let existing = model.records.randomElement(using: &rng) {
            fields.append(("id", existing["id"]))
        } else if roll < 35 {
            fields.append(("id", freshKey(model, rng: &rng)))
        } else if roll < 40 {
            fields.append(("id", .null))
        }
        if rng.chance(0.3) { fields.shuffle(using: &rng) }
        return Record(fields: fields)
    }

    /// A new `u` (unique so far), a stored one (a conflict), null, or none.
    private mutating func uniqueValue(_ model: MutationModel, rng: inout SplitMix64) -> Value? {
        serial += 1
        switch rng.int(0...9) {
        case 0...4: return rng.chance(0.5) ? .int(Int64(5000 + serial)) : .string("v\(serial)")
        case 5...6: return model.records.map { $0["u"] }.filter { !$0.isNull }.randomElement(using: &rng) ?? .null
        case 7: return .null
        default: return nil
        }
    }

    /// A key no record has: past the counter (which moves it), text, fractional, or an integral double.
    private mutating func freshKey(_ model: MutationModel, rng: inout SplitMix64) -> Value {
        serial += 1
        switch rng.int(0...3) {
        case 0: return .int(model.keys.counter + Int64(rng.int(1...3)))
        case 1: return .string("k\(serial)")
        case 2: return .double(Double(serial) + 0.5)
        default: return .double(Double(model.keys.counter + 2))
        }
    }

    private mutating func changes(_ model: MutationModel, rng: inout SplitMix64) -> Record {
        var changes = Record()
        for _ in 0..<rng.int(1...2) {
            switch rng.int(0...11) {
            case 0...1: changes["a"] = Pool.value(&rng, lean: "n")
            case 2...3: changes["b"] = Pool.value(&rng)
            case 4...5: changes["s"] = Pool.value(&rng, lean: "s")
            case 6: changes["t"] = Pool.value(&rng)
            case 7...9: changes["u"] = uniqueValue(model, rng: &rng) ?? .null
            case 10:
                let existing = model.records.randomElement(using: &rng).map { $0["id"] } ?? .int(1)
                changes["id"] = rng.chance(0.5) ? freshKey(model, rng: &rng) : existing
            default:
                changes["id"] = rng.chance(0.2) ? .null : freshKey(model, rng: &rng)
            }
        }
        return changes
    }

    /// Mostly one record by key or by an indexed value; sometimes a random condition over many.
    private func target(_ model: MutationModel, rng: inout SplitMix64) -> Condition {
        guard let record = model.records.randomElement(using: &rng) else { return Field("id") == 1 }
        switch rng.int(0...9) {
        case 0...4: return Field("id") == record["id"]
        case 5...6: return Field("a") == record["a"]
        default: return ConditionMaker(records: model.records).condition(depth: 2, rng: &rng)
        }
    }
}

// MARK: - Rendering

/// Records as exact text (field order, `3` versus `3.0`), so comparisons catch any difference.
private func render(_ records: [Record]) -> [String] { records.map { $0.description } }

private func render(_ values: [Value]) -> [String] { values.map { $0.description } }

/// The field of a top-level `==` or `in` condition.
private func equalityOrInField(_ condition: Condition) -> String? {
    switch condition {
    case .comparison(let field, .equal, _), .isIn(let field, _): return field
    default: return nil
    }
}

/// A condition written out SQL-like, for failure messages.
private func sql(_ condition: Condition) -> String {
    switch condition {
    case .all: return "TRUE"
    case .comparison(let f, let op, let v): return "\(f) \(op.rawValue) \(v)"
    case .isIn(let f, let vs): return "\(f) IN (\(vs.map(\.description).joined(separator: ", ")))"
    case .between(let f, let lo, let hi): return "\(f) BETWEEN \(lo) AND \(hi)"
    case .like(let f, let pattern, let escape, let ci):
        return "\(f) \(ci ? "ILIKE" : "LIKE") \(Value.string(pattern))" + (escape.map { " ESCAPE '\($0)'" } ?? "")
    case .stringMatch(let f, let match, let text, let ci):
        return "\(f) \(match == .prefix ? "hasPrefix" : "hasSuffix")\(ci ? "[ci]" : "") \(Value.string(text))"
    case .contains(let f, let element, let ci): return "\(f) CONTAINS\(ci ? "[ci]" : "") \(element)"
    case .isNull(let f): return "\(f) IS NULL"
    case .isNotNull(let f): return "\(f) IS NOT NULL"
    case .and(let parts): return parts.isEmpty ? "AND()" : "(" + parts.map(sql).joined(separator: " AND ") + ")"
    case .or(let parts): return parts.isEmpty ? "OR()" : "(" + parts.map(sql).joined(separator: " OR ") + ")"
    case .not(let inner): return "NOT \(sql(inner))"
    }
}

private func describe(_ query: Query) -> String {
    var text = "where \(sql(query.condition))"
    if !query.ordering.isEmpty {
        let keys = query.ordering.map { "\($0.field)\($0.descending ? " desc" : "")" }
        text += " order by " + keys.joined(separator: ", ")
    }
    if let projection = query.projection {
        text += " select " + projection.map { "\($0.field) as \($0.outputName)" }.joined(separator: ", ")
    }
    if query.isDistinct { text += " distinct" }
    return text + " offset \(query.offsetCount) limit \(query.limitCount.map(String.init) ?? "nil")"
}
