import DictDB
import DictDBToolSupport

/// The invariants of one consistent view of the bank: a read transaction, a snapshot or backup loaded back,
/// the final state, or the database reopened.
struct ConsistencyCheck {
    /// The total balance every consistent view must hold.
    let total: Int64
    /// The accounts the bank started with (probes look up their emails).
    let initialAccounts: Int

    /// A query and the keys of the rows the database answered it with, in order (or the error it threw).
    typealias Answer = (query: Query, served: Result<[Value], DictDBError>)

    /// Checks every account, distinct keys and emails, the total, and the branch totals when `branches` is
    /// given.
    /// - Parameters:
    ///   - accounts: every account of the view, in insertion order.
    ///   - place: where the view comes from, for the messages.
    /// - Returns: the problems found (empty when the view is consistent).
    func invariants(
        accounts: [Record], branches: [Record]?, counts: inout StressLedger.Counts, place: String
    ) -> [String] {
        var problems: [String] = []
        var ids = Set<Int64>()
        var emails = Set<String>()
        var sum: Int64 = 0
        var perBranch: [String: Int64] = [:]
        for record in accounts {
            if let torn = Bank.tornAccount(record) {
                problems.append("\(place): \(torn)")
                continue
            }
            let id = record["id"].intValue ?? 0
            if !ids.insert(id).inserted { problems.append("\(place): account key \(id) appears twice") }
            let email = record["email"].stringValue ?? ""
            if !emails.insert(email).inserted { problems.append("\(place): email \(email) appears twice") }
            let balance = record["balance"].intValue ?? 0
            sum += balance
            perBranch[record["branch"].stringValue ?? "", default: 0] += balance
        }
        counts.add(.check)
        if sum != total { problems.append("\(place): total balance \(sum), expected \(total)") }
        guard let branches else { return problems }
        counts.add(.check)
        var branchSum: Int64 = 0
        for branch in branches {
            let name = branch["name"].stringValue ?? "?"
            let recorded = branch["total"].intValue ?? Int64.min
            branchSum += recorded
            if recorded != perBranch[name, default: 0] {
                problems.append(
                    "\(place): branch \(name) records a total of \(recorded), its accounts hold "
                        + "\(perBranch[name, default: 0])")
            }
        }
        if branches.count != Bank.branchNames.count || branchSum != total {
            problems.append("\(place): \(branches.count) branches holding \(branchSum), expected \(total)")
        }
        return problems
    }

    /// Random probes to run on a view.
    func probes(_ count: Int, random: inout SeededGenerator, largestKey: Int) -> [Query] {
        (0..<count).map { _ in
            ConditionPicker.probe(&random, initialAccounts: initialAccounts, largestKey: largestKey).query
        }
    }

    /// Runs `queries` with `select` and collects the keys each answered with.
    static func answers(_ queries: [Query], select: (Query) throws(DictDBError) -> [Record]) -> [Answer] {
        var answers: [Answer] = []
        for query in queries {
            let served: Result<[Value], DictDBError>
            do {
                served = .success(try select(query).map { $0["id"] })
            } catch {
                served = .failure(error)
            }
            answers.append((query, served))
        }
        return answers
    }

    /// Compares each answer with what a scan of `accounts` (the same view) answers: same rows, same order.
    func compare(
        _ answers: [Answer], accounts: [Record], counts: inout StressLedger.Counts, place: String
    ) -> [String] {
        var problems: [String] = []
        for (query, served) in answers {
            counts.add(.indexCompared)
            counts.add(.check)
            switch served {
            case .failure(let error):
                problems.append("\(place): \(Self.describe(query)) threw \(error)")
            case .success(let keys):
                let scanned = ConditionPicker.scanAnswer(query, all: accounts).map { $0["id"] }
                if keys != scanned {
                    let kind = Set(keys) == Set(scanned) ? "in another order than" : "other rows than"
                    problems.append(
                        "\(place): \(Self.describe(query)) answered \(keys.count) rows \(kind) a scan "
                            + "(\(scanned.count) rows); first served \(keys.prefix(5)), scanned \(scanned.prefix(5))")
                }
            }
        }
        return problems
    }

    /// Loads a snapshot file written during the run and checks it.
    /// - Returns: the problems found, or `nil` when the file was gone before it could be read (a checkpoint
    ///   superseded it).
    func checkFile(
        _ path: String, probes: Int, random: inout SeededGenerator, counts: inout StressLedger.Counts
    ) -> [String]? {
        let loaded: Database
        do {
            loaded = try Database.load(from: path)
        } catch {
            if error.code == .io && !PosixFileSystem().exists(path) { return nil }
            return ["\(path): the file written during the run does not load: \(error)"]
        }
        counts.add(.loadedBack)
        return check(database: loaded, probes: probes, random: &random, counts: &counts, place: path)
    }

    /// Checks a whole database that nobody else writes to (loaded back, finished or reopened): invariants,
    /// probes, and counts.
    func check(
        database: Database, probes: Int, random: inout SeededGenerator, counts: inout StressLedger.Counts,
        place: String
    ) -> [String] {
        do {
            let accounts = try database.table(Bank.accounts)
            let all = try accounts.allRecords()
            var problems = invariants(
                accounts: all, branches: try database.table(Bank.branches).allRecords(), counts: &counts,
                place: place)
            let largestKey = all.compactMap { $0["id"].intValue }.max().map { Int($0) } ?? 1
            let queries = self.probes(probes, random: &random, largestKey: largestKey)
            problems += compare(
                Self.answers(queries) { (query) throws(DictDBError) in try accounts.select(query) }, accounts: all,
                counts: &counts, place: place)
            counts.add(.check)
            let counted = try accounts.count(where: .all)
            if accounts.count != all.count || counted != all.count {
                problems.append(
                    "\(place): count \(accounts.count) and count(where:) \(counted), but \(all.count) records")
            }
            return problems
        } catch {
            return ["\(place): cannot read the bank: \(error)"]
        }
    }

    /// A query for messages: its condition, and its order and limit when it has them.
    static func describe(_ query: Query) -> String {
        var text = "WHERE \(query.condition)"
        if let key = query.ordering.first { text += " ORDER BY \(key.field)\(key.descending ? " DESC" : "")" }
        if let limit = query.limitCount { text += " LIMIT \(limit)" }
        return text
    }
}
