import DictDBAPI
import Engine
import Testing

@Suite struct TableAggregateTests {
    func staff() throws -> Table {
        let table = try makeDatabase().createTable("staff")
        try table.insertBatch([
            ["dept": "eng", "salary": 100, "age": 30],
            ["dept": "ops", "salary": 50.5, "age": 40],
            ["dept": "eng", "salary": 120, "age": nil],
            ["dept": "eng", "salary": "unknown", "age": 25],
            ["salary": 10],
        ])
        return table
    }

    @Test func groupsComeInFirstSeenOrderWithTheirAggregates() throws {
        let rows = try staff().aggregate(
            AggregateQuery().groupBy("dept").compute(
                .count(), .count("age"), .sum("salary"), .average("salary"), .min("age"), .max("salary")))
        #expect(
            rows == [
                [
                    "dept": "eng", "count": 3, "count(age)": 2, "sum(salary)": 220, "avg(salary)": 110.0,
                    "min(age)": 25, "max(salary)": "unknown",
                ],
                [
                    "dept": "ops", "count": 1, "count(age)": 1, "sum(salary)": 50.5, "avg(salary)": 50.5,
                    "min(age)": 40, "max(salary)": 50.5,
                ],
                [
                    "dept": nil, "count": 1, "count(age)": 0, "sum(salary)": 10, "avg(salary)": 10.0,
                    "min(age)": nil, "max(salary)": 10,
                ],
            ])
        #expect(rows.first?.fieldNames.first == "dept")
    }

    @Test func withoutGroupingThereIsOneRowEvenOverNoRecords() throws {
        let table = try staff()
        let none = try table.aggregate(
            AggregateQuery(Field("dept") == "nobody").compute(.count(), .sum("salary"), .average("salary", as: "avg")))
        #expect(none == [["count": 0, "sum(salary)": 0, "avg": nil]])
        let all = try table.aggregate(AggregateQuery().compute(.count(), .max("age")))
        #expect(all == [["count": 5, "max(age)": 40]])
    }

    @Test func integerSumsThatOverflowBecomeDoubles() throws {
        let table = try makeDatabase().createTable("big")
        try table.insertBatch([["n": .int(.max)], ["n": 1]])
        let rows = try table.aggregate(AggregateQuery().compute(.sum("n")))
        #expect(rows.first?["sum(n)"] == .double(Double(Int64.max) + 1))
    }

    @Test func aggregateQueriesAreValidated() throws {
        let table = try staff()
        #expect(captureError { try table.aggregate(AggregateQuery()) }?.code == .invalidQuery)
        #expect(captureError { try table.aggregate(AggregateQuery().compute(.sum(""))) }?.code == .invalidQuery)
    }
}
