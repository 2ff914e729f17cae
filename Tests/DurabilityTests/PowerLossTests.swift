import DictDB
import Testing

/// Seeded workloads on a ``SimulatedDisk``, cut by a power loss at a random moment (a random file-system
/// call, also in the middle of a checkpoint), then reopened on what survived: the state must be the model's
/// after some prefix k of the operations (never a reordering, never half a transaction), with k at least
/// the operations known durable (under `always`: every acknowledged one; under `batch` and `os`: those
/// before the last completed barrier, `commit()`, a checkpoint or a catalog change) and at most the
/// operations started.
@Suite struct PowerLossTests {
    /// One step of a workload, run alike on the on-disk database and on the in-memory model.
    struct Step {
        var name: String
        /// Whether everything before it is durable once it returns, whatever the policy.
        var barrier: Bool
        /// Whether it changes content (and so runs on the model too).
        var changesContent = true
        var run: (Database) throws -> Void
    }

    /// A step as it ran: the file-system calls it spanned.
    struct Ran {
        var step: Step
        /// The disk's call count when it started and when it returned.
        var start: Int
        var end: Int
    }

    /// What a workload left: its steps, the model's state after each prefix, and the disk's history.
    struct Recording {
        var policy: String
        var journal: String
        var ran: [Ran]
        /// `states[k]`: the model after the first k steps.
        var states: [DatabaseDump]
        var disk: SimulatedDisk

        /// The fewest steps a power cut after call `call` may keep.
        func durableSteps(at call: Int) -> Int {
            let completed = ran.enumerated().filter { $0.element.end <= call }
            if policy == "always" { return completed.count }
            return (completed.last { $0.element.step.barrier }?.offset).map { $0 + 1 } ?? 0
        }

        /// The most steps a power cut after call `call` may keep: those that had started.
        func startedSteps(at call: Int) -> Int {
            ran.filter { $0.start < call }.count
        }
    }

    static let path = "/db"

    /// The standard plugins, with a `batch` policy that syncs often enough (every 3 records or 1 ms) for
    /// its group syncs, also the flusher's, to land in the middle of a workload.
    static let registry: Registry = {
        var registry = Registry.standard
        registry.register(syncPolicy: BatchSyncPolicy(interval: .milliseconds(1), maxRecords: 3))
        return registry
    }()

    static func open(_ settings: OpenOptions) throws(DictDBError) -> Database {
        try Database.open(at: path, options: settings, registry: registry)
    }

    // MARK: - Workloads

    /// Runs a seeded workload of `count` steps on a fresh database under `policy`: three fixed steps, then
    /// `fixed`, then random ones.
    func record(
        policy: String, journal: String = "binary", seed: UInt64, count: Int, fixed: [Step] = []
    ) throws -> Recording {
        var random = SeededRandom(seed: seed)
        let disk = SimulatedDisk(recordingHistory: true)
        // The parent directory exists and is durable, as it would be on a real deployment.
        try disk.createDirectory(Self.path)
        try disk.syncDirectory("/")
        var settings = options(sync: policy, journal: journal, fileSystem: disk)
        if Bool.random(using: &random) { settings.checkpointMinimumBytes = 2048 }
        let model = Database(registry: .standard)
        var recording = Recording(
            policy: policy, journal: journal, ran: [], states: [try DatabaseDump(model)], disk: disk)
        var db: Database? = try Self.open(settings)
        var steps: [Step] =
            [
                Step(name: "create t", barrier: true) { try $0.createTable("t") },
                Step(name: "index t.group", barrier: false) {
                    try $0.table("t").createIndex(on: ["group"], kind: "sorted")
                },
                Step(name: "create u", barrier: true) { try $0.createTable("u") },
            ] + fixed
        var index = 0
        while index < count, let current = db {
            if index >= steps.count { steps.append(try Self.randomStep(&random, model: model)) }
            let step = steps[index]
            let start = disk.mutatingCalls
            do {
                try step.run(current)
            } catch {
                Issue.record("seed \(seed) \(policy): step \(index) (\(step.name)) failed without any fault: \(error)")
                break
            }
            let end = disk.mutatingCalls
            if step.changesContent { try step.run(model) }
            recording.ran.append(Ran(step: step, start: start, end: end))
            recording.states.append(try DatabaseDump(model))
            index += 1
            if index == count, Bool.random(using: &random) {
                let close = Step(name: "close", barrier: true, changesContent: false) { try $0.close() }
                let start = disk.mutatingCalls
                try current.close()
                recording.ran.append(Ran(step: close, start: start, end: disk.mutatingCalls))
                recording.states.append(try DatabaseDump(model))
                db = nil
            }
        }
        db = nil
        return recording
    }

