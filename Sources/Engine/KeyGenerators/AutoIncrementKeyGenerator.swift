import DictDBAPI

/// Integer keys 1, 2, 3, ... that are never reused, even after deletes.
///
/// State: `.int(last)`, the largest key handed out or seen. An explicit integer key larger than it moves
/// it forward (as SQLite's `AUTOINCREMENT` does), so a generated key never collides with one a caller chose.
public struct AutoIncrementKeyGenerator: PrimaryKeyGenerator {
    /// `"autoincrement"`.
    public let name = "autoincrement"
    /// `.int(0)`: the first key is 1.
    public let initialState: Value = .int(0)

    /// Creates the generator.
    public init() {}

    /// The next integer after the state.
    /// - Throws: `DictDBError.Code.limitExceeded` once `Int64.max` was used.
    public func nextKey(state: inout Value) throws(DictDBError) -> Value {
        let last = state.intValue ?? 0
        guard last < Int64.max else {
            throw DictDBError(.limitExceeded, "auto-increment keys are exhausted (reached \(Int64.max))")
        }
        state = .int(last + 1)
        return .int(last + 1)
    }

    /// Moves the counter past an explicit integer key.
    public func observe(explicitKey: Value, state: inout Value) {
        guard let key = explicitKey.intValue, key > (state.intValue ?? 0) else { return }
        state = .int(key)
    }
}
