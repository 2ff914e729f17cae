import DictDBAPI

/// The rows of a select, projected as they are read.
///
/// A select's rows share their storage with the table's records (copy-on-write), so holding them costs a
/// reference each; building a million projected records up front would cost a new record each. This
/// collection keeps the selected records and projects one when it is read, so a caller that streams a
/// large result (the HTTP server writes it in chunks) holds the projected form of one chunk at a time.
/// Reading an element twice projects it twice; `Array(rows)` materializes them once.
///
/// ```swift
/// let rows = try users.selectRows(Query().select("name"))
/// for record in rows.prefix(10) { print(record) }   // ["name": "Ada"], ...
/// ```
public struct SelectedRows: RandomAccessCollection, Sendable, Hashable, CustomStringConvertible,
    ExpressibleByArrayLiteral
{
    /// The selected records, already ordered, deduplicated and paged.
    private let records: [Record]
    /// The projection still to apply on read, or `nil` when `records` are the rows as they are.
    private let projection: [ProjectedField]?

    /// Rows that are exactly `records`.
    public init(_ records: [Record]) {
        self.records = records
        projection = nil
    }

    /// Rows written out: `[["name": "Ada"], ["name": "Alan"]]`.
    public init(arrayLiteral records: Record...) {
        self.init(records)
    }

    /// Rows that are `records` projected to `projection` on read.
    init(records: [Record], projecting projection: [ProjectedField]?) {
        self.records = records
        self.projection = projection
    }

    /// `0`.
    public var startIndex: Int { 0 }
    /// The number of rows.
    public var endIndex: Int { records.count }

    /// The row at `position`, projected.
    public subscript(position: Int) -> Record {
        guard let projection else { return records[position] }
        return ResultShaping.project(records[position], projection)
    }

    /// Equal when they hold the same rows in the same order.
    public static func == (lhs: SelectedRows, rhs: SelectedRows) -> Bool {
        lhs.elementsEqual(rhs)
    }

    /// Hashes the rows in order.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for record in self { hasher.combine(record) }
    }

    /// The rows, as an array prints.
    public var description: String { Array(self).description }
}
