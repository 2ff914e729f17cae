import DictDBAPI
import DictDBQuery
import PropertyBased
import Testing

/// `Condition.description` is the query language: printing a random condition and parsing it back gives
/// the same condition (up to the forms the printer cannot tell apart, see ``RandomConditions/canonical(_:)``)
/// and the same answers on random records.
@Suite struct ConditionRoundTripTests {
    @Test func descriptionParsesBackToTheSameConditionMatchingTheSameRecords() async throws {
        await propertyCheck(count: 200, input: Gen<UInt64>.uint64(), Gen.int(in: 0...4)) { seed, depth in
            var rng = SplitMix64(seed: seed)
            var fields = (0..<4).map { _ in RandomConditions.field(&rng) }
            fields = Array(Set(fields))
            let records = (0..<24).map { _ in RandomConditions.record(&rng, fields: fields) }
            for _ in 0..<12 {
                let condition = RandomConditions.condition(depth: depth, fields: fields, rng: &rng)
                let text = condition.description
                let parsed: Condition
                do {
                    parsed = try QueryParser.parseCondition(text)
                } catch {
                    Issue.record("seed \(seed): \(text.debugDescription) did not parse: \(error)")
                    continue
                }
                let label = "seed \(seed): \(text.debugDescription)"
                let canonical = RandomConditions.canonical(condition)
                #expect(parsed == canonical, "structure: \(label)")
                // Printing tells ints from doubles, which `==` on values does not.
                #expect(parsed.description == canonical.description, "printed again: \(label)")
                let disagreeing = records.first { parsed.matches($0) != condition.matches($0) }
                #expect(disagreeing == nil, "matches \(disagreeing?.description ?? ""): \(label)")
            }
        }
    }

    @Test func canonicalConditionsRoundTripExactly() throws {
        let conditions: [Condition] = [
            .all, .or([]), Field("a") == 1, Field("a") == 1.0, Field("a") != "x", Field("NOT") == 1,
            .not(Field("IN").in([1])), .not(.not(Field("NOT").in([1]))), .not(Field("IS").isNull),
            .not(Field("between").between(1, 2)), .not(Field("LIKE").like("x")), .not(.not(Field("ILIKE").ilike("%"))),
            .and([.and([Field("a") == 1, Field("b") == 2]), Field("c") == 3]), .or([.all, .or([])]),
            .not(.and([Field("a") > 1, .or([Field("b") < 2, Field("TRUE").isNotNull])])),
            Field("first name").like("50!%", escape: "!"),
            Field("x").contains(Value.object(["k": [1, 2.5]]), caseInsensitive: true),
            Field("s").hasPrefix("it's", caseInsensitive: true), Field("s").hasSuffix("\u{301}"),
            Field("a").in([Value]()), Field("a").in([.null, [], [:]]),
        ]
        for condition in conditions {
            let parsed = try QueryParser.parseCondition(condition.description)
            #expect(parsed == condition, "\(condition.description)")
            #expect(parsed.description == condition.description)
        }
    }

    @Test func aQuoteJoinedToACombiningMarkRoundTrips() throws {
        // A quote followed by U+0301 is one Character; the printer doubles quotes per code point.
        for condition in [Field("a") == "x'\u{301}y", Field("b\"\u{301}") == 1] {
            #expect(try QueryParser.parseCondition(condition.description) == condition)
        }
    }

    @Test func equalsNullPrintsAsIsNullAndMatchesTheSameRecords() throws {
        let records: [Record] = [[:], ["a": nil], ["a": 1], ["a": "x"]]
        for (original, canonical) in [
            (Condition.comparison(field: "a", op: .equal, value: .null), Condition.isNull(field: "a")),
            (.comparison(field: "a", op: .notEqual, value: .null), .isNotNull(field: "a")),
        ] {
            let parsed = try QueryParser.parseCondition(original.description)
            #expect(parsed == canonical)
            #expect(records.map(parsed.matches) == records.map(original.matches))
        }
    }
}
