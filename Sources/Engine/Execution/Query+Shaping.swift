import DictDBAPI

extension Query {
    /// Sorts, projects, de-duplicates and pages `records` exactly as a select with this query would, without
    /// filtering them (the condition is ignored).
    ///
    /// Useful for rows that did not come from a table select, such as the output of
    /// ``Table/aggregate(_:)``:
    ///
    /// ```swift
    /// let perDept = try staff.aggregate(AggregateQuery().groupBy("dept").compute(.count(as: "n")))
    /// let topThree = Query().orderBy(.descending("n")).limit(3).shape(perDept)
    /// ```
    ///
    /// - Complexity: O(*n* log *n*) with an ordering, O(*n*) without.
    public func shape(_ records: [Record]) -> [Record] {
        ResultShaping.shape(records, by: self)
    }
}
