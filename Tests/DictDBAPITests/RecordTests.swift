import Testing

@testable import DictDBAPI

@Suite struct RecordTests {
    @Test func fieldsKeepInsertionOrderAndMissingFieldsReadAsNull() {
        var record: Record = ["b": 1, "a": 2]
        record["c"] = 3
        #expect(record.fieldNames == ["b", "a", "c"])
        #expect(record["missing"] == .null)
        #expect(record[field: "missing"] == nil)
        record["b"] = 10
        #expect(record.fieldNames == ["b", "a", "c"])
        record[field: "a"] = nil
        #expect(record.fieldNames == ["b", "c"])
        #expect(record.removeField("c") == .int(3))
        #expect(record.removeField("c") == nil)
    }

    @Test func equalityAndHashingIgnoreFieldOrder() {
        let a: Record = ["x": 1, "y": "two"]
        let b: Record = ["y": "two", "x": 1.0]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != ["x": 1])
        #expect(a != ["x": 1, "z": "two"])
    }

    @Test func mergingSetsNewFieldsOverOldOnesAndAppendsTheRest() {
        let base: Record = ["id": 1, "name": "Ada", "age": 36]
        let merged = base.merging(["age": 37, "city": "London"])
        #expect(merged == ["id": 1, "name": "Ada", "age": 37, "city": "London"])
        #expect(merged.fieldNames == ["id", "name", "age", "city"])
        #expect(base["age"] == .int(36))
    }

    @Test func aCopyIsIndependentOfTheOriginal() {
        let original: Record = ["n": 1]
        var copy = original
        copy["n"] = 2
        #expect(original["n"] == .int(1))
    }

    @Test func repeatedNamesInALiteralKeepTheLastValueAtTheFirstPlace() {
        let record = Record(fields: [("a", 1), ("b", 2), ("a", 3)])
        #expect(record.fieldNames == ["a", "b"])
        #expect(record["a"] == .int(3))
    }

    @Test func dictionaryInitializerSortsFieldsByName() {
        let record = Record(["b": 1, "a": 2, "c": 3])
        #expect(record.fieldNames == ["a", "b", "c"])
        #expect(record.dictionary == ["b": 1, "a": 2, "c": 3])
    }
}
