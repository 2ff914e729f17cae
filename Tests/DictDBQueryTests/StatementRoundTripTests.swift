import DictDBAPI
import DictDBQuery
import PropertyBased
import Testing

/// Random queries, aggregates and records, written as statements, parse back into the same values.
@Suite struct StatementRoundTripTests {
    /// A name in double quotes, so keywords and odd characters are names.
    private static func quoted(_ name: String) -> String {
        "\"" + name.unicodeScalars.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\""
    }

    private static func name(_ rng: inout SplitMix64) -> String {
        rng.chance(0.5) ? RandomConditions.field(&rng) : rng.pick(["users", "t", "order", "select", "a b", "é"])
    }

    @Test func randomSelectsParseIntoTheQueryTheyWereWrittenFrom() async throws {
        await propertyCheck(count: 150, input: Gen<UInt64>.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let fields = Array(Set((0..<4).map { _ in RandomConditions.field(&rng) }))
            var query = Query(
                RandomConditions.canonical(RandomConditions.condition(depth: 3, fields: fields, rng: &rng)))
            var text = "SELECT "
            if rng.chance(0.3) {
                query.isDistinct = true
                text += "DISTINCT "
            }
            if rng.chance(0.3) {
                text += "*"
            } else {
                var projection: [ProjectedField] = []
                for field in fields.shuffled(using: &rng) {
                    let alias: String? = rng.chance(0.3) ? "\(field) alias" : nil
                    projection.append(ProjectedField(field, as: alias))
                }
                query.projection = projection
                text += projection.map { Self.quoted($0.field) + ($0.alias.map { " AS " + Self.quoted($0) } ?? "") }
                    .joined(separator: ", ")
            }
            let table = Self.name(&rng)
            text += " FROM \(Self.quoted(table)) WHERE \(query.condition)"
            if rng.chance(0.5) {
                query.ordering = fields.prefix(rng.int(1...fields.count)).map {
                    SortKey($0, descending: rng.chance(0.5))
                }
                text +=
                    " ORDER BY "
                    + query.ordering.map {
                        Self.quoted($0.field) + ($0.descending ? " DESC" : rng.pick(["", " ASC", " asc"]))
                    }.joined(separator: ", ")
            }
            if rng.chance(0.5) {
                query.limitCount = rng.int(-1...100)
                text += " LIMIT \(query.limitCount ?? 0)"
            }
            if rng.chance(0.5) {
                query.offsetCount = rng.int(0...100)
                text += " OFFSET \(query.offsetCount)"
            }
            let statement = try QueryParser.parse(text)
            #expect(statement == .select(table: table, query: query), "seed \(seed): \(text.debugDescription)")
        }
    }

    @Test func randomAggregatesParseIntoTheAggregateQueryTheyWereWrittenFrom() async throws {
        await propertyCheck(count: 150, input: Gen<UInt64>.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let fields = Array(Set((0..<5).map { _ in RandomConditions.field(&rng) }))
            let grouping = Array(fields.prefix(rng.int(0...2)))
            var query = AggregateQuery(
                RandomConditions.canonical(RandomConditions.condition(depth: 2, fields: fields, rng: &rng)))
            query.grouping = grouping
            var items = grouping.map(Self.quoted)
            var outputs = Set(grouping)
            for _ in 0..<rng.int(grouping.isEmpty ? 1...4 : 0...4) {
                let field = rng.pick(fields)
                let choices: [(AggregateFunction, String)] = [
                    (.count, "COUNT(*)"), (.countField(field), "count(\(Self.quoted(field)))"),
                    (.sum(field), "SUM(\(Self.quoted(field)))"), (.average(field), "Avg(\(Self.quoted(field)))"),
                    (.min(field), "MIN(\(Self.quoted(field)))"), (.max(field), "max(\(Self.quoted(field)))"),
                ]
                let (function, written) = rng.pick(choices)
                let alias: String? = rng.chance(0.4) ? "out \(outputs.count)" : nil
                let expression = AggregateExpression(function, as: alias)
                guard outputs.insert(expression.alias).inserted else { continue }
                query.aggregates.append(expression)
                items.append(written + (alias.map { " AS " + Self.quoted($0) } ?? ""))
            }
            let orderable = grouping + query.aggregates.map(\.alias)
            let ordering = orderable.shuffled(using: &rng).prefix(rng.int(0...orderable.count)).map {
                SortKey($0, descending: rng.chance(0.5))
            }
            let limit: Int? = rng.chance(0.5) ? rng.int(0...10) : nil
            let offset = rng.chance(0.5) ? rng.int(0...10) : 0
            var text = "SELECT \(items.joined(separator: ", ")) FROM t WHERE \(query.condition)"
            if !grouping.isEmpty { text += " GROUP BY " + grouping.map(Self.quoted).joined(separator: ", ") }
            if !ordering.isEmpty {
                text +=
                    " ORDER BY "
                    + ordering.map { Self.quoted($0.field) + ($0.descending ? " DESC" : "") }.joined(separator: ", ")
            }
            if let limit { text += " LIMIT \(limit)" }
            if offset != 0 || rng.chance(0.3) { text += " OFFSET \(offset)" }
            let statement = try QueryParser.parse(text)
            #expect(
                statement == .aggregate(table: "t", query: query, ordering: ordering, limit: limit, offset: offset),
                "seed \(seed): \(text.debugDescription)")
        }
    }

    @Test func recordsPrintedAsJSONInsertAsTheSameRecordsWithTheSameNumberKinds() async throws {
        await propertyCheck(count: 150, input: Gen<UInt64>.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let fields = Array(Set((0..<6).map { _ in RandomConditions.field(&rng) }))
            let records = (0..<rng.int(1...5)).map { _ in RandomConditions.record(&rng, fields: fields) }
            let text = "INSERT INTO t VALUES " + records.map(\.description).joined(separator: ",\n  ")
            let statement = try QueryParser.parse(text)
            guard case .insert(let table, let parsed) = statement else {
                Issue.record("seed \(seed): not an insert: \(statement)")
                return
            }
            #expect(table == "t")
            #expect(parsed == records, "seed \(seed)")
            #expect(parsed.map(\.description) == records.map(\.description), "seed \(seed)")
        }
    }

    @Test func rowsWithAColumnListTakeTheirValuesInColumnOrder() async throws {
        await propertyCheck(count: 100, input: Gen<UInt64>.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let columns = Array(Set((0..<4).map { _ in RandomConditions.field(&rng) }))
            let rows = (0..<rng.int(1...4)).map { _ in columns.map { _ in RandomConditions.value(&rng) } }
            let text =
                "INSERT INTO t (\(columns.map(Self.quoted).joined(separator: ", "))) VALUES "
                + rows.map { "(" + $0.map(Self.literal).joined(separator: ", ") + ")" }.joined(separator: ", ")
            let statement = try QueryParser.parse(text)
            let expected = rows.map { Record(fields: zip(columns, $0)) }
            #expect(statement == .insert(table: "t", records: expected), "seed \(seed): \(text.debugDescription)")
            if case .insert(_, let parsed) = statement {
                #expect(parsed.map(\.description) == expected.map(\.description))
            }
        }
    }

    /// A value as the language writes it: strings in single quotes, everything else as JSON.
    private static func literal(_ value: Value) -> String {
        guard case .string(let s) = value else { return value.description }
        return "'" + s.unicodeScalars.map { $0 == "'" ? "''" : String($0) }.joined() + "'"
    }
}
