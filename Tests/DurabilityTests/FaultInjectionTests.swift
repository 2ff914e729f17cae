import DictDB
import Foundation
import Testing

/// SQLite-style I/O-error loops: one fixed scenario runs again and again with call n (n = 1, 2, 3...) of
/// one kind failing, until a run completes without reaching the fault. Every call must succeed or throw a
/// typed error; a call that threw leaves memory as it was (after a failed fsync: as it was at the last
/// successful sync, which under `always` is the same); and a clean reopen gives back the acknowledged
/// operations: exactly under `always` (plus, after a failed fsync, possibly the one operation whose outcome
/// is in doubt), a prefix of them no shorter than the last successful sync under `os`.
@Suite struct FaultInjectionTests {
    typealias Fault = FaultInjectingFileSystem.Fault

    /// One kind of fault a loop injects at call n.
    struct FaultKind: Sendable, CustomTestStringConvertible {
        var name: String
        /// The operation whose n-th call fails.
        var operation: FaultInjectingFileSystem.Operation
        var errno: Int32 = 5
        var bytesWrittenFirst = 0
        /// Also fail the truncate that cuts a failed journal write back (reached through a short write).
        var failTruncateAfterwards = false

        var testDescription: String { name }

        func faults(at call: Int, persistent: Bool) -> [Fault] {
            if failTruncateAfterwards {
                // A short write at call n, and the truncates from the first one on (the first is the journal
                // writer cutting that write back, when it was a journal write) fail.
                return [
                    Fault(.write, onCall: call, errno: 5, bytesWrittenFirst: 5),
                    Fault(.truncate, onCall: 1, errno: 5, persistent: persistent),
                ]
            }
            return [
                Fault(
                    operation, onCall: call, errno: errno, persistent: persistent, bytesWrittenFirst: bytesWrittenFirst)
            ]
        }

        static let all: [FaultKind] = [
            FaultKind(name: "write EIO", operation: .write),
            FaultKind(name: "write ENOSPC", operation: .write, errno: 28),
            FaultKind(name: "short write", operation: .write, bytesWrittenFirst: 5),
            FaultKind(name: "sync EIO", operation: .sync),
            FaultKind(name: "truncate EIO", operation: .write, failTruncateAfterwards: true),
            FaultKind(name: "rename EIO", operation: .rename),
            FaultKind(name: "syncDirectory EIO", operation: .syncDirectory),
            FaultKind(name: "createExclusive EIO", operation: .createExclusive),
            FaultKind(name: "openForAppending EIO", operation: .openForAppending),
            FaultKind(name: "removeFile EIO", operation: .removeFile),
            FaultKind(name: "read EIO", operation: .read),
            FaultKind(name: "close EIO", operation: .close),
        ]
    }

    /// A data operation, run alike on the on-disk database and on the in-memory model.
    struct Operation: Sendable {
        var name: String
        /// A catalog change: synced before it returns, whatever the policy.
        var catalog = false
        var run: @Sendable (Database) throws -> Void
    }

    enum Step: Sendable {
        case open
        case operation(Operation)
        case commit
        case checkpoint
        case close
        /// Lets go of the database without closing it: no checkpoint, the journal stays as it is.
        case release
    }

    /// Three opens (create; reopen from a snapshot; reopen replaying a journal), every kind of change, a
    /// transaction, barriers, a checkpoint and two closes.
    static let scenario: [Step] = [
        .open,
        .operation(Operation(name: "create users", catalog: true) { try $0.createTable("users") }),
        .operation(
            Operation(name: "index email") { try $0.table("users").createIndex(on: ["email"], kind: "unique") }),
        .operation(
            Operation(name: "insert 1") { try $0.table("users").insert(["name": "ada", "email": "a@x", "age": 36]) }),
        .operation(
            Operation(name: "insert 2") { try $0.table("users").insert(["name": "bob", "email": "b@x", "age": 41]) }),
        .commit,
        .operation(
            Operation(name: "insert 3") { try $0.table("users").insert(["name": "cy", "email": "c@x", "age": 19]) }),
        .operation(Operation(name: "update 2") { try $0.table("users").update(key: 2, set: ["age": 42]) }),
        .operation(Operation(name: "delete 1") { try $0.table("users").delete(key: 1) }),
        .operation(Operation(name: "create orders", catalog: true) { try $0.createTable("orders") }),
        .operation(
            Operation(name: "transaction") { db in
                try db.transaction { tx in
                    try tx.table("orders").insert(["user": 2, "total": 12.5])
                    try tx.table("users").update(key: 3, set: ["orders": 1])
                }
            }),
        .checkpoint,
        .operation(
            Operation(name: "insert 4") { try $0.table("users").insert(["name": "dee", "email": "d@x", "age": 50]) }),
        .operation(Operation(name: "upsert 2") { try $0.table("users").upsert(["id": 2, "name": "bobby"]) }),
        .close,
        .open,
        .operation(Operation(name: "insert order") { try $0.table("orders").insert(["user": 4, "total": 3.0]) }),
        .operation(
            Operation(name: "update where") {
                try $0.table("users").update(set: ["flag": true], where: Field("age") > 40)
            }
        ),
        .commit,
        .operation(Operation(name: "delete order 1") { try $0.table("orders").delete(key: 1) }),
        .release,
        .open,
        .operation(Operation(name: "delete 3") { try $0.table("users").delete(key: 3) }),
        .close,
    ]

