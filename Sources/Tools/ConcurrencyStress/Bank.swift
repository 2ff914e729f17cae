import DictDB
import DictDBToolSupport

/// The stress database: accounts whose balances only move inside transactions, and a table of branch
/// totals that those transactions keep in step.
///
/// `accounts` records: `id` (auto-increment), `owner`, `email` (unique index), `branch` (hash index),
/// `tier` (sorted index), `balance` (sorted index: a field that changes all the time), `version`, `check`
/// and `stamp`, plus a composite index on (branch, tier). `version`, `check` and `stamp` (and `tier`) are
/// always written together: `check == version` and `stamp == "<version>:<tier>"` in every whole record.
///
/// `branches` records: `name` (the primary key) and `total`, the sum of the balances of its accounts.
enum Bank {
    /// The accounts table.
    static let accounts = "accounts"
    /// The branch totals table.
    static let branches = "branches"
    /// The branch names.
    static let branchNames = (0..<8).map { "b\($0)" }
    /// Every account's balance at the start.
    static let initialBalance: Int64 = 1000
    /// Tiers are drawn from `0..<tierCount`.
    static let tierCount: Int64 = 100

    /// The email of the `number`th initial account: never deleted (deletes only touch accounts added
    /// later), so inserting it again must always fail.
    static func initialEmail(_ number: Int) -> String {
        "init-\(number)@stress.test"
    }

    /// The stamp a record with this version and tier carries.
    static func stamp(version: Int64, tier: Int64) -> String {
        "\(version):\(tier)"
    }

    /// The fields written together on every change of a record: version, check, stamp and tier.
    static func versionFields(version: Int64, tier: Int64) -> Record {
        [
            "version": .int(version), "check": .int(version), "stamp": .string(stamp(version: version, tier: tier)),
            "tier": .int(tier),
        ]
    }

    /// A new account.
    static func account(owner: String, email: String, branch: String, tier: Int64, balance: Int64) -> Record {
        var record: Record = [
            "owner": .string(owner), "email": .string(email), "branch": .string(branch), "balance": .int(balance),
        ]
        for (name, value) in versionFields(version: 0, tier: tier) { record[name] = value }
        return record
    }

    /// The changes that move `record` to a new balance (and maybe branch), bumping its version.
    static func changes(_ record: Record, balance: Int64, branch: String? = nil) -> Record {
        let version = (record["version"].intValue ?? 0) + 1
        var changes = versionFields(version: version, tier: record["tier"].intValue ?? 0)
        changes["balance"] = .int(balance)
        if let branch { changes["branch"] = .string(branch) }
        return changes
    }

    /// What is wrong with an account record, or `nil` when it is whole: every field present with its type,
    /// `check == version`, `stamp == "<version>:<tier>"`, a known branch and a balance that is not negative.
    static func tornAccount(_ record: Record) -> String? {
        guard let id = record["id"].intValue, record["owner"].stringValue != nil,
            record["email"].stringValue != nil, let branch = record["branch"].stringValue,
            let tier = record["tier"].intValue, let balance = record["balance"].intValue,
            let version = record["version"].intValue, let check = record["check"].intValue,
            let stamp = record["stamp"].stringValue
        else { return "account record lacks a field or has a wrong type: \(record)" }
        if check != version { return "torn account \(id): version \(version) but check \(check)" }
        if stamp != Self.stamp(version: version, tier: tier) {
            return "torn account \(id): stamp '\(stamp)' but version \(version) and tier \(tier)"
        }
        if !branchNames.contains(branch) { return "account \(id) has unknown branch '\(branch)'" }
        if balance < 0 { return "account \(id) has a negative balance \(balance)" }
        return nil
    }

    /// Creates the tables and indexes and inserts `count` accounts spread over the branches.
    /// - Returns: the total balance, which must never change.
    static func populate(_ db: Database, count: Int, random: inout SeededGenerator) throws -> Int64 {
        let accountTable = try db.createTable(accounts)
        try accountTable.createIndex(on: "email", kind: "unique")
        try accountTable.createIndex(on: "branch")
        try accountTable.createIndex(on: "tier", kind: "sorted")
        try accountTable.createIndex(on: "balance", kind: "sorted")
        try accountTable.createIndex(on: ["branch", "tier"], kind: "composite")
        var totals: [String: Int64] = [:]
        var batch: [Record] = []
        for number in 1...count {
            let branch = branchNames[(number - 1) % branchNames.count]
            totals[branch, default: 0] += initialBalance
            batch.append(
                account(
                    owner: "owner-\(number)", email: initialEmail(number), branch: branch,
                    tier: Int64(random.index(below: Int(tierCount))), balance: initialBalance))
        }
        try accountTable.insertBatch(batch)
        let branchTable = try db.createTable(branches, primaryKey: "name")
        try branchTable.insertBatch(
            branchNames.map { ["name": .string($0), "total": .int(totals[$0] ?? 0)] })
        return Int64(count) * initialBalance
    }
}
