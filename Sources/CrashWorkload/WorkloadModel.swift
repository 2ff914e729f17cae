import DictDB

/// The expected state of a database that ran a prefix of a workload: an in-memory `Database()` that ran
/// ops `0..<appliedCount`. It only moves forward, as crash recovery does.
///
/// ```swift
/// let model = WorkloadModel(workload: Workload(seed: 3))
/// try model.advance(to: 120)
/// let expected = try model.content()
/// ```
public final class WorkloadModel {
    /// The workload the model runs.
    public let workload: Workload
    /// The in-memory database.
    public let database = Database()
    /// How many operations ran: ops `0..<appliedCount`.
    public private(set) var appliedCount = 0
    /// How each operation ended, by index.
    public private(set) var outcomes: [OperationOutcome] = []
    private var cachedContent: (count: Int, content: DatabaseContent)?

    /// A model that ran no operation yet.
    public init(workload: Workload) {
        self.workload = workload
    }

    /// Runs the operations from ``appliedCount`` up to (not including) `count`.
    /// - Throws: an unexpected ``DictDBError`` from the in-memory database (a workload bug).
    public func advance(to count: Int) throws(DictDBError) {
        while appliedCount < count {
            outcomes.append(try workload.apply(appliedCount, to: database))
            appliedCount += 1
        }
    }

    /// Checks `db`: every invariant of ``Invariants/check(_:samplesPerIndex:)``, and the same content as
    /// this model after ops `0..<appliedCount`.
    ///
    /// ```swift
    /// try model.advance(to: 300)
    /// try model.verify(reopened)
    /// ```
    /// - Throws: ``InvariantViolation`` naming the broken invariant, or listing the differences.
    @discardableResult
    public func verify(_ db: Database) throws(InvariantViolation) -> InvariantReport {
        let report = try Invariants.check(db)
        let actual: DatabaseContent
        let expected: DatabaseContent
        do {
            actual = try DatabaseContent(of: db)
            expected = try content()
        } catch {
            throw InvariantViolation(table: nil, message: "reading the contents failed: \(error)")
        }
        if actual != expected {
            throw InvariantViolation(
                table: nil,
                message: "the content differs from the model after \(appliedCount) ops:\n"
                    + actual.differences(from: expected).joined(separator: "\n"))
        }
        return report
    }

    /// The content after ops `0..<appliedCount`.
    public func content() throws(DictDBError) -> DatabaseContent {
        if let cachedContent, cachedContent.count == appliedCount { return cachedContent.content }
        let content = try DatabaseContent(of: database)
        cachedContent = (appliedCount, content)
        return content
    }
}