    /// What one run saw.
    struct RunOutcome {
        var reachedFault = false
        var failedCalls = 0
        var failedOpens = 0
        /// Reopens that found the operation whose fsync failed on disk after all.
        var adoptedInDoubt = 0
        /// Reopens that found fewer operations than were acknowledged (`os` after a failed fsync).
        var recoveredShorterPrefix = 0
    }

    // MARK: - The loops

    @Test(arguments: FaultKind.all, [false, true])
    func everyFaultUnderAlwaysFailsCleanlyAndLosesNothingAcknowledged(kind: FaultKind, persistent: Bool) throws {
        try loop(kind, persistent: persistent, policy: "always")
    }

    @Test(arguments: FaultKind.all, [false, true])
    func everyFaultUnderOSFailsCleanlyAndKeepsEverythingSynced(kind: FaultKind, persistent: Bool) throws {
        try loop(kind, persistent: persistent, policy: "os")
    }

    @Test(arguments: FaultKind.all, ["always", "os"])
    func everyTransientFaultFollowedByAPowerCutKeepsEverythingSynced(kind: FaultKind, policy: String) throws {
        try loop(kind, persistent: false, policy: policy, onSimulatedDisk: true)
    }

    func loop(_ kind: FaultKind, persistent: Bool, policy: String, onSimulatedDisk: Bool = false) throws {
        var positions = 0
        var total = RunOutcome()
        for call in 1...400 {
            let directory = onSimulatedDisk ? nil : try TemporaryDirectory()
            var disk: SimulatedDisk?
            if onSimulatedDisk {
                // The database directory exists and is durable (see
                // PowerLossTests.aNewDatabaseDirectorySurvivesAPowerCutOnceAWriteIsAcknowledged).
                let simulated = SimulatedDisk()
                try simulated.createDirectory("/data/db")
                try simulated.syncDirectory("/")
                try simulated.syncDirectory("/data")
                disk = simulated
            }
            let outcome = try run(
                Self.scenario, in: directory?.file("db") ?? "/data/db", policy: policy,
                faults: kind.faults(at: call, persistent: persistent),
                label: "\(policy): \(kind.name) \(persistent ? "persistent" : "transient") at call \(call)",
                disk: disk)
            total.failedCalls += outcome.failedCalls
            total.failedOpens += outcome.failedOpens
            total.adoptedInDoubt += outcome.adoptedInDoubt
            total.recoveredShorterPrefix += outcome.recoveredShorterPrefix
            guard outcome.reachedFault else { break }
            positions += 1
        }
        #expect(positions > 0, "the scenario never reached a \(kind.name)")
        #expect(positions < 400, "the loop did not end")
        print(
            "fault loop \(policy)\(onSimulatedDisk ? " (simulated disk)" : "") \(kind.name) (\(persistent ? "persistent" : "transient")): \(positions) positions, \(total.failedCalls) failed calls, \(total.failedOpens) failed opens, \(total.adoptedInDoubt) in-doubt operations found on disk, \(total.recoveredShorterPrefix) shorter prefixes"
        )
    }

    // MARK: - Single cases

