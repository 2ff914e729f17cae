/// A select: a condition plus ordering, paging, projection and distinctness. A value built by chaining.
///
/// ```swift
/// let query = Query(Field("age") >= 18)
///     .orderBy(.descending("age"), "name")
///     .select("name", .field("age", as: "years"))
///     .limit(10)
/// let rows = try users.select(query)
/// ```
///
/// Steps run in this order: filter, sort (stable; nulls first ascending), project, distinct, offset, limit.
/// A negative offset counts as 0; a nil or negative limit means all rows. Without ``orderBy(_:)-([SortKey])`` rows
/// come in insertion order, whatever plan served them.
public struct Query: Sendable, Hashable {
    /// Which records to return.
    public var condition: Condition
    /// Sort keys, most significant first; empty keeps insertion order.
    public var ordering: [SortKey]
    /// Rows to skip after sorting and distinct.
    public var offsetCount: Int
    /// Most rows to return; `nil` or negative for all.
    public var limitCount: Int?
    /// Fields to return, renamed by their alias; `nil` for whole records.
    public var projection: [ProjectedField]?
    /// Whether to drop repeated (projected) rows, keeping the first.
    public var isDistinct: Bool

    /// Creates a query for the records matching `condition` (all records by default).
    public init(_ condition: Condition = .all) {
        self.condition = condition
        self.ordering = []
        self.offsetCount = 0
        self.limitCount = nil
        self.projection = nil
        self.isDistinct = false
    }

    /// Adds a condition with AND.
    public func `where`(_ condition: Condition) -> Query {
        var copy = self
        copy.condition = self.condition && condition
        return copy
    }

    /// Sorts by these keys, most significant first (replacing earlier ordering).
    public func orderBy(_ keys: SortKey...) -> Query { orderBy(keys) }

    /// Sorts by these keys, most significant first (replacing earlier ordering).
    public func orderBy(_ keys: [SortKey]) -> Query {
        var copy = self
        copy.ordering = keys
        return copy
    }

    /// Returns at most `count` rows; nil or negative for all.
    public func limit(_ count: Int?) -> Query {
        var copy = self
        copy.limitCount = count
        return copy
    }

    /// Skips the first `count` rows; negative counts as 0.
    public func offset(_ count: Int) -> Query {
        var copy = self
        copy.offsetCount = count
        return copy
    }

    /// Returns only these fields (by alias, in this order); a missing field projects as null.
    public func select(_ fields: ProjectedField...) -> Query { select(fields) }

    /// Returns only these fields (by alias, in this order); a missing field projects as null.
    public func select(_ fields: [ProjectedField]) -> Query {
        var copy = self
        copy.projection = fields
        return copy
    }

    /// Drops repeated rows (after projection), keeping the first of each.
    public func distinct(_ isDistinct: Bool = true) -> Query {
        var copy = self
        copy.isDistinct = isDistinct
        return copy
    }

    /// Checks the query's shape.
    /// - Throws: ``DictDBError/Code/invalidQuery`` for empty names or repeated aliases; the condition's errors.
    public func validate() throws(DictDBError) {
        try condition.validate()
        for key in ordering where key.field.isEmpty {
            throw DictDBError(.invalidQuery, "orderBy names an empty field")
        }
        if let projection {
            var aliases = Set<String>()
            for field in projection {
                if field.field.isEmpty || field.outputName.isEmpty {
                    throw DictDBError(.invalidQuery, "a projection names an empty field or alias")
                }
                if !aliases.insert(field.outputName).inserted {
                    throw DictDBError(
                        .invalidQuery, "projection names '\(field.outputName)' twice",
                        context: .init(field: field.outputName))
                }
            }
        }
    }
}

/// One sort key: a field and a direction. A string literal sorts ascending: `.orderBy("name")`.
public struct SortKey: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The field to sort by.
    public var field: String
    /// Whether larger values come first.
    public var descending: Bool

    /// Creates a sort key.
    public init(_ field: String, descending: Bool = false) {
        self.field = field
        self.descending = descending
    }

    /// An ascending key from a literal.
    public init(stringLiteral value: String) { self.init(value) }

    /// Smallest first; nulls and missing fields first.
    public static func ascending(_ field: String) -> SortKey { SortKey(field) }
    /// Largest first; nulls and missing fields last.
    public static func descending(_ field: String) -> SortKey { SortKey(field, descending: true) }
}

/// A field in a projection, with an optional alias: `"name"`, `.field("age", as: "years")`.
public struct ProjectedField: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The record field to read.
    public var field: String
    /// The name in the output, if different.
    public var alias: String?

    /// Creates a projected field.
    public init(_ field: String, as alias: String? = nil) {
        self.field = field
        self.alias = alias
    }

    /// Projects a field under its own name.
    public init(stringLiteral value: String) { self.init(value) }

    /// Projects `field` under `alias`.
    public static func field(_ field: String, as alias: String) -> ProjectedField { ProjectedField(field, as: alias) }

    /// The name the field has in the output.
    public var outputName: String { alias ?? field }
}
