import Testing

@testable import DictDBAPI

@Suite struct ValueTests {
    @Test func integersAndDoublesWithTheSameNumericValueAreEqualAndHashAlike() {
        #expect(Value.int(1) == Value.double(1.0))
        #expect(Value.double(-0.0) == Value.int(0))
        #expect(Value.int(1).hashValue == Value.double(1.0).hashValue)
        #expect(Set<Value>([.int(3), .double(3.0)]).count == 1)
        #expect(Value.int(1) != Value.double(1.5))
    }

    @Test func largeIntegersCompareExactlyWithDoubles() {
        // 2^53 + 1 is not representable as a double; naive conversion would call these equal.
        let big = Int64(1) << 53 + 1
        #expect(Value.int(big) != Value.double(Double(big)))
        #expect(Value.int(big) > Value.double(9_007_199_254_740_992.0))
        #expect(Value.int(.max) < Value.double(9.3e18))
        #expect(Value.int(.min) == Value.double(-9_223_372_036_854_775_808.0))
        #expect(Value.int(.min) > Value.double(-1e19))
        #expect(Value.int(2) > Value.double(1.5))
        #expect(Value.int(-2) < Value.double(-1.5))
    }

    @Test func stringsCompareByCodePointsWithoutNormalization() {
        let precomposed = Value.string("\u{e9}")
        let decomposed = Value.string("e\u{301}")
        #expect(precomposed != decomposed)
        #expect(decomposed < precomposed)
        #expect(Set([precomposed, decomposed]).count == 2)
        // Swift's own String order is not total on such strings; the order of values is.
        let strings: [Value] = ["e\u{301}", "\u{e9}a", "\u{e9}", "e", "ez", "E", "a b", "\u{1F468}", ""]
        for a in strings {
            for b in strings {
                let c = Value.compare(a, b)
                #expect(c == -Value.compare(b, a))
                #expect((c == 0) == (a == b))
                for d in strings where c < 0 && Value.compare(b, d) < 0 {
                    #expect(Value.compare(a, d) < 0)
                }
            }
        }
        #expect((Field("s").hasPrefix("e")).matches(["s": decomposed]))
        #expect(!(Field("s").hasPrefix("e")).matches(["s": precomposed]))
        #expect(Field("s").like("e_").matches(["s": decomposed]))
    }

    @Test func booleansAreNotNumbers() {
        #expect(Value.bool(true) != Value.int(1))
        #expect(Value.bool(false) != Value.int(0))
    }

    @Test func totalOrderRanksKindsNullBoolNumberStringArrayObject() {
        let ordered: [Value] = [.null, false, true, -5, 2.5, 3, "", "a", "b", [], [1], [1, 2], ["a": 1], ["b": 0]]
        for (i, a) in ordered.enumerated() {
            for (j, b) in ordered.enumerated() {
                #expect((a < b) == (i < j), "\(a) < \(b)")
            }
        }
    }

    @Test func objectsCompareByFieldsSortedByName() {
        let a: Value = ["b": 1, "a": 2]
        let b: Value = ["a": 2, "b": 1]
        #expect(a == b)
        #expect(Value.compare(a, b) == 0)
        #expect(Value.compare(["a": 1], ["a": 1, "b": 0]) < 0)
    }

    @Test func literalsBuildRecordsThatReadLikeJSON() {
        let record: Record = ["name": "Ada", "age": 36, "score": 9.5, "tags": ["x", "y"], "boss": nil, "ok": true]
        #expect(record["name"] == .string("Ada"))
        #expect(record["age"] == .int(36))
        #expect(record["score"] == .double(9.5))
        #expect(record["tags"] == .array(["x", "y"]))
        #expect(record["boss"] == .null)
        #expect(record.description == #"{"name":"Ada","age":36,"score":9.5,"tags":["x","y"],"boss":null,"ok":true}"#)
    }

    @Test func descriptionKeepsDoublesDistinctFromIntegers() {
        #expect(Value.double(30103.0).description == "30103.0")
        #expect(Value.int(30103).description == "30103")
        #expect(Value.string("a\"b\n\u{1}").description == #""a\"b\n\u0001""#)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteDoublesAreRejectedWithATypedError(_ bad: Double) {
        #expect(throws: DictDBError.self) { try Value.double(bad).validate() }
        let nested: Value = ["a": [1, .double(bad)]]
        do {
            try nested.validate(field: "outer")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidValue)
            #expect(error.context.field == "outer")
        }
    }

    @Test func accessorsReturnValuesOfTheirKindOnly() {
        #expect(Value.double(3.0).intValue == 3)
        #expect(Value.double(3.5).intValue == nil)
        #expect(Value.int(3).doubleValue == 3.0)
        #expect(Value.string("x").intValue == nil)
        #expect(Value.bool(true).boolValue == true)
        #expect(Value.null.isNull)
        #expect(Value.int(1).typeName == "int")
        #expect(Value.double(1).typeName == "double")
    }
}
