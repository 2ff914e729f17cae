import DictDB
import DictDBToolSupport

/// Thrown inside a transaction body to roll it back on purpose.
struct Abort: Error {}

/// One writer thread: a seeded mix of transfers, branch moves, updates, inserts, deletes and transactions
/// that roll back, none of which may change the total balance.
struct Writer {
    let database: Database
    let ledger: StressLedger
    /// The writer's number, which keeps its new emails apart from the other writers'.
    let number: Int
    /// Accounts at the start (keys `1...initialAccounts`); deletes only touch keys above.
    let initialAccounts: Int
    var random: SeededGenerator
    var counts = StressLedger.Counts()
    private var inserted = 0

    /// Writer `number`, drawing from its own random stream.
    init(database: Database, ledger: StressLedger, number: Int, initialAccounts: Int, random: SeededGenerator) {
        self.database = database
        self.ledger = ledger
        self.number = number
        self.initialAccounts = initialAccounts
        self.random = random
    }

    /// Runs operations until the ledger says stop or `limit` operations are done.
    mutating func run(limit: Int?) {
        var done = 0
        while !ledger.shouldStop && done < (limit ?? .max) {
            do {
                try step()
            } catch {
                ledger.violation("writer \(number): unexpected error \(error)")
            }
            done += 1
            ledger.tick(.writer)
        }
        ledger.merge(counts)
    }

    /// A random key likely to exist: half the time an initial account's, else one of the newest keys.
    private mutating func randomKey() -> Int64 {
        let largest = max(1, ledger.largestKey.load(ordering: .relaxed))
        if random.percent(50) || largest <= initialAccounts {
            return Int64(random.index(below: initialAccounts) + 1)
        }
        let newest = max(initialAccounts + 1, largest - 2 * initialAccounts)
        return Int64(newest + random.index(below: largest - newest + 1))
    }

    /// One operation.
    private mutating func step() throws {
        let roll = random.index(below: 100)
        switch roll {
        case 0..<40: try transfer()
        case 40..<45: try moveBranch()
        case 45..<63: try update()
        case 63..<66: try bulkUpdate()
        case 66..<76: try insert()
        case 76..<80: try insertBatch()
        case 80..<90: try delete()
        case 90..<95: try transfer(failing: true)
        default: try transfer(withFailingSavepoint: true)
        }
    }

    /// Moves money between two accounts in a transaction, keeping the branch totals in step. With `failing`,
    /// the body throws at the end and nothing may change; with `withFailingSavepoint`, a savepoint in the
    /// middle pays a third account from nowhere and throws, and only that part may be undone.
    private mutating func transfer(failing: Bool = false, withFailingSavepoint: Bool = false) throws {
        // Mostly from an initial account (they start with money; added ones start empty).
        let from = random.percent(60) ? Int64(random.index(below: initialAccounts) + 1) : randomKey()
        var to = randomKey()
        if to == from { to = from % Int64(max(2, ledger.largestKey.load(ordering: .relaxed))) + 1 }
        let third = randomKey()
        let amountRoll = Int64(random.index(below: 100)) + 1
        do {
            let crossed = try database.transaction { tx -> Bool in
                let accounts = try tx.table(Bank.accounts)
                guard let source = try accounts.get(.int(from)), let target = try accounts.get(.int(to)),
                    let sourceBalance = source["balance"].intValue, let targetBalance = target["balance"].intValue,
                    sourceBalance > 0
                else { throw Abort() }
                let amount = min(amountRoll, sourceBalance)
                try accounts.update(key: .int(from), set: Bank.changes(source, balance: sourceBalance - amount))
                if withFailingSavepoint {
                    _ = try? tx.savepoint { tx in
                        let inner = try tx.table(Bank.accounts)
                        if let extra = try inner.get(.int(third)), let balance = extra["balance"].intValue {
                            try inner.update(key: .int(third), set: Bank.changes(extra, balance: balance + 1_000_000))
                        }
                        throw Abort()
                    }
                }
                try accounts.update(key: .int(to), set: Bank.changes(target, balance: targetBalance + amount))
                let sourceBranch = source["branch"].stringValue ?? ""
                let targetBranch = target["branch"].stringValue ?? ""
                if sourceBranch != targetBranch {
                    try Self.adjust(tx, branch: sourceBranch, by: -amount)
                    try Self.adjust(tx, branch: targetBranch, by: amount)
                }
                if failing { throw Abort() }
                return sourceBranch != targetBranch
            }
            counts.add(withFailingSavepoint ? .savepoint : .transfer)
            if crossed { counts.add(.crossBranch) }
            committed()
        } catch is Abort {
            counts.add(failing ? .rollback : .aborted)
        }
    }

    /// Adds `amount` to a branch's total inside a transaction.
    private static func adjust(_ tx: Transaction, branch: String, by amount: Int64) throws {
        let branches = try tx.table(Bank.branches)
        guard let record = try branches.get(.string(branch)), let total = record["total"].intValue else {
            throw DictDBError(.keyNotFound, "branch \(branch) is missing")
        }
        try branches.update(key: .string(branch), set: ["total": .int(total + amount)])
    }

