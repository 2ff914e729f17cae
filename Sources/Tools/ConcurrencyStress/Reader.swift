import DictDB
import DictDBToolSupport

/// One reader thread: plain reads (which must each see one consistent table) and read transactions
/// (which must see one consistent database), checking the bank's invariants on each.
struct Reader {
    let database: Database
    let ledger: StressLedger
    let check: ConsistencyCheck
    /// The reader's number, for messages.
    let number: Int
    var random: SeededGenerator
    var counts = StressLedger.Counts()

    /// Reads until the ledger says stop.
    mutating func run() {
        while !ledger.shouldStop {
            do {
                try step()
            } catch {
                ledger.violation("reader \(number): unexpected error \(error)")
            }
            ledger.tick(.reader)
        }
        ledger.merge(counts)
    }

    /// One read of a random kind.
    private mutating func step() throws {
        let accounts = try database.table(Bank.accounts)
        switch random.index(below: 100) {
        case 0..<15: try scan(accounts)
        case 15..<30: try aggregate(accounts)
        case 30..<60: try indexRead(accounts)
        case 60..<80: try consistentRead()
        default: try get(accounts)
        }
    }

    /// Every account in one read: whole records, distinct keys and emails, the total balance.
    private mutating func scan(_ accounts: Table) throws {
        let all = try accounts.allRecords()
        for problem in check.invariants(accounts: all, branches: nil, counts: &counts, place: "scan") {
            ledger.violation(problem)
        }
        counts.add(.scan)
    }

    /// The total balance through the aggregate path, on the accounts and (separately) on the branch
    /// totals: each table alone must always hold the whole amount.
    private mutating func aggregate(_ accounts: Table) throws {
        let rows = try accounts.aggregate(AggregateQuery().compute(.sum("balance", as: "total"), .count(as: "n")))
        counts.add(.check)
        let total = rows.first?["total"]
        if rows.count != 1 || total != .int(check.total) {
            ledger.violation("aggregate sum(balance) is \(total ?? .null), expected \(check.total) (rows \(rows))")
        }
        let branches = try database.table(Bank.branches)
        let branchRows = try branches.aggregate(AggregateQuery().compute(.sum("total", as: "total")))
        counts.add(.check)
        let branchTotal = branchRows.first?["total"]
        if branchRows.count != 1 || branchTotal != .int(check.total) {
            ledger.violation("aggregate sum(total) of the branches is \(branchTotal ?? .null), expected \(check.total)")
        }
        counts.add(.aggregate)
    }

    /// A random query on indexed fields outside any transaction: every row returned must match and be
    /// whole (completeness needs a consistent view: see ``consistentRead()``). Also asks explain whether an
    /// index serves it.
    private mutating func indexRead(_ accounts: Table) throws {
        let probe = ConditionPicker.probe(
            &random, initialAccounts: check.initialAccounts, largestKey: ledger.largestKey.load(ordering: .relaxed))
        let plan = try accounts.explain(probe.query)
        if probe.expectsIndex {
            counts.add(.explained)
            if !plan.isFullScan { counts.add(.indexServed) }
        }
        let rows = try accounts.select(probe.query)
        counts.add(.check)
        for row in rows {
            if let torn = Bank.tornAccount(row) {
                ledger.violation("index read: \(torn)")
            } else if !probe.query.condition.matches(row) {
                ledger.violation(
                    "index read: \(ConsistencyCheck.describe(probe.query)) returned a row that does not match: \(row)")
            }
        }
        if let limit = probe.query.limitCount, rows.count > limit {
            ledger.violation("index read: LIMIT \(limit) returned \(rows.count) rows")
        }
        counts.add(.indexRead)
    }

    /// A read transaction: the whole bank as one consistent view, with index answers compared to scans of
    /// the same view and `count()` compared to the rows.
    private mutating func consistentRead() throws {
        let queries = check.probes(4, random: &random, largestKey: ledger.largestKey.load(ordering: .relaxed))
        let (all, branches, counted, answers) = try database.transaction { tx in
            let accounts = try tx.table(Bank.accounts)
            let all = try accounts.select()
            let branches = try tx.table(Bank.branches).select()
            let answers = ConsistencyCheck.answers(queries) { (query) throws(DictDBError) in
                try accounts.select(query)
            }
            return (all, branches, try accounts.count(), answers)
        }
        let place = "read transaction"
        var problems = check.invariants(accounts: all, branches: branches, counts: &counts, place: place)
        problems += check.compare(answers, accounts: all, counts: &counts, place: place)
        counts.add(.check)
        if counted != all.count {
            problems.append("\(place): count() is \(counted) but select() returned \(all.count)")
        }
        for problem in problems { ledger.violation(problem) }
        counts.add(.consistentRead)
    }

    /// One account by key: whole when it exists.
    private mutating func get(_ accounts: Table) throws {
        let largest = max(1, ledger.largestKey.load(ordering: .relaxed))
        let key = Value.int(Int64(random.index(below: largest)) + 1)
        if let record = try accounts.get(key) {
            counts.add(.check)
            if let torn = Bank.tornAccount(record) { ledger.violation("get: \(torn)") }
            if record["id"] != key { ledger.violation("get(\(key)) returned account \(record["id"])") }
        }
        counts.add(.get)
    }
}
