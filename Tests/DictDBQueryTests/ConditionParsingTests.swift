import DictDBAPI
import DictDBQuery
import Testing

/// Conditions parse into exactly the `Condition` values the DSL builds.
@Suite struct ConditionParsingTests {
    private func parse(_ text: String) throws -> Condition { try QueryParser.parseCondition(text) }

    @Test(arguments: [
        ("a = 1", ComparisonOperator.equal), ("a == 1", .equal), ("a != 1", .notEqual), ("a <> 1", .notEqual),
        ("a < 1", .less), ("a <= 1", .lessOrEqual), ("a > 1", .greater), ("a >= 1", .greaterOrEqual),
        ("a=1", .equal), ("a<>1", .notEqual), ("a>=1", .greaterOrEqual),
    ])
    func everyComparisonOperatorMapsToItsCase(text: String, op: ComparisonOperator) throws {
        #expect(try parse(text) == .comparison(field: "a", op: op, value: 1))
    }

    @Test func inAndNotInTakeValueListsIncludingEmptyOnes() throws {
        #expect(try parse("a IN (1, 'x', NULL, [1])") == .isIn(field: "a", values: [1, "x", .null, [1]]))
        #expect(try parse("a NOT IN (1)") == .not(.isIn(field: "a", values: [1])))
        #expect(try parse("a IN ()") == .isIn(field: "a", values: []))
    }

    @Test func betweenAndNotBetweenTakeTheirOwnAnd() throws {
        #expect(
            try parse("a BETWEEN 1 AND 5 AND b = 2")
                == .and([.between(field: "a", lower: 1, upper: 5), Field("b") == 2]))
        #expect(try parse("a NOT BETWEEN 'a' AND 'm'") == .not(.between(field: "a", lower: "a", upper: "m")))
    }

    @Test func likeAndIlikeWithAndWithoutEscape() throws {
        #expect(try parse("name LIKE 'A%'") == Field("name").like("A%"))
        #expect(try parse("name ILIKE 'a_c'") == Field("name").ilike("a_c"))
        #expect(try parse("name LIKE '10!%' ESCAPE '!'") == Field("name").like("10!%", escape: "!"))
        #expect(try parse("name NOT ILIKE '%x%' ESCAPE ''''") == .not(Field("name").ilike("%x%", escape: "'")))
    }

    @Test func isNullAndIsNotNullAreTheirOwnCasesWhileEqualsNullIsAComparison() throws {
        #expect(try parse("a IS NULL") == .isNull(field: "a"))
        #expect(try parse("a is not null") == .isNotNull(field: "a"))
        #expect(try parse("a = NULL") == .comparison(field: "a", op: .equal, value: .null))
        #expect(try parse("a != null") == .comparison(field: "a", op: .notEqual, value: .null))
    }

    @Test func functionsMatchTheDescriptionsForms() throws {
        #expect(try parse("STARTS_WITH(name, 'Ad')") == Field("name").hasPrefix("Ad"))
        #expect(try parse("starts_with(name, 'ad', nocase)") == Field("name").hasPrefix("ad", caseInsensitive: true))
        #expect(
            try parse("ENDS_WITH(\"e-mail\", '.org', NOCASE)")
                == Field("e-mail").hasSuffix(".org", caseInsensitive: true))
        #expect(try parse("CONTAINS(tags, 'x')") == Field("tags").contains("x"))
        #expect(try parse("CONTAINS(tags, 3)") == Field("tags").contains(3))
        #expect(try parse("CONTAINS(tags, 'X', NOCASE)") == Field("tags").contains("X", caseInsensitive: true))
    }

    @Test func notBindsTighterThanAndWhichBindsTighterThanOr() throws {
        let a = Field("a") == 1
        let b = Field("b") == 2
        let c = Field("c") == 3
        #expect(try parse("a = 1 OR b = 2 AND c = 3") == .or([a, .and([b, c])]))
        #expect(try parse("a = 1 AND b = 2 OR c = 3") == .or([.and([a, b]), c]))
        #expect(try parse("NOT a = 1 AND b = 2") == .and([.not(a), b]))
        #expect(try parse("NOT a = 1 OR NOT b = 2 AND c = 3") == .or([.not(a), .and([.not(b), c])]))
        #expect(try parse("NOT (a = 1 OR b = 2)") == .not(.or([a, b])))
        #expect(try parse("NOT NOT a = 1") == .not(.not(a)))
    }

    @Test func chainsFlattenButParenthesesKeepTheirGrouping() throws {
        let a = Field("a") == 1
        let b = Field("b") == 2
        let c = Field("c") == 3
        #expect(try parse("a = 1 AND b = 2 AND c = 3") == .and([a, b, c]))
        #expect(try parse("a = 1 OR b = 2 OR c = 3") == .or([a, b, c]))
        #expect(try parse("(a = 1 AND b = 2) AND c = 3") == .and([.and([a, b]), c]))
        #expect(try parse("a = 1 AND (b = 2 AND c = 3)") == .and([a, .and([b, c])]))
        #expect(try parse("((a = 1))") == a)
        #expect(try parse("(a = 1 OR b = 2) AND (c = 3)") == .and([.or([a, b]), c]))
    }

    @Test func trueAndFalseAreTheConstantConditions() throws {
        #expect(try parse("TRUE") == .all)
        #expect(try parse("FALSE") == .or([]))
        #expect(try parse("true AND a = 1") == .and([.all, Field("a") == 1]))
        #expect(try parse("NOT false") == .not(.or([])))
    }

    @Test func keywordsFollowedByAnOperatorAreFieldNames() throws {
        #expect(try parse("NOT = 1") == .comparison(field: "NOT", op: .equal, value: 1))
        #expect(try parse("NOT NOT IN (1)") == .not(.isIn(field: "NOT", values: [1])))
        #expect(try parse("NOT NOT = 1") == .not(.comparison(field: "NOT", op: .equal, value: 1)))
        #expect(try parse("true IS NULL") == .isNull(field: "true"))
        #expect(try parse("select = 1 AND from < 2") == .and([Field("select") == 1, Field("from") < 2]))
        #expect(try parse("AND = 1 OR OR = 2") == .or([Field("AND") == 1, Field("OR") == 2]))
        #expect(try parse("contains = 1") == (Field("contains") == 1))
        #expect(try parse("CONTAINS(from, 'x')") == Field("from").contains("x"))
        #expect(try parse("null NOT LIKE 'x'") == .not(Field("null").like("x")))
    }

    @Test func quotedFieldNamesHoldAnyText() throws {
        #expect(try parse(#""first name" = 'Ada'"#) == (Field("first name") == "Ada"))
        #expect(try parse(#""say ""hi""" = 1"#) == (Field(#"say "hi""#) == 1))
        #expect(try parse(#""é" = 1"#) == (Field("é") == 1))
        #expect(try parse(#""1st" IS NULL"#) == Field("1st").isNull)
    }
}

