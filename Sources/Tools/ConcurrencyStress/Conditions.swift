import DictDB
import DictDBToolSupport

/// Random conditions over the accounts' indexed fields, for comparing what an index answers with what a
/// full scan answers.
struct ConditionPicker {
    /// A query to check, and whether the planner is expected to serve it from an index.
    struct Probe {
        /// The query (a condition, sometimes with an order and a limit).
        var query: Query
        /// Whether an index (or the key map) should serve it.
        var expectsIndex: Bool
    }

    /// A random probe; emails and keys are drawn among the initial accounts' and up to `largestKey`.
    static func probe(_ random: inout SeededGenerator, initialAccounts: Int, largestKey: Int) -> Probe {
        let branch = random.pick(Bank.branchNames)
        let other = random.pick(Bank.branchNames)
        let tier = Int64(random.index(below: Int(Bank.tierCount)))
        let amount = Int64(random.index(below: 2500))
        switch random.index(below: 15) {
        case 0: return Probe(query: Query(Field("branch") == branch), expectsIndex: true)
        case 1: return Probe(query: Query(Field("branch").in([branch, other])), expectsIndex: true)
        case 2: return Probe(query: Query(Field("tier").between(tier, tier + 9)), expectsIndex: true)
        case 3: return Probe(query: Query(Field("tier") >= tier), expectsIndex: true)
        case 4: return Probe(query: Query(Field("branch") == branch && Field("tier") < tier), expectsIndex: true)
        case 5: return Probe(query: Query(Field("balance") > amount), expectsIndex: true)
        case 6: return Probe(query: Query(Field("balance") == 0), expectsIndex: true)
        case 7:
            let email = Bank.initialEmail(random.index(below: max(1, initialAccounts)) + 1)
            return Probe(query: Query(Field("email") == email), expectsIndex: true)
        case 8: return Probe(query: Query(Field("email").hasPrefix("init-1")), expectsIndex: true)
        case 9: return Probe(query: Query(Field("branch") == branch || Field("tier") == tier), expectsIndex: true)
        case 10: return Probe(query: Query(!(Field("branch") == branch)), expectsIndex: false)
        case 11:
            return Probe(
                query: Query(Field("balance").between(amount, amount + 400) && Field("branch") != branch),
                expectsIndex: true)
        case 12: return Probe(query: Query(Field("version") >= tier), expectsIndex: false)
        case 13:
            return Probe(
                query: Query(Field("tier") < tier).orderBy(.descending("balance")).limit(10), expectsIndex: true)
        default:
            let key = Value.int(Int64(random.index(below: max(1, largestKey)) + 1))
            return Probe(query: Query(Field("id") == key || Field("id") == Value.int(-1)), expectsIndex: true)
        }
    }

    /// What a full scan answers for `query`: the records of `all` (in insertion order) that match, sorted
    /// stably when the query orders them, then limited.
    static func scanAnswer(_ query: Query, all: [Record]) -> [Record] {
        var rows = all.filter { query.condition.matches($0) }
        if let key = query.ordering.first {
            let indexed = Array(rows.enumerated())
            rows = indexed.sorted { left, right in
                let a = left.element[key.field]
                let b = right.element[key.field]
                if a == b { return left.offset < right.offset }
                return key.descending ? b < a : a < b
            }.map(\.element)
        }
        if let limit = query.limitCount, limit >= 0 { rows = Array(rows.prefix(limit)) }
        return rows
    }
}
