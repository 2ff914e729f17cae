/// A database that W9 writes from one thread while other threads read it: loaded once, untimed, then
/// driven by a writer loop and reader loops that each run for a set time.
///
/// ## Contract
///
/// - ``open(in:loading:)`` creates the database (in `directory` when it lives in files), with W1's
///   indexes (dept and salary), and loads every record, untimed; keys are `1...records.count`.
/// - ``ConcurrentSession/write(seed:for:)`` and ``ConcurrentSession/read(_:from:for:)`` make one library
///   call per operation, as a user writes it, and may run at the same time on different threads; each
///   write is committed (visible to every reader) when its call returns.
/// - Everything else (checks, counting, closing) is untimed.
protocol ConcurrentContender: Sendable {
    /// The name in the report, such as `DictDB` or `SQLite`.
    var name: String { get }
    /// The setting in a few words, for the notes.
    var setting: String { get }
    /// Creates the database in `directory` (which exists and is empty) and loads `records`.
    func open(in directory: String, loading records: [EmployeeRow]) throws -> any ConcurrentSession
}

/// One open database of a ``ConcurrentContender``.
protocol ConcurrentSession: AnyObject, Sendable {
    /// The writer: for `duration`, sets the salary of one record chosen by ``UpdatePlan`` (seeded with
    /// `seed`) per call, each call its own commit.
    func write(seed: UInt64, for duration: Duration) throws -> WriterTally
    /// A reader: for `duration`, looks up `keys[(start + i) % keys.count]` for i = 0, 1, ... by primary key,
    /// one call each, and decodes each record into an ``Employee``.
    func read(_ keys: [Int], from start: Int, for duration: Duration) throws -> ReaderTally
    /// Untimed: the salary of each of `ids`, `nil` for a missing record.
    func salaries(of ids: [Int]) throws -> [Double?]
    /// Untimed: the keys of the records whose salary is exactly `salary`, through the salary index.
    func keys(withSalary salary: Double) throws -> [Int]
    /// Untimed: the number of records with `low <= salary <= high`, through the salary index.
    func count(salaryFrom low: Double, to high: Double) throws -> Int
    /// Untimed: the number of records.
    func recordCount() throws -> Int
    /// Untimed: a message when the database is not set up as claimed (SQLite's journal mode), else `nil`.
    func configurationProblem() throws -> String?
    /// Closes the database. Untimed.
    func close() throws
}

/// The writes of one W9 writer loop.
struct WriterTally: Sendable {
    /// Updates called.
    var writes: Int
    /// Updates that found no record (each one is a wrong answer).
    var missed: Int
    /// Seconds from the loop's start to its last write's return.
    var seconds: Double

    /// Writes per second.
    var rate: Double { seconds > 0 ? Double(writes) / seconds : 0 }
}

/// The reads of one W9 reader loop.
struct ReaderTally: Sendable {
    /// Lookups called.
    var reads: Int
    /// Lookups that found no record (each one is a wrong answer: the writer never deletes).
    var misses: Int
    /// Records read back with a salary outside the generator's range (a torn or garbled record).
    var badSalaries: Int
    /// The sum over the records read of ``Employee/checksum`` less the salary's part: every field the
    /// writer does not change, checked against the workload afterwards.
    var fixedChecksum: Int
    /// Seconds from the loop's start to its last read's return.
    var seconds: Double

    /// Reads per second.
    var rate: Double { seconds > 0 ? Double(reads) / seconds : 0 }

    /// Adds `employee`, read for a lookup, to the tally.
    mutating func add(_ employee: Employee) {
        fixedChecksum &+= employee.checksum &- Int(employee.salary)
        if !(UpdatePlan.salaryRange).contains(employee.salary) { badSalaries += 1 }
    }
}

extension WriterTally {
    /// Runs `update` with the pairs of an ``UpdatePlan`` (seeded with `seed`, over `records` keys) until
    /// `duration` has passed, reading the clock every 16 writes; `update` returns whether it found the
    /// record. The loop every ``ConcurrentSession/write(seed:for:)`` times.
    static func measure(
        seed: UInt64, records: Int, for duration: Duration, _ update: (_ id: Int, _ salary: Double) throws -> Bool
    ) rethrows -> WriterTally {
        var plan = UpdatePlan(seed: seed, records: records)
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + duration
        var writes = 0
        var missed = 0
        while writes & 15 != 0 || clock.now < deadline {
            let (id, salary) = plan.next()
            if try !update(id, salary) { missed += 1 }
            writes += 1
        }
        return WriterTally(writes: writes, missed: missed, seconds: (clock.now - start).seconds)
    }
}

extension ReaderTally {
    /// Runs `lookUp` over `keys` from position `start`, round and round, until `duration` has passed,
    /// reading the clock every 16 reads; `lookUp` returns the decoded record or `nil` when it is missing.
    /// The loop every ``ConcurrentSession/read(_:from:for:)`` times.
    static func measure(
        _ keys: [Int], from start: Int, for duration: Duration, _ lookUp: (_ id: Int) throws -> Employee?
    ) rethrows -> ReaderTally {
        var tally = ReaderTally(reads: 0, misses: 0, badSalaries: 0, fixedChecksum: 0, seconds: 0)
        guard !keys.isEmpty else { return tally }
        let clock = ContinuousClock()
        let began = clock.now
        let deadline = began + duration
        var position = start % keys.count
        while tally.reads & 15 != 0 || clock.now < deadline {
            let id = keys[position]
            position = position + 1 == keys.count ? 0 : position + 1
            tally.reads += 1
            if let employee = try lookUp(id) { tally.add(employee) } else { tally.misses += 1 }
        }
        tally.seconds = (clock.now - began).seconds
        return tally
    }
}

/// The W9 writer's sequence of `(key, new salary)` pairs: keys uniform in `1...records`, salaries with two
/// decimals in the generator's range, from a SplitMix64 stream, so the same seed replays the same writes
/// (the check recomputes every record's final salary from the seed and the number of writes).
struct UpdatePlan: Sendable {
    /// The salaries the workload generator and the writer use.
    static let salaryRange = 30_000.0...200_000.0

    private var state: UInt64
    private let records: UInt64

    /// A plan over keys `1...records` (at least 1) from `seed`.
    init(seed: UInt64, records: Int) {
        state = seed
        self.records = UInt64(max(1, records))
    }

    /// The next write: a key and its new salary.
    mutating func next() -> (id: Int, salary: Double) {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let id = Int(z % records) + 1
        let cents = (z >> 32) % 17_000_001
        return (id, Self.salaryRange.lowerBound + Double(cents) / 100)
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
