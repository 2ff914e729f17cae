import DictDBContracts
import Testing

/// Checks that `body` (a contract check) throws a ``ContractViolation`` of `clause`.
func expectViolation(
    _ clause: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(ContractViolation) -> Void
) {
    do {
        try body()
        Issue.record("expected a violation of \"\(clause)\", but the check passed", sourceLocation: sourceLocation)
    } catch {
        #expect(error.clause == clause, "\(error)", sourceLocation: sourceLocation)
        #expect(!error.detail.isEmpty && error.description.contains(clause), sourceLocation: sourceLocation)
    }
}
