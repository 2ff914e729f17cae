import DictDBAPI

/// The contract of `PrimaryKeyGenerator` as a check a plugin author runs in their own tests, the same check
/// the built-in generators pass.
///
/// `check(_:observing:count:)` checks:
/// - **no reuse**: successive keys from any state differ from each other and from every key passed to
///   `PrimaryKeyGenerator.observe(explicitKey:state:)` before — the given `observing` keys, and keys the
///   generator would have produced next (taken from a copy of the state) observed as if a caller had
///   inserted them explicitly;
/// - **valid keys**: keys are non-null and valid values (`Value.validate(field:)`: finite numbers);
/// - **pure state**: the state is a valid value, and a copy of it (what a snapshot stores and reloads)
///   resumes without repeating a key; `nextKey` does not throw before the key space runs out.
///
/// ```swift
/// @Test func prefixedCounterKeepsTheContract() throws {
///     try PrimaryKeyGeneratorContract.check(PrefixedCounter(prefix: "order-"), observing: ["order-5"])
/// }
/// ```
public enum PrimaryKeyGeneratorContract {
    /// Checks `generator` against the contract.
    ///
    /// - Parameters:
    ///   - generator: The generator under test.
    ///   - observing: Explicit keys observed before any key is generated; generated keys must differ from them.
    ///   - count: How many keys to generate from one state.
    /// - Throws: The first ``ContractViolation`` found.
    public static func check(
        _ generator: any PrimaryKeyGenerator, observing: [Value] = [5, 41, "5"], count: Int = 2_000
    ) throws(ContractViolation) {
        let plugin = "keyGenerator '\(generator.name)'"
        func violation(_ clause: String, _ detail: String) -> ContractViolation {
            ContractViolation(plugin: plugin, clause: clause, detail: detail)
        }
        func next(_ state: inout Value, _ what: String) throws(ContractViolation) -> Value {
            do {
                let key = try generator.nextKey(state: &state)
                guard !key.isNull else { throw violation("valid keys", "\(what) returned null") }
                do {
                    try key.validate()
                } catch {
                    throw violation("valid keys", "\(what) returned \(key), which is not a valid value: \(error)")
                }
                do {
                    try state.validate()
                } catch {
                    throw violation("pure state", "\(what) left the state \(state), which is not storable: \(error)")
                }
                return key
            } catch let error as ContractViolation {
                throw error
            } catch {
                throw violation("pure state", "\(what) threw \(error) before the key space ran out")
            }
        }

        var state = generator.initialState
        do {
            try state.validate()
        } catch {
            throw violation("pure state", "the initial state \(state) is not storable: \(error)")
        }
        var seen = Set<Value>()
        for key in observing {
            generator.observe(explicitKey: key, state: &state)
            seen.insert(key)
        }
        for step in 0..<max(0, count) {
            var what = "nextKey call \(step + 1) after observing \(observing)"
            if step % 100 == 50 {
                // What the generator would give next, inserted explicitly by a caller instead.
                var ahead = state
                _ = try next(&ahead, "nextKey from a copied state")
                let future = try next(&ahead, "nextKey from a copied state")
                generator.observe(explicitKey: future, state: &state)
                seen.insert(future)
                what += " and \(future), the key it would have made second"
            }
            let key = try next(&state, what)
            guard seen.insert(key).inserted else {
                throw violation("no reuse", "\(what) returned \(key), which was generated or observed before")
            }
        }

        // A copy of the state, as a snapshot stores it, resumes without repeating.
        var resumed = state
        let key = try next(&resumed, "nextKey from a copy of the state after \(count) keys")
        if seen.contains(key) {
            throw violation("no reuse", "nextKey from a copy of the state after \(count) keys returned \(key) again")
        }
    }
}
