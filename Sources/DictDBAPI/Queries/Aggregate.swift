/// An aggregate query: group matching records and compute counts, sums, averages and extremes.
///
/// ```swift
/// let perDept = try users.aggregate(
///     AggregateQuery(Field("age") >= 18)
///         .groupBy("dept")
///         .compute(.count(), .average("salary", as: "avg_salary"), .max("age"))
/// )
/// // [["dept": "sales", "count": 12, "avg_salary": 61000.5, "max(age)": 64], ...]
/// ```
///
/// Groups come in first-seen (insertion) order; without `groupBy` there is one group, even with no rows.
/// Each output row holds the group fields, then each aggregate under its alias.
public struct AggregateQuery: Sendable, Hashable {
    /// Which records to aggregate.
    public var condition: Condition
    /// Fields whose values form the groups.
    public var grouping: [String]
    /// What to compute for each group.
    public var aggregates: [AggregateExpression]

    /// Creates an aggregate query over the records matching `condition`.
    public init(_ condition: Condition = .all) {
        self.condition = condition
        self.grouping = []
        self.aggregates = []
    }

    /// Groups by these fields.
    public func groupBy(_ fields: String...) -> AggregateQuery {
        var copy = self
        copy.grouping = fields
        return copy
    }

    /// Adds aggregates to compute.
    public func compute(_ expressions: AggregateExpression...) -> AggregateQuery {
        var copy = self
        copy.aggregates += expressions
        return copy
    }

    /// Checks the query's shape.
    /// - Throws: ``DictDBError/Code/invalidQuery`` for no aggregates, empty names or repeated output names.
    public func validate() throws(DictDBError) {
        try condition.validate()
        if aggregates.isEmpty && grouping.isEmpty {
            throw DictDBError(.invalidQuery, "an aggregate query needs at least one aggregate or group field")
        }
        var names = Set<String>()
        for name in grouping + aggregates.map(\.alias) {
            if name.isEmpty { throw DictDBError(.invalidQuery, "an aggregate or group field has an empty name") }
            if !names.insert(name).inserted {
                throw DictDBError(
                    .invalidQuery, "aggregate output name '\(name)' is used twice", context: .init(field: name))
            }
        }
        for expression in aggregates {
            if let field = expression.function.field, field.isEmpty {
                throw DictDBError(.invalidQuery, "\(expression.function) names an empty field")
            }
        }
    }
}

/// An aggregate function over the records of a group.
public enum AggregateFunction: Sendable, Hashable, CustomStringConvertible {
    /// The number of records.
    case count
    /// The number of records whose field is not null.
    case countField(String)
    /// The sum of the field's numbers (non-numbers ignored): an int while every addend is an int and the sum
    /// fits, a double otherwise; 0 for no numbers.
    case sum(String)
    /// The mean of the field's numbers (non-numbers ignored) as a double; null for no numbers.
    case average(String)
    /// The smallest non-null value in the total order of values; null if none.
    case min(String)
    /// The largest non-null value in the total order of values; null if none.
    case max(String)

    /// The field the function reads, if any.
    public var field: String? {
        switch self {
        case .count: return nil
        case .countField(let f), .sum(let f), .average(let f), .min(let f), .max(let f): return f
        }
    }

    /// `count`, `count(f)`, `sum(f)`, `avg(f)`, `min(f)`, `max(f)`: the default output name.
    public var description: String {
        switch self {
        case .count: return "count"
        case .countField(let f): return "count(\(f))"
        case .sum(let f): return "sum(\(f))"
        case .average(let f): return "avg(\(f))"
        case .min(let f): return "min(\(f))"
        case .max(let f): return "max(\(f))"
        }
    }
}

/// An aggregate function with the name its result has in output rows.
public struct AggregateExpression: Sendable, Hashable {
    /// What to compute.
    public var function: AggregateFunction
    /// The output field name.
    public var alias: String

    /// Creates an expression; the alias defaults to the function's description (`sum(salary)`).
    public init(_ function: AggregateFunction, as alias: String? = nil) {
        self.function = function
        self.alias = alias ?? function.description
    }

    /// `count` (of records), or `count(field)` (of non-null values) when a field is given.
    public static func count(_ field: String? = nil, as alias: String? = nil) -> AggregateExpression {
        AggregateExpression(field.map { .countField($0) } ?? .count, as: alias)
    }
    /// `sum(field)`.
    public static func sum(_ field: String, as alias: String? = nil) -> AggregateExpression {
        AggregateExpression(.sum(field), as: alias)
    }
    /// `avg(field)`.
    public static func average(_ field: String, as alias: String? = nil) -> AggregateExpression {
        AggregateExpression(.average(field), as: alias)
    }
    /// `min(field)`.
    public static func min(_ field: String, as alias: String? = nil) -> AggregateExpression {
        AggregateExpression(.min(field), as: alias)
    }
    /// `max(field)`.
    public static func max(_ field: String, as alias: String? = nil) -> AggregateExpression {
        AggregateExpression(.max(field), as: alias)
    }
}
