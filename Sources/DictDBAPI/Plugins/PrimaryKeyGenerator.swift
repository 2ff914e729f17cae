/// Makes primary keys for records inserted without one: auto-increment integers, UUIDs, custom schemes.
///
/// A generator is stateless; the per-table state it needs (a counter, the last timestamp) is a ``Value``
/// the engine keeps, passes in, and saves with the table, so state survives save/load and recovery, and a
/// failed insert rolls it back by keeping the old value.
///
/// ## Contract
///
/// An implementation must guarantee:
/// - **No reuse.** Starting from any state, the keys produced by successive ``nextKey(state:)`` calls are
///   distinct from each other and from every key passed to ``observe(explicitKey:state:)`` before.
/// - **Pure state.** Everything it remembers lives in `state`, which must be encodable by every codec
///   (ints, strings, arrays, objects).
/// - Keys are non-null and valid for ``Value/validate(field:)``.
///
/// Check an implementation with `PrimaryKeyGeneratorContract.check` from the `DictDBContracts` library, which the
/// built-in plugins' tests run too.
public protocol PrimaryKeyGenerator: Sendable {
    /// The registry name, such as `"autoincrement"`.
    var name: String { get }
    /// The state of a new table.
    var initialState: Value { get }
    /// Returns a new key and advances `state`.
    /// - Throws: ``DictDBError/Code/limitExceeded`` when the key space is exhausted.
    func nextKey(state: inout Value) throws(DictDBError) -> Value
    /// Checks a key the caller supplied; the default accepts any non-null value.
    /// - Throws: ``DictDBError/Code/invalidKey``.
    func validate(explicitKey: Value) throws(DictDBError)
    /// Takes note of a key the caller supplied, so later generated keys never collide with it.
    func observe(explicitKey: Value, state: inout Value)
}

extension PrimaryKeyGenerator {
    /// Accepts any non-null key.
    public func validate(explicitKey: Value) throws(DictDBError) {
        if explicitKey.isNull {
            throw DictDBError(.invalidKey, "a primary key cannot be null", context: .init(key: explicitKey))
        }
    }

    /// Remembers nothing.
    public func observe(explicitKey: Value, state: inout Value) {}
}
