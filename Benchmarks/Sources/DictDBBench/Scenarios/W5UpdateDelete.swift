/// W5, first row: updates of salary by key (`updates`: distinct `[id, new salary]` pairs from the workload
/// file) on the full indexed table. DictDB: one `update(key:set:)` per pair; SQLite: one prepared
/// `UPDATE ... WHERE id = ?` per pair, all in one transaction.
///
/// Checked: every update found its record, the table still holds N records, and the updated records read
/// back with their new salaries (a checksum over every field of every updated record).
struct SalaryUpdateScenario: Scenario {
    let id = "W5"
    let unit = "updates"
    let goal: Goal? = Goal(minimum: 3)

    func title(for workload: Workload) -> String { "\(workload.updates.count) salary updates by key" }

    func operations(in workload: Workload) -> Int { workload.updates.count }

    func prepare(_ contender: any Contender, for workload: Workload) throws {
        try contender.ensureLoaded(workload)
    }

    func run(_ contender: any Contender, on workload: Workload) throws -> Int {
        try contender.updateSalaries(workload.updates)
    }

    func expectedAnswer(for workload: Workload) -> Int { workload.updates.count }

    func check(_ contender: any Contender, answer: Int, workload: Workload) throws -> String? {
        let expected = expectedAnswer(for: workload)
        if answer != expected { return "W5: \(contender.name) updated \(answer) records, expected \(expected)" }
        let count = try contender.recordCount()
        if count != workload.records.count {
            return "W5: \(contender.name) holds \(count) records after the updates, expected \(workload.records.count)"
        }
        let ids = workload.updates.map(\.id)
        let checksum = try contender.lookUp(ids)
        let expectedChecksum = Self.checksumAfterUpdates(workload)
        return checksum == expectedChecksum
            ? nil
            : "W5: \(contender.name)'s updated records read back with checksum \(checksum), expected \(expectedChecksum)"
    }

    /// The sum of the checksums of the updated records, with their new salaries.
    static func checksumAfterUpdates(_ workload: Workload) -> Int {
        var sum = 0
        for update in workload.updates {
            var row = workload.records[update.id - 1]
            row.salary = update.salary
            sum &+= row.checksum(id: update.id)
        }
        return sum
    }
}

/// W5, second row: deletes by key (`deletes`: distinct keys from the workload file) on the table as the
/// updates left it (the updates are replayed, untimed, before each pass). DictDB: one `delete(key:)` per
/// key; SQLite: one prepared `DELETE ... WHERE id = ?` per key, all in one transaction.
///
/// Checked: every delete found its record, the table holds N - deletes records, and no deleted key reads
/// back.
struct DeleteScenario: Scenario {
    let id = "W5"
    let unit = "deletes"
    let goal: Goal? = Goal(minimum: 3)

    func title(for workload: Workload) -> String { "\(workload.deletes.count) deletes by key, after the updates" }

    func operations(in workload: Workload) -> Int { workload.deletes.count }

    func prepare(_ contender: any Contender, for workload: Workload) throws {
        try contender.ensureLoaded(workload)
        let updated = try contender.updateSalaries(workload.updates)
        if updated != workload.updates.count {
            throw SetupFailure(reason: "\(contender.name) updated \(updated) of \(workload.updates.count) records")
        }
    }

    func run(_ contender: any Contender, on workload: Workload) throws -> Int {
        try contender.delete(workload.deletes)
    }

    func expectedAnswer(for workload: Workload) -> Int { workload.deletes.count }

    func check(_ contender: any Contender, answer: Int, workload: Workload) throws -> String? {
        let expected = expectedAnswer(for: workload)
        if answer != expected { return "W5: \(contender.name) deleted \(answer) records, expected \(expected)" }
        let count = try contender.recordCount()
        let remaining = workload.records.count - workload.deletes.count
        if count != remaining {
            return "W5: \(contender.name) holds \(count) records after the deletes, expected \(remaining)"
        }
        let found = try contender.lookUp(workload.deletes)
        return found == 0 ? nil : "W5: \(contender.name) still returns deleted keys (checksum \(found), expected 0)"
    }
}

/// Untimed setup that did not do what it should, so the pass cannot be measured.
struct SetupFailure: Error, CustomStringConvertible {
    var reason: String

    var description: String { "setup failed: \(reason)" }
}
