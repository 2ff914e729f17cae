/// How hard one mutating call insists on durability.
///
/// ```swift
/// try events.insert(event)                          // as the database's sync policy says
/// try payments.insert(payment, durability: .always) // fsynced before returning, even under `batch`
/// ```
public enum Durability: Sendable, Hashable {
    /// The database's sync policy decides when the change is forced to disk.
    case policy
    /// The change is forced to stable storage before the call returns, whatever the policy. In-memory
    /// databases ignore it.
    case always
}
