import DictDBAPI

/// One run of ``IndexKindContract/check(_:fields:options:keys:predicates:seed:steps:)``: random operations
/// on an index and a model, checked against each other as they go.
struct IndexContractRun {
    /// The clauses, as the protocols' documentation words them.
    enum Clause {
        static let makesIndex = "makes an index for a definition it serves"
        static let rejects = "rejects definitions it cannot serve with invalidArgument"
        static let exactAnswers = "exact answers"
        static let estimates = "consistent estimates"
        static let statistics = "statistics"
        static let valueSemantics = "value semantics"
        static let removeAll = "removeAll"
        static let build = "build(from:)"
        static let absentRemoval = "removing an absent entry does nothing"
        static let orderedVisits = "ordered visits"
        static let stops = "stops when the body returns false"
    }

    /// A clause that does not hold and what was seen.
    typealias Mismatch = (clause: String, detail: String)

    let kind: any IndexKind
    let definition: IndexDefinition
    let keys: [Value]
    /// The predicates asked at every check, besides `keyEqualities`.
    let predicates: [IndexPredicate]
    /// `equal` on each key.
    var keyEqualities: [IndexPredicate] { keys.map { .equal($0) } }
    let seed: UInt64
    let steps: Int

    /// The row ids the random operations use: few enough that keys share rows and rows share keys.
    private static let rowCount = 24

    /// A violation with what replays it.
    func violation(_ clause: String, _ detail: String, step: Int) -> ContractViolation {
        ContractViolation(
            plugin: "indexKind '\(kind.name)'", clause: clause,
            detail: "\(detail) (seed \(seed), step \(step), fields \(definition.fields))")
    }

    func makeIndex() throws(ContractViolation) -> any TableIndex {
        do {
            return try kind.makeIndex(definition)
        } catch {
            throw violation(Clause.makesIndex, "makeIndex(\(definition)) threw \(error)", step: 0)
        }
    }

    func execute() throws(ContractViolation) {
        var random = SplitMix64(seed: seed)
        var index = try makeIndex()
        if index.definition.fields != definition.fields || index.definition.name != definition.name {
            throw violation(
                Clause.makesIndex, "makeIndex(\(definition)) made an index defined as \(index.definition)", step: 0)
        }
        var model = IndexModel()
        if let mismatch = mismatch(index, model) { throw violation(mismatch.clause, mismatch.detail, step: 0) }
        let interval = max(1, steps / 30)
        var kept: (index: any TableIndex, model: IndexModel, step: Int)?
        for step in stride(from: 1, through: steps, by: 1) {
            let key = random.pick(keys)
            let row = random.below(Self.rowCount)
            if random.below(3) == 0 {
                let present = model.contains(key, row)
                let before = present ? 0 : index.statistics.entries
                index.remove(key: key, row: row)
                model.remove(key, row)
                if !present && index.statistics.entries != before {
                    throw violation(
                        Clause.absentRemoval,
                        "remove(key: \(key), row: \(row)) of an absent entry changed the entry count from \(before) "
                            + "to \(index.statistics.entries)", step: step)
                }
            } else if !model.contains(key, row) {
                index.insert(key: key, row: row)
                model.insert(key, row)
            }
            guard step % interval == 0 || step == steps else { continue }
            if let mismatch = mismatch(index, model) { throw violation(mismatch.clause, mismatch.detail, step: step) }
            if let kept, let mismatch = mismatch(kept.index, kept.model, predicates: keyEqualities, ordered: false) {
                throw violation(
                    Clause.valueSemantics,
                    "a copy taken at step \(kept.step) changed as the original was mutated: "
                        + "\(mismatch.clause): \(mismatch.detail)", step: step)
            }
            kept = (index, model, step)
            try checkMutatingACopy(index, model, step: step, random: &random)
        }
        try checkRemoveAll(index, model)
        try checkBuild(model)
    }

    /// Mutates a copy and checks that the original did not change and the copy did.
    private func checkMutatingACopy(
        _ index: any TableIndex, _ model: IndexModel, step: Int, random: inout SplitMix64
    ) throws(ContractViolation) {
        var copy = index
        var copyModel = model
        let key = random.pick(keys)
        let row = Self.rowCount + step
        copy.insert(key: key, row: row)
        copyModel.insert(key, row)
        var touched: [IndexPredicate] = [.equal(key)]
        if let victim = model.someEntry {
            copy.remove(key: victim.key, row: victim.row)
            copyModel.remove(victim.key, victim.row)
            touched.append(.equal(victim.key))
        }
        if let mismatch = mismatch(index, model, predicates: touched, ordered: false) {
            throw violation(
                Clause.valueSemantics,
                "mutating a copy (insert \(key) row \(row), remove \(model.someEntry.map { "\($0)" } ?? "nothing")) "
                    + "changed the original: \(mismatch.clause): \(mismatch.detail)", step: step)
        }
        if let mismatch = mismatch(copy, copyModel, predicates: touched, ordered: false) {
            throw violation(
                mismatch.clause,
                "after a copy's insert of \(key) row \(row) and remove of "
                    + "\(model.someEntry.map { "\($0)" } ?? "nothing"): \(mismatch.detail)", step: step)
        }
    }

    /// `removeAll` on a copy empties it (which then takes new entries) and leaves the original alone.
    private func checkRemoveAll(_ index: any TableIndex, _ model: IndexModel) throws(ContractViolation) {
        var cleared = index
        cleared.removeAll()
        if let mismatch = mismatch(cleared, IndexModel()) {
            throw violation(Clause.removeAll, "after removeAll: \(mismatch.clause): \(mismatch.detail)", step: steps)
        }
        if let mismatch = mismatch(index, model) {
            throw violation(
                Clause.valueSemantics,
                "removeAll on a copy changed the original: \(mismatch.clause): \(mismatch.detail)",
                step: steps)
        }
        var refilled = IndexModel()
        for (offset, key) in keys.prefix(5).enumerated() {
            cleared.insert(key: key, row: offset)
            refilled.insert(key, offset)
        }
        if let mismatch = mismatch(cleared, refilled) {
            throw violation(
                Clause.removeAll, "inserting after removeAll: \(mismatch.clause): \(mismatch.detail)", step: steps)
        }
    }

    /// `build(from:)` on a fresh index and on one holding other entries equals the model.
    private func checkBuild(_ model: IndexModel) throws(ContractViolation) {
        let entries = model.entriesInRowOrder
        var fresh = try makeIndex()
        fresh.build(from: entries)
        if let mismatch = mismatch(fresh, model) {
            throw violation(
                Clause.build,
                "build(from: \(entries.count) entries) on an empty index: \(mismatch.clause): "
                    + "\(mismatch.detail)", step: steps)
        }
        var used = try makeIndex()
        for (offset, key) in keys.prefix(7).enumerated() { used.insert(key: key, row: 1_000 + offset) }
        used.build(from: entries)
        if let mismatch = mismatch(used, model) {
            throw violation(
                Clause.build,
                "build(from: \(entries.count) entries) on an index holding other entries: "
                    + "\(mismatch.clause): \(mismatch.detail)", step: steps)
        }
    }
}
