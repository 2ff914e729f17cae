import Testing

@testable import DictDBAPI

@Suite struct ConditionTests {
    let ada: Record = ["name": "Ada", "age": 36, "score": 9.5, "tags": ["math", "Code"], "boss": nil]

    @Test func equalityComparesNumbersAcrossIntAndDouble() {
        #expect((Field("age") == 36).matches(ada))
        #expect((Field("age") == 36.0).matches(ada))
        #expect(!(Field("age") == "36").matches(ada))
    }

    @Test func equalityWithNullMatchesMissingAndNullFields() {
        #expect((Field("boss") == Value.null).matches(ada))
        #expect((Field("nowhere") == Value.null).matches(ada))
        #expect(!(Field("name") == Value.null).matches(ada))
    }

    @Test func notEqualMatchesRecordsWithoutTheField() {
        #expect((Field("missing") != 30).matches(ada))
        #expect(!(Field("age") != 36).matches(ada))
    }

    @Test func orderingAgainstNullMissingOrAnotherKindIsFalse() {
        for op in [ComparisonOperator.less, .lessOrEqual, .greater, .greaterOrEqual] {
            #expect(!Condition.comparison(field: "missing", op: op, value: 1).matches(ada))
            #expect(!Condition.comparison(field: "boss", op: op, value: 1).matches(ada))
            #expect(!Condition.comparison(field: "age", op: op, value: .null).matches(ada))
            #expect(!Condition.comparison(field: "name", op: op, value: 1).matches(ada))
        }
        #expect((Field("age") > 30).matches(ada))
        #expect((Field("age") <= 36.0).matches(ada))
        #expect((Field("name") > "A").matches(ada))
        #expect(!Field("missing").between(0, 100).matches(ada))
    }

    @Test func betweenIsInclusiveOnBothEnds() {
        #expect(Field("age").between(36, 40).matches(ada))
        #expect(Field("age").between(30, 36).matches(ada))
        #expect(!Field("age").between(37, 40).matches(ada))
        #expect(!Field("age").between(40, 30).matches(ada))
    }

    @Test func inMatchesAnyListedValueAndNothingForAnEmptyList() {
        #expect(Field("age").in([1, 36]).matches(ada))
        #expect(!Field("age").in([Value]()).matches(ada))
        #expect(Field("missing").in([Value.null]).matches(ada))
    }

    @Test func likeSupportsPercentUnderscoreEscapeAndCaseInsensitivity() {
        let record: Record = ["s": "50% off_now"]
        #expect(Field("s").like("50%").matches(record))
        #expect(Field("s").like("5_%").matches(record))
        #expect(Field("s").like("%off%").matches(record))
        #expect(!Field("s").like("50").matches(record))
        #expect(Field("s").like("50!% off!_now", escape: "!").matches(record))
        #expect(!Field("s").like("50!%x%", escape: "!").matches(record))
        #expect(!Field("s").like("50% OFF%").matches(record))
        #expect(Field("s").ilike("50% OFF%").matches(record))
        #expect(!Field("missing").like("%").matches(record))
        #expect(Field("s").like("%").matches(record))
        #expect(Field("s").like("%%_now").matches(record))
    }

    @Test func likeMatchesWholeCharactersIncludingEmoji() {
        let record: Record = ["s": "a👍b"]
        #expect(Field("s").like("a_b").matches(record))
        #expect(!Field("s").like("a__b").matches(record))
    }

    @Test func prefixSuffixAndContainsWorkOnStringsAndArrays() {
        #expect(Field("name").hasPrefix("A").matches(ada))
        #expect(!Field("name").hasPrefix("a").matches(ada))
        #expect(Field("name").hasPrefix("a", caseInsensitive: true).matches(ada))
        #expect(Field("name").hasSuffix("DA", caseInsensitive: true).matches(ada))
        #expect(Field("name").contains("d").matches(ada))
        #expect(Field("tags").contains("math").matches(ada))
        #expect(!Field("tags").contains("code").matches(ada))
        #expect(Field("tags").contains("code", caseInsensitive: true).matches(ada))
        #expect(!Field("age").contains(3).matches(ada))
        #expect(!Field("age").hasPrefix("3").matches(ada))
    }

    @Test func nullChecksTreatMissingAsNull() {
        #expect(Field("boss").isNull.matches(ada))
        #expect(Field("missing").isNull.matches(ada))
        #expect(Field("name").isNotNull.matches(ada))
        #expect(!Field("missing").isNotNull.matches(ada))
    }

    @Test func notNegatesExactlyAndLogicCombines() {
        let conditions: [Condition] = [
            Field("age") > 40, Field("missing") < 3, Field("name").like("A%"), Field("boss").isNull,
            Field("age") != 36,
        ]
        for c in conditions {
            #expect((!c).matches(ada) == !c.matches(ada))
        }
        #expect((Field("age") > 30 && Field("name") == "Ada").matches(ada))
        #expect(!(Field("age") > 30 && Field("name") == "Bob").matches(ada))
        #expect((Field("age") > 90 || Field("name") == "Ada").matches(ada))
        #expect(Condition.and([]).matches(ada))
        #expect(!Condition.or([]).matches(ada))
    }

    @Test func operatorChainsFlattenIntoOneLevel() {
        let c = Field("a") == 1 && Field("b") == 2 && Field("c") == 3
        guard case .and(let parts) = c else {
            Issue.record("expected and")
            return
        }
        #expect(parts.count == 3)
        #expect(c.fields == ["a", "b", "c"])
    }

    @Test func validationRejectsEmptyFieldsNonFiniteOperandsAndDanglingEscapes() {
        #expect(throws: DictDBError.self) { try (Field("") == 1).validate() }
        #expect(throws: DictDBError.self) { try (Field("a") == Double.nan).validate() }
        #expect(throws: DictDBError.self) { try Field("a").in([1.0, .infinity]).validate() }
        #expect(throws: DictDBError.self) { try Field("a").like("abc!", escape: "!").validate() }
        #expect(throws: Never.self) { try Field("a").like("abc!!", escape: "!").validate() }
        #expect(throws: Never.self) { try (!(Field("a") == 1 || Field("b").isNull)).validate() }
    }

    @Test func literalPrefixOfALikePatternIsTheTextBeforeTheFirstWildcard() {
        #expect(LikePattern.literalPrefix("abc%", escape: nil) == ("abc", true))
        #expect(LikePattern.literalPrefix("ab_c%", escape: nil) == ("ab", false))
        #expect(LikePattern.literalPrefix("a!%b%", escape: "!") == ("a%b", true))
        #expect(LikePattern.literalPrefix("%x", escape: nil) == ("", false))
        #expect(LikePattern.literalPrefix("abc", escape: nil) == ("abc", false))
        #expect(LikePattern.literalPrefix("", escape: nil) == ("", false))
    }
}