    /// Moves an account to another branch, with its balance, in a transaction.
    private mutating func moveBranch() throws {
        let key = randomKey()
        let destination = random.pick(Bank.branchNames)
        do {
            try database.transaction { tx in
                let accounts = try tx.table(Bank.accounts)
                guard let account = try accounts.get(.int(key)), let balance = account["balance"].intValue,
                    let branch = account["branch"].stringValue, branch != destination
                else { throw Abort() }
                try accounts.update(key: .int(key), set: Bank.changes(account, balance: balance, branch: destination))
                try Self.adjust(tx, branch: branch, by: -balance)
                try Self.adjust(tx, branch: destination, by: balance)
            }
            counts.add(.move)
            committed()
        } catch is Abort {
            counts.add(.aborted)
        }
    }

    /// Reads an account and writes a new tier with the next version, outside any transaction.
    private mutating func update() throws {
        let key = Value.int(randomKey())
        let tier = Int64(random.index(below: Int(Bank.tierCount)))
        let accounts = try database.table(Bank.accounts)
        guard let account = try accounts.get(key) else {
            counts.add(.aborted)
            return
        }
        let version = (account["version"].intValue ?? 0) + 1
        if try accounts.update(key: key, set: Bank.versionFields(version: version, tier: tier)) { committed() }
        counts.add(.update)
    }

    /// Rewrites the version fields of every account of a branch under some tier in one call.
    private mutating func bulkUpdate() throws {
        let branch = random.pick(Bank.branchNames)
        let below = Int64(random.index(below: Int(Bank.tierCount)))
        let version = Int64(random.index(below: 1_000_000)) + 1_000_000
        let tier = Int64(random.index(below: Int(Bank.tierCount)))
        let accounts = try database.table(Bank.accounts)
        let updated = try accounts.update(
            set: Bank.versionFields(version: version, tier: tier),
            where: Field("branch") == branch && Field("tier") < below)
        if updated > 0 { committed() }
        counts.add(.bulkUpdate)
    }

    /// A new, empty account; sometimes first a copy of an initial account's email, which must be refused.
    private mutating func insert() throws {
        let accounts = try database.table(Bank.accounts)
        if random.percent(20) {
            let taken = Bank.initialEmail(random.index(below: initialAccounts) + 1)
            do {
                let key = try accounts.insert(newAccount(email: taken))
                ledger.violation("the unique email index accepted a second \(taken) (key \(key))")
                ledger.accountDelta.add(1, ordering: .relaxed)
            } catch {
                guard error.code == .uniqueViolation else { throw error }
                counts.add(.refusedDuplicate)
            }
            return
        }
        let key = try accounts.insert(newAccount(email: nextEmail()))
        ledger.noteKey(key)
        ledger.accountDelta.add(1, ordering: .relaxed)
        committed()
        counts.add(.insert)
    }

    /// Three new accounts in one batch; sometimes the last repeats an initial account's email, and then
    /// none of the three may be there.
    private mutating func insertBatch() throws {
        let accounts = try database.table(Bank.accounts)
        var batch = (0..<3).map { _ in newAccount(email: nextEmail()) }
        let spoiled = random.percent(25)
        if spoiled {
            batch[2] = newAccount(email: Bank.initialEmail(random.index(below: initialAccounts) + 1))
        }
        let refused: Bool
        do {
            let keys = try accounts.insertBatch(batch)
            for key in keys { ledger.noteKey(key) }
            ledger.accountDelta.add(keys.count, ordering: .relaxed)
            committed()
            if spoiled { ledger.violation("a batch holding a duplicate email was accepted (keys \(keys))") }
            counts.add(.batchInsert)
            refused = false
        } catch {
            guard spoiled && error.code == .uniqueViolation else { throw error }
            refused = true
        }
        guard refused else { return }
        counts.add(.refusedDuplicate)
        for record in batch.prefix(2) {
            let email = record["email"]
            if !(try accounts.select(Query(Field("email") == email))).isEmpty {
                ledger.violation("a refused batch left its account \(email) behind")
            }
        }
    }

    /// Deletes an added account whose balance is zero (the total cannot change).
    private mutating func delete() throws {
        let accounts = try database.table(Bank.accounts)
        let condition: Condition
        if random.percent(50) {
            let key = max(randomKey(), Int64(initialAccounts) + 1)
            condition = Field("id") == key && Field("balance") == 0
        } else {
            condition =
                Field("id") > Int64(initialAccounts) && Field("balance") == 0
                && Field("branch") == random.pick(Bank.branchNames)
        }
        let deleted = try accounts.delete(where: condition)
        ledger.accountDelta.add(-deleted, ordering: .relaxed)
        if deleted > 0 { committed() }
        counts.add(.delete)
    }

    /// Counts a write that changed the database, once it has returned.
    private func committed() {
        ledger.committedWrites.add(1, ordering: .releasing)
    }

    /// An empty account with this email in a random branch and tier.
    private mutating func newAccount(email: String) -> Record {
        Bank.account(
            owner: "writer-\(number)", email: email, branch: random.pick(Bank.branchNames),
            tier: Int64(random.index(below: Int(Bank.tierCount))), balance: 0)
    }

    /// An email no other insert uses.
    private mutating func nextEmail() -> String {
        inserted += 1
        return "w\(number)-\(inserted)@stress.test"
    }
}