/// Literals keep their exact kind and text: ints, doubles, escapes, Unicode and JSON.
@Suite struct LiteralParsingTests {
    /// The value on the right of `a = <literal>`, printed as JSON so that `1` and `1.0` differ.
    private func literal(_ text: String) throws -> String {
        let condition = try QueryParser.parseCondition("a = \(text)")
        guard case .comparison(_, _, let value) = condition else { return "not a comparison: \(condition)" }
        return value.description
    }

    @Test(arguments: [
        ("0", "0"), ("42", "42"), ("-7", "-7"), ("007", "7"), ("9223372036854775807", "9223372036854775807"),
        ("-9223372036854775808", "-9223372036854775808"), ("1.0", "1.0"), ("-0.0", "-0.0"), ("2.5", "2.5"),
        ("1e3", "1000.0"), ("1E-2", "0.01"), ("2.5e+2", "250.0"), ("9223372036854775808.0", "9.223372036854776e+18"),
        ("1.7976931348623157e308", "1.7976931348623157e+308"), ("5e-324", "5e-324"),
    ])
    func numbersAreIntsUnlessTheyHaveAFractionOrExponent(text: String, json: String) throws {
        #expect(try literal(text) == json)
    }

    @Test func stringsUnescapeDoubledQuotesAndKeepEveryCodePoint() throws {
        #expect(try literal("'it''s'") == #""it's""#)
        #expect(try literal("''") == #""""#)
        #expect(try literal("''''") == #""'""#)
        #expect(try literal("'line\nbreak\ttab'") == #""line\nbreak\ttab""#)
        #expect(try literal("'\\n stays'") == #""\\n stays""#)
        for text in ["é", "e\u{301}", "\u{301}starts with a combining mark", "日本語", "🧑‍💻", "a\u{10FFFF}", "\u{0}"] {
            let condition = try QueryParser.parseCondition("a = '\(text)'")
            #expect(condition == .comparison(field: "a", op: .equal, value: .string(text)))
            guard case .comparison(_, _, .string(let parsed)) = condition else { continue }
            #expect(Array(parsed.unicodeScalars) == Array(text.unicodeScalars))
        }
    }

    @Test func booleansAndNull() throws {
        #expect(try literal("true") == "true")
        #expect(try literal("FALSE") == "false")
        #expect(try literal("Null") == "null")
    }

    @Test func jsonLiteralsKeepIntsDoublesOrderAndEscapes() throws {
        #expect(try literal("[1, 1.0, -2, 3e2, true, null]") == "[1,1.0,-2,300.0,true,null]")
        #expect(try literal(#"{"b": 1, "a": [{}], "c": {"d": "x"}}"#) == #"{"b":1,"a":[{}],"c":{"d":"x"}}"#)
        #expect(try literal(#"["\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"]"#) == #"["\"\\/\u0008\u000c\n\r\té😀"]"#)
        #expect(try literal("[]") == "[]")
        #expect(try literal(" { } ") == "{}")
        #expect(try literal(#"["日本", "'"]"#) == #"["日本","'"]"#)
    }

    @Test func commentsRunToTheEndOfTheLine() throws {
        #expect(
            try QueryParser.parseCondition("a = 1 -- the first\n-- whole line\nAND b = 2--x")
                == .and([
                    Field("a") == 1, Field("b") == 2,
                ]))
        #expect(try QueryParser.parseCondition("a = 'x -- not a comment'") == (Field("a") == "x -- not a comment"))
    }
}