    /// How many calls of each kind opening a database, creating table `t` and inserting one record make.
    static func callsToSetUp(_ directory: TemporaryDirectory) throws -> [FaultInjectingFileSystem.Operation: Int] {
        let probe = FaultInjectingFileSystem(faults: [])
        let db = try Database.open(at: directory.file("probe"), options: options(fileSystem: probe))
        try db.createTable("t").insert(["v": 1])
        let counts = probe.callCounts
        try db.close()
        return counts
    }

    /// A journal write that failed and could not be cut back leaves bytes of a torn record in the journal:
    /// the database must refuse writes until it is reopened (JournalWriter's contract). A checkpoint must not
    /// quietly switch to a new journal and accept writes again: if the snapshot then fails, the torn bytes
    /// sit in the middle of the journal sequence, and reopening refuses the directory (`corrupt`), or with
    /// point-in-time recovery discards the writes acknowledged after the checkpoint.
    @Test func aFailedTruncateKeepsTheDatabaseReadOnlyEvenAcrossACheckpoint() throws {
        let directory = try TemporaryDirectory()
        let before = try Self.callsToSetUp(directory)
        let writes = before[.write, default: 0]
        let creates = before[.createExclusive, default: 0]
        let path = directory.file("db")
        let fileSystem = FaultInjectingFileSystem(faults: [
            // The next journal write stops after 5 bytes, and cutting it back fails.
            Fault(.write, onCall: writes + 1, bytesWrittenFirst: 5),
            Fault(.truncate, onCall: 1),
            // The checkpoint's snapshot (after its new journal) cannot be created.
            Fault(.createExclusive, onCall: creates + 2),
        ])
        var acknowledged: [Int64] = [1]
        do {
            let db = try Database.open(at: path, options: options(fileSystem: fileSystem))
            let table = try db.createTable("t")
            try table.insert(["v": 1])
            #expect(captureError { try table.insert(["v": 2]) }?.code == .io)
            #expect(captureError { try table.insert(["v": 3]) }?.code == .readOnly)
            #expect(captureError { try db.checkpoint() } != nil)
            let afterCheckpoint = captureError { try table.insert(["v": 4]) }
            #expect(
                afterCheckpoint?.code == .readOnly, "a write was accepted after a failed truncate, before any reopen")
            if afterCheckpoint == nil { acknowledged.append(4) }
        }
        // Whatever was acknowledged must come back on a clean reopen.
        let reopened: Database
        do {
            reopened = try Database.open(at: path)
        } catch {
            Issue.record("a clean reopen failed: \(error)")
            return
        }
        let values = try reopened.table("t").select().compactMap { $0["v"].intValue }
        #expect(values == acknowledged)
        try reopened.close()
    }

    /// A checkpoint creates its new journal, then opens it for appending; when that open fails, the
    /// checkpoint fails but must not leave the new journal behind, or every later checkpoint (close's too)
    /// fails on the name it left (`createExclusive`: File exists) until the database is reopened.
    @Test func aCheckpointThatCouldNotOpenItsNewJournalDoesNotBlockTheNextOne() throws {
        let directory = try TemporaryDirectory()
        let opens = try Self.callsToSetUp(directory)[.openForAppending, default: 0]
        let fileSystem = FaultInjectingFileSystem(faults: [Fault(.openForAppending, onCall: opens + 1)])
        let path = directory.file("db")
        let db = try Database.open(at: path, options: options(fileSystem: fileSystem))
        let table = try db.createTable("t")
        try table.insert(["v": 1])
        #expect(captureError { try db.checkpoint() }?.code == .io)
        try table.insert(["v": 2])
        let second = captureError { try db.checkpoint() }
        #expect(second == nil, "the next checkpoint failed: \(second.map(String.init(describing:)) ?? "")")
        let expected = try DatabaseDump(db)
        #expect(captureError { try db.close() } == nil)
        let reopened = try Database.open(at: path)
        #expect(try DatabaseDump(reopened) == expected)
        try reopened.close()
    }

    /// A real ENOSPC from the kernel (a write to `/dev/full`) through ``PosixFileSystem``: the call fails with
    /// `io` and errno 28, memory is unchanged, the database works again once there is space, and a clean reopen
    /// has exactly the acknowledged records.
    @Test func aRealENOSPCFromTheKernelFailsTheWriteAndLosesNothing() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let directory = try TemporaryDirectory()
        let path = directory.file("db")
        let fileSystem = DiskFullFileSystem()
        let expected: DatabaseDump
        do {
            let db = try Database.open(at: path, options: options(fileSystem: fileSystem))
            let table = try db.createTable("t")
            try table.insert(["v": 1])
            let before = try DatabaseDump(db)
            fileSystem.isFull.withLock { $0 = true }
            let error = captureError { try table.insert(["v": 2]) }
            #expect(error?.code == .io)
            #expect(error.map { Self.rootCause(of: $0).context.found } == "errno 28")
            #expect(try DatabaseDump(db) == before)
            fileSystem.isFull.withLock { $0 = false }
            try table.insert(["v": 3])
            expected = try DatabaseDump(db)
        }
        let reopened = try Database.open(at: path)
        #expect(try DatabaseDump(reopened) == expected)
        try reopened.close()
    }

    // MARK: - Running a scenario

    /// The acknowledged operations, the model's state after each prefix of them, and how many are known
    /// to be durable.
    struct Model {
        var acknowledged: [Operation] = []
        /// `states[k]`: the state after the first k acknowledged operations.
        var states: [DatabaseDump]
        var database = Database(registry: .standard)
        /// The length of the prefix known to be on stable storage.
        var durable = 0

        init() throws {
            states = [try DatabaseDump(database)]
        }

        mutating func append(_ operation: Operation) throws {
            try operation.run(database)
            acknowledged.append(operation)
            states.append(try DatabaseDump(database))
        }

        /// Keeps only the first `count` acknowledged operations (a recovery found no more on disk).
        mutating func truncate(to count: Int) throws {
            let kept = Array(acknowledged.prefix(count))
            self = try Model()
            for operation in kept { try append(operation) }
            durable = count
        }
    }

    /// Runs `steps` against a database at `path` whose file system injects `faults`, mirroring every
    /// acknowledged operation on an in-memory model, and checks each call and the final reopen.
    ///
    /// With a `disk`, the database lives on it instead of the real file system, and the test also cuts the
    /// power right after the first call that met the fault and at the end: what survives must hold at
    /// least every operation known to be synced at that moment.
    func run(
        _ steps: [Step], in path: String, policy: String, faults: [Fault], label: String, disk: SimulatedDisk? = nil
    ) throws -> RunOutcome {
        let fileSystem = FaultInjectingFileSystem(base: disk ?? PosixFileSystem(), faults: faults)
        /// The disk right after the first step that met a fault, and what was known then.
        var cut: (image: SimulatedDisk.Image, model: Model, inDoubt: Operation?)?
        var model = try Model()
        var outcome = RunOutcome()
        var db: Database?
        var stopped = false
        /// An operation that threw after its record may have reached the journal (a failed fsync).
        var inDoubt: Operation?
        /// Whether a failed fsync turned the open database read-only.
        var readOnly = false

        func check(_ error: any Error, during step: String, allowed: Set<DictDBError.Code>) {
            outcome.failedCalls += 1
            guard let error = error as? DictDBError else {
                Issue.record("\(label): \(step) threw a non-DictDBError: \(error)")
                return
            }
            #expect(allowed.contains(error.code), "\(label): \(step) threw \(error)")
            if error.code == .io {
                let errnos = Set(faults.map { "errno \($0.errno)" })
                #expect(
                    errnos.contains(Self.rootCause(of: error).context.found ?? ""),
                    "\(label): \(step) threw an io error without the injected errno: \(error)")
            }
        }

        /// What memory must hold now: the acknowledged operations, or after a failed fsync the synced ones.
        func expectedMemory() -> DatabaseDump {
            model.states[readOnly ? model.durable : model.acknowledged.count]
        }

        /// Runs a call that may fail and checks how it failed. A failed fsync of the journal turns the database
        /// read-only and undoes every unsynced change in memory; any other failure leaves memory as it was.
        /// `mirror` runs the call on the model, to tell a logical failure (an earlier failed call left a table
        /// or key missing) from a wrong one.
        func attempt(
            _ name: String, on current: Database, mirror: (() throws -> Void)? = nil, _ body: () throws -> Void
        ) throws -> Bool {
            let before = try DatabaseDump(current)
            let firedBefore = fileSystem.triggeredFaults.count
            do {
                try body()
                return true
            } catch let error as DictDBError where ![.io, .readOnly].contains(error.code) && mirror != nil {
                outcome.failedCalls += 1
                if !readOnly, let mirror {
                    #expect(
                        Self.code(of: mirror) == error.code, "\(label): \(name) threw \(error), the model did not")
                }
                #expect(try DatabaseDump(current) == before, "\(label): the failed \(name) changed memory")
                return false
            } catch {
                check(error, during: name, allowed: readOnly ? [.readOnly] : [.io, .readOnly])
                let syncFailed = fileSystem.triggeredFaults.dropFirst(firedBefore).contains { $0.operation == .sync }
                if !readOnly, syncFailed, (error as? DictDBError)?.code == .readOnly {
                    // Memory is back at the last synced state: at least what the test knows was synced (a
                    // checkpoint that failed later on may have synced more).
                    readOnly = true
                    #expect(
                        ((error as? DictDBError)?.underlying as? DictDBError)?.code == .io,
                        "\(label): the read-only error of \(name) does not carry the io error: \(error)")
                    let memory = try DatabaseDump(current)
                    let count = model.acknowledged.count
                    if let synced = (model.durable...count).last(where: { model.states[$0] == memory }) {
                        model.durable = synced
                    } else {
                        Issue.record(
                            "\(label): after the failed fsync in \(name) memory is not the state after \(model.durable)...\(count) operations: \(memory)"
                        )
                    }
                } else {
                    #expect(try DatabaseDump(current) == before, "\(label): the failed \(name) changed memory")
                }
                return false
            }
        }

        /// After an open, the recovered state is the model's after a prefix no shorter than the synced one,
        /// or all of it plus the in-doubt operation. The model then follows the disk.
        func reconcile(_ opened: Database, step: String) throws {
            let recovered = try DatabaseDump(opened)
            let count = model.acknowledged.count
            if let prefix = (model.durable...count).last(where: { model.states[$0] == recovered }) {
                if prefix < count {
                    outcome.recoveredShorterPrefix += 1
                    #expect(policy != "always", "\(label): \(step) lost acknowledged operations")
                }
                try model.truncate(to: prefix)
                inDoubt = nil
                return
            }
            if let pending = inDoubt {
                var candidate = model
                try candidate.truncate(to: count)
                try candidate.append(pending)
                if candidate.states.last == recovered {
                    model = candidate
                    model.durable = model.acknowledged.count
                    outcome.adoptedInDoubt += 1
                    inDoubt = nil
                    return
                }
            }
            Issue.record(
                "\(label): \(step) recovered \(recovered), expected the state after \(model.durable)...\(count) of \(model.acknowledged.map(\.name))\(inDoubt.map { " or those plus \($0.name)" } ?? "")"
            )
            stopped = true
        }

        for step in steps where !stopped {
            switch step {
            case .open:
                db = nil
                readOnly = false
                // A transient fault fails one open; the next one must work.
                for round in 1...2 where db == nil {
                    do {
                        let opened = try Database.open(
                            at: path, options: options(sync: policy, fileSystem: fileSystem))
                        try reconcile(opened, step: "open (attempt \(round))")
                        db = opened
                    } catch {
                        outcome.failedOpens += 1
                        check(error, during: "open (attempt \(round))", allowed: [.io])
                    }
                }
                if db == nil { stopped = true }
            case .operation(let operation):
                guard let current = db else { continue }
                let wasReadOnly = readOnly
                let succeeded = try attempt(
                    operation.name, on: current, mirror: { try operation.run(model.database) },
                    { try operation.run(current) })
                if succeeded, !readOnly {
                    try model.append(operation)
                    if policy == "always" || operation.catalog { model.durable = model.acknowledged.count }
                } else if !wasReadOnly, readOnly {
                    inDoubt = operation
                }
                // A call may succeed on a read-only database only when it changes nothing; reads keep working.
                #expect(
                    try DatabaseDump(current) == expectedMemory(),
                    "\(label): after \(operation.name) memory differs from the acknowledged operations")
            case .commit:
                guard let current = db else { continue }
                if try attempt("commit", on: current, { try current.commit() }) {
                    model.durable = model.acknowledged.count
                }
                #expect(try DatabaseDump(current) == expectedMemory(), "\(label): after commit memory differs")
            case .checkpoint:
                guard let current = db else { continue }
                if try attempt("checkpoint", on: current, { try current.checkpoint() }) {
                    model.durable = model.acknowledged.count
                }
                #expect(try DatabaseDump(current) == expectedMemory(), "\(label): after the checkpoint memory differs")
            case .close:
                guard let current = db else { continue }
                _ = try attempt("close", on: current) { try current.close() }
                #expect(try DatabaseDump(current) == expectedMemory(), "\(label): after close memory differs")
                db = nil
            case .release:
                db = nil
            }
            if cut == nil, let disk, !fileSystem.triggeredFaults.isEmpty {
                cut = (disk.currentImage, model, inDoubt)
            }
        }
        db = nil
        outcome.reachedFault = !fileSystem.triggeredFaults.isEmpty
        guard !stopped || outcome.reachedFault else { return outcome }

        if let disk {
            if let cut {
                try verifyPowerCuts(
                    cut.image, path: path, policy: policy, model: cut.model, inDoubt: cut.inDoubt,
                    label: "\(label), power cut after the fault")
            }
            try verifyPowerCuts(
                disk.currentImage, path: path, policy: policy, model: model, inDoubt: inDoubt,
                label: "\(label), power cut at the end")
        }

        // A clean reopen recovers the acknowledged operations (or those plus the one in doubt).
        do {
            let reopened = try Database.open(
                at: path, options: options(sync: policy, fileSystem: disk ?? PosixFileSystem()))
            try reconcile(reopened, step: "the clean reopen")
            try reopened.close()
        } catch {
            Issue.record("\(label): a clean reopen failed: \(error)")
        }
        return outcome
    }

    /// The code of the DictDBError `body` throws, or nil.
    static func code(of body: () throws -> Void) -> DictDBError.Code? {
        do {
            try body()
            return nil
        } catch {
            return (error as? DictDBError)?.code
        }
    }

    /// Cuts the power at `image` (several ways) and checks that what survives opens to the state after at
    /// least the synced operations of `model` and at most all of them plus the one in doubt.
    func verifyPowerCuts(
        _ image: SimulatedDisk.Image, path: String, policy: String, model: Model, inDoubt: Operation?, label: String
    ) throws {
        let count = model.acknowledged.count
        var allowed = Array(model.states[model.durable...count])
        if let inDoubt {
            var candidate = model
            try candidate.truncate(to: count)
            try candidate.append(inDoubt)
            if let state = candidate.states.last { allowed.append(state) }
        }
        for seed in UInt64(0)..<4 {
            var settings = options(sync: policy, fileSystem: image.powerLoss(seed: seed))
            let db: Database
            do {
                db = try Database.open(at: path, options: settings)
            } catch  where policy != "always" && PowerLossTests.isJournalDamage(error) {
                // A hole in the unsynced tail (see PowerLossTests.aLostUnsyncedWriteIsExplainedAndPointInTimeRecoveryKeepsTheSyncedPart).
                settings.pointInTimeRecovery = true
                db = try Database.open(at: path, options: settings)
            } catch {
                Issue.record("\(label) (seed \(seed)): reopening failed: \(error)")
                continue
            }
            let recovered = try DatabaseDump(db)
            #expect(
                allowed.contains(recovered),
                "\(label) (seed \(seed)): recovered \(recovered), expected the state after \(model.durable)...\(count) of \(model.acknowledged.map(\.name))\(inDoubt.map { " or those plus \($0.name)" } ?? "")"
            )
            try db.close()
        }
    }

    static func rootCause(of error: DictDBError) -> DictDBError {
        var current = error
        while let next = current.underlying as? DictDBError { current = next }
        return current
    }
}

/// The real file system, except that while `isFull` is set every write goes to `/dev/full`, whose writes the
/// kernel fails with ENOSPC.
private final class DiskFullFileSystem: WrappingFileSystem, @unchecked Sendable {
    // @unchecked: `isFull` is a LockedValue.
    let isFull = LockedValue(false)

    override func wrap(_ file: any WritableFile) -> any WritableFile { DiskFullFile(file, owner: self) }
}

/// A file of a ``DiskFullFileSystem``.
private final class DiskFullFile: ForwardingFile {
    let owner: DiskFullFileSystem

    init(_ base: any WritableFile, owner: DiskFullFileSystem) {
        self.owner = owner
        super.init(base)
    }

    override func write(_ bytes: UnsafeRawBufferPointer) throws(DictDBError) {
        guard owner.isFull.withLock({ $0 }) else { return try base.write(bytes) }
        let full = try owner.base.openForAppending("/dev/full", create: false)
        defer { try? full.close() }
        try full.write(bytes)
    }
}
