import DictDB
import Testing

/// Expects `body` to throw a `DictDBError` with `code`.
func expectCode<R>(
    _ code: DictDBError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> R
) {
    do {
        _ = try body()
        Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch {
        #expect((error as? DictDBError)?.code == code, "expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