    static func randomText(_ random: inout SeededRandom) -> Value {
        let length = Int.random(in: 0...700, using: &random)
        let letter = Character(Unicode.Scalar(UInt8.random(in: 97...122, using: &random)))
        return .string(String(repeating: letter, count: length))
    }

    /// A random step valid against the model's current state.
    static func randomStep(_ random: inout SeededRandom, model: Database) throws -> Step {
        let keys = try model.table("t").select().compactMap { $0["id"].intValue }
        let group = Value.int(Int64.random(in: 0..<5, using: &random))
        let text = randomText(&random)
        let key = keys.randomElement(using: &random).map { Value.int($0) }
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<35:
            return Step(name: "insert", barrier: false) {
                try $0.table("t").insert(["group": group, "text": text])
            }
        case 35..<50 where key != nil:
            let key = key ?? .null
            return Step(name: "update \(key)", barrier: false) {
                try $0.table("t").update(key: key, set: ["group": group, "text": text])
            }
        case 50..<60 where key != nil:
            let key = key ?? .null
            return Step(name: "delete \(key)", barrier: false) { try $0.table("t").delete(key: key) }
        case 60..<75:
            let second = randomText(&random)
            return Step(name: "transaction", barrier: false) { db in
                try db.transaction { tx in
                    try tx.table("t").insert(["group": group, "text": text])
                    if let key { try tx.table("t").update(key: key, set: ["group": group]) }
                    try tx.table("u").insert(["text": second])
                }
            }
        case 75..<80:
            let records: [Record] = (0..<3).map { _ in ["group": group, "text": text] }
            return Step(name: "insert batch", barrier: false) { try $0.table("t").insertBatch(records) }
        case 80..<92:
            return Step(name: "commit", barrier: true, changesContent: false) { try $0.commit() }
        case 92..<100:
            return Step(name: "checkpoint", barrier: true, changesContent: false) { try $0.checkpoint() }
        default:
            return Step(name: "insert", barrier: false) {
                try $0.table("t").insert(["group": group, "text": text])
            }
        }
    }

    // MARK: - Checking a power cut

    /// Cuts power after call `call` of the recording, reopens on what survived and checks the state; then
    /// cuts power again in the middle of that recovery and checks that the next recovery finds the same
    /// state. Returns whether recovery refused to open without point-in-time recovery.
    @discardableResult
    func verifyCut(_ recording: Recording, afterCall call: Int, seed: UInt64, label: String) throws -> Bool {
        guard let image = recording.disk.image(afterCall: call) else {
            Issue.record("\(label): no image after call \(call)")
            return false
        }
        let low = recording.durableSteps(at: call)
        let high = max(low, recording.startedSteps(at: call))
        let survivor = image.powerLoss(seed: seed, recordingHistory: true)
        var settings = options(sync: recording.policy, journal: recording.journal, fileSystem: survivor)
        var refused = false
        let db: Database
        do {
            db = try Self.open(settings)
        } catch  where recording.policy != "always" && Self.isJournalDamage(error) {
            // Damage in the unsynced part of the journal followed by a record that survived: recovery
            // refuses unless asked to stop at the damage (see `aLostUnsyncedWriteIsExplainedAndPointInTimeRecoveryKeepsTheSyncedPart`).
            refused = true
            settings.pointInTimeRecovery = true
            do {
                db = try Self.open(settings)
            } catch {
                Issue.record("\(label): point-in-time reopen after a power cut at call \(call) failed: \(error)")
                return refused
            }
        } catch {
            Issue.record("\(label): reopening after a power cut at call \(call) failed: \(error)")
            return refused
        }
        let recovered = try DatabaseDump(db)
        let matches = (low...high).filter { recording.states.indices.contains($0) && recording.states[$0] == recovered }
        #expect(
            !matches.isEmpty,
            "\(label): a power cut at call \(call) recovered \(recovered); expected the state after \(low)...\(high) steps (\(Self.describe(recording, recovered: recovered)))"
        )
        let recoveryCalls = survivor.mutatingCalls
        try db.close()

        // A second cut, in the middle of the first recovery: the next recovery must find the same state.
        var random = SeededRandom(seed: seed ^ 0x5EED)
        let second = Int.random(in: 0...recoveryCalls, using: &random)
        guard let during = survivor.image(afterCall: second) else { return refused }
        settings.fileSystem = during.powerLoss(seed: seed &+ 1)
        do {
            let reopened = try Self.open(settings)
            #expect(
                try DatabaseDump(reopened) == recovered,
                "\(label): a second power cut during recovery (call \(second)) changed the recovered state")
            try reopened.close()
        } catch {
            Issue.record("\(label): reopening after a power cut during recovery (call \(second)) failed: \(error)")
        }
        return refused
    }

    /// Whether `error` is recovery refusing a journal damaged before its end.
    static func isJournalDamage(_ error: DictDBError) -> Bool {
        error.code == .corrupt && error.context.offset != nil
            && FilePath.fileName(of: error.context.path ?? "").hasPrefix("journal-")
    }

    static func describe(_ recording: Recording, recovered: DatabaseDump) -> String {
        let equal = recording.states.indices.filter { recording.states[$0] == recovered }
        let steps = recording.ran.enumerated().map {
            "\($0.offset + 1):\($0.element.step.name)@\($0.element.start)-\($0.element.end)"
        }
        return "equal to prefixes \(equal); steps \(steps.joined(separator: " "))"
    }

    // MARK: - Tests

    @Test(arguments: ["always", "batch", "os"], ["binary", "ndjson"])
    func aPowerCutAtAnyMomentRecoversAPrefixOfTheOperations(policy: String, journal: String) throws {
        var cuts = 0
        var refusals = 0
        for seed in UInt64(1)...100 {
            let recording = try record(policy: policy, journal: journal, seed: seed, count: 30)
            let total = recording.disk.mutatingCalls
            var random = SeededRandom(seed: seed &* 31)
            var moments = (0..<2).map { _ in Int.random(in: 0...total, using: &random) }
            // And one inside a checkpoint, when the workload had one.
            if let checkpoint = recording.ran.filter({ $0.step.name == "checkpoint" || $0.step.name == "close" })
                .randomElement(using: &random), checkpoint.end > checkpoint.start
            {
                moments.append(Int.random(in: (checkpoint.start + 1)...checkpoint.end, using: &random))
            }
            for (position, call) in moments.enumerated() {
                cuts += 1
                let refused = try verifyCut(
                    recording, afterCall: call, seed: seed &* 1000 &+ UInt64(position),
                    label: "\(policy) \(journal) seed \(seed) cut \(position)")
                if refused { refusals += 1 }
            }
        }
        print("power loss \(policy) \(journal): \(cuts) cuts, \(refusals) refused without point-in-time recovery")
    }

    @Test(arguments: ["always", "batch", "os"])
    func aPowerCutBetweenAnyTwoCallsOfACheckpointRecoversAPrefix(policy: String) throws {
        var random = SeededRandom(seed: 99)
        let fixed: [Step] =
            (0..<4).map { i in
                let text = Self.randomText(&random)
                return Step(name: "insert \(i)", barrier: false) {
                    try $0.table("t").insert(["group": 1, "text": text])
                }
            } + [Step(name: "commit", barrier: true, changesContent: false) { try $0.commit() }]
            + (4..<6).map { i in
                Step(name: "insert \(i)", barrier: false) {
                    try $0.table("t").insert(["group": 2, "i": .int(Int64(i))])
                }
            } + [
                Step(name: "checkpoint", barrier: true, changesContent: false) { try $0.checkpoint() },
                Step(name: "insert 6", barrier: false) { try $0.table("u").insert(["after": true]) },
            ]
        let recording = try record(policy: policy, seed: 5, count: 3 + fixed.count, fixed: fixed)
        let checkpoint = try #require(recording.ran.first { $0.step.name == "checkpoint" })
        #expect(checkpoint.end - checkpoint.start >= 10, "a checkpoint makes at least ten file-system calls")
        for call in checkpoint.start...checkpoint.end {
            for seed in UInt64(0)..<4 {
                try verifyCut(
                    recording, afterCall: call, seed: UInt64(call) &* 16 &+ seed,
                    label: "\(policy) checkpoint cut at call \(call) seed \(seed)")
            }
        }
    }

    /// The database directory itself is a directory entry: until its parent is synced, a power cut may
    /// take it, and every acknowledged write in it, away.
    @Test func aNewDatabaseDirectorySurvivesAPowerCutOnceAWriteIsAcknowledged() throws {
        let disk = SimulatedDisk()
        let db = try Self.open(options(sync: "always", fileSystem: disk))
        try db.createTable("t").insert(["a": 1])
        var lost = 0
        for seed in UInt64(0)..<16 {
            let survivor = try Self.open(options(sync: "always", fileSystem: disk.powerLoss(seed: seed)))
            if (try? survivor.table("t").count) != 1 { lost += 1 }
            try survivor.close()
        }
        #expect(lost == 0, "\(lost) of 16 power cuts lost an acknowledged insert with the directory it was in")
        try db.close()
    }

    /// Under `os` (and `batch`) a power cut may keep a later unsynced journal write and drop an earlier one,
    /// leaving a hole in the unsynced tail. Recovery cannot tell that from damage to synced data in general,
    /// so it refuses (DESIGN: damage followed by valid records), says the hole may be lost unsynced writes,
    /// and point-in-time recovery then opens at the hole, keeping everything that was synced.
    @Test func aLostUnsyncedWriteIsExplainedAndPointInTimeRecoveryKeepsTheSyncedPart() throws {
        let disk = SimulatedDisk()
        try disk.createDirectory(Self.path)
        try disk.syncDirectory("/")
        let db = try Self.open(options(sync: "os", fileSystem: disk))
        let table = try db.createTable("t")
        try table.insert(["text": .string(String(repeating: "a", count: 600))])
        try table.insert(["text": "b"])
        var refusals = 0
        for seed in UInt64(0)..<16 {
            let image = disk.powerLoss(seed: seed)
            let opened = Result { () throws(DictDBError) -> Database in
                try Database.open(at: Self.path, options: options(sync: "os", fileSystem: image))
            }
            switch opened {
            case .success(let survivor):
                #expect((0...2).contains(try survivor.table("t").count))
                try survivor.close()
            case .failure(let error):
                refusals += 1
                #expect(error.code == .corrupt)
                #expect(error.message.contains("may be unsynced writes"), "\(error.message)")
                var settings = options(sync: "os", fileSystem: image)
                settings.pointInTimeRecovery = true
                let survivor = try Self.open(settings)
                // The table's creation was synced (catalog changes always are); the inserts were not.
                #expect((0...2).contains(try survivor.table("t").count))
                #expect(survivor.openReport?.stoppedAtDamage != nil)
                try survivor.close()
            }
        }
        #expect(refusals > 0, "no seed produced a hole; the test no longer exercises this case")
        try db.close()
    }

    /// The model the other tests rely on: synced data and synced entries survive every cut; an unsynced
    /// write survives some cuts and not others, torn only at sector boundaries; an unsynced rename leaves
    /// the file under exactly one of its names.
    @Test func theSimulatedDiskLosesOnlyWhatWasNotSynced() throws {
        let disk = SimulatedDisk()
        try disk.createDirectory("/d")
        try disk.syncDirectory("/")
        let synced = try disk.createExclusive("/d/synced")
        try synced.write(Array(repeating: 1, count: 100))
        try synced.sync()
        try synced.close()
        try disk.syncDirectory("/d")
        let appended = try disk.openForAppending("/d/synced", create: false)
        try appended.write(Array(repeating: 2, count: 2000))
        try disk.rename("/d/synced", to: "/d/renamed")
        let unlinked = try disk.createExclusive("/d/new")
        try unlinked.sync()
        var sizes: Set<Int64> = []
        var names: Set<[String]> = []
        for seed in UInt64(0)..<64 {
            let survivor = disk.powerLoss(seed: seed)
            let listing = try survivor.contentsOfDirectory("/d")
            names.insert(listing)
            let file = listing.contains("renamed") ? "/d/renamed" : "/d/synced"
            #expect(listing.contains("renamed") != listing.contains("synced"))
            let size = try #require(try survivor.fileSize(file))
            sizes.insert(size)
            // Kept whole, dropped, or torn at a sector boundary (512, 1024, 1536 or 2048).
            #expect(size == 100 || size == 2100 || (size % 512 == 0 && size < 2100))
            let contents = try #require(survivor.currentImage.contents(of: file))
            #expect(contents.prefix(100) == ArraySlice(repeating: 1, count: 100))
        }
        #expect(sizes.contains(100) && sizes.contains(2100) && sizes.count > 2)
        #expect(names.contains { $0.contains("new") } && names.contains { !$0.contains("new") })
    }
}
