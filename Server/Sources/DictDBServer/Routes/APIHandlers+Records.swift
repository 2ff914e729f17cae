import DictDB
import Hummingbird

extension APIHandlers {
    /// Inserting (one or a batch), upserting, and getting, updating or deleting by key.
    func registerRecords(on routes: RouteRecorder<ServerRequestContext>) {
        routes.on(.post, "/tables/:table/records") { request, context in
            let name = try RequestInput.parameter("table", of: context)
            let record = try await RequestInput.record(of: request, limits: limits)
            let key = try await withTable(name) { table in try table.insert(record) }
            return JSONResponse.make(["key": key], status: .created)
        }
        routes.on(.post, "/tables/:table/batch") { request, context in
            let name = try RequestInput.parameter("table", of: context)
            var body = try await RequestInput.object(of: request, limits: limits, what: "a batch")
            guard let elements = try body.array("records") else {
                throw DictDBError(.invalidArgument, "a batch needs \"records\", an array of objects")
            }
            try body.finish()
            guard elements.count <= limits.maxBatchRecords else {
                throw DictDBError(
                    .limitExceeded, "a batch holds at most \(limits.maxBatchRecords) records, not \(elements.count)")
            }
            var records: [Record] = []
            records.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                guard case .object(let record) = element else {
                    throw DictDBError(.invalidArgument, "records[\(index)] must be an object, not \(element.typeName)")
                }
                records.append(record)
            }
            let keys = try await withTable(name) { [records] table in try table.insertBatch(records) }
            return JSONResponse.make(["keys": .array(keys)], status: .created)
        }
        routes.on(.post, "/tables/:table/upsert") { request, context in
            let name = try RequestInput.parameter("table", of: context)
            var body = try await RequestInput.object(of: request, limits: limits, what: "an upsert")
            guard let record = try body.object("record") else {
                throw DictDBError(.invalidArgument, "an upsert needs \"record\", an object")
            }
            let policyName = try body.string("onConflict") ?? UpsertConflictPolicy.merge.rawValue
            try body.finish()
            guard let policy = UpsertConflictPolicy(rawValue: policyName) else {
                let names = UpsertConflictPolicy.allCases.map(\.rawValue).joined(separator: ", ")
                throw DictDBError(.invalidArgument, "onConflict must be one of \(names), not \"\(policyName)\"")
            }
            let outcome = try await withTable(name) { table in try table.upsert(record, onConflict: policy) }
            let (label, status): (String, HTTPResponse.Status) =
                switch outcome {
                case .inserted: ("inserted", .created)
                case .updated: ("updated", .ok)
                case .ignored: ("ignored", .ok)
                }
            return JSONResponse.make(["outcome": .string(label), "key": outcome.key], status: status)
        }
        routes.on(.get, "/tables/:table/records/:key") { request, context in
            let name = try RequestInput.parameter("table", of: context)
            let key = try RequestInput.key(of: request, context: context)
            guard let record = try await withTable(name, { table in try table.get(key) }) else {
                throw Self.keyNotFound(key, in: name)
            }
            return JSONResponse.make(.object(record))
        }
        routes.on(.patch, "/tables/:table/records/:key") { request, context in
            let name = try RequestInput.parameter("table", of: context)
            let key = try RequestInput.key(of: request, context: context)
            let changes = try await RequestInput.record(of: request, limits: limits)
            guard try await withTable(name, { table in try table.update(key: key, set: changes) }) else {
                throw Self.keyNotFound(key, in: name)
            }
            return JSONResponse.make(["updated": key])
        }
        routes.on(.delete, "/tables/:table/records/:key") { request, context in
            let name = try RequestInput.parameter("table", of: context)
            let key = try RequestInput.key(of: request, context: context)
            guard try await withTable(name, { table in try table.delete(key: key) }) else {
                throw Self.keyNotFound(key, in: name)
            }
            return JSONResponse.make(["deleted": key])
        }
    }

    static func keyNotFound(_ key: Value, in table: String) -> DictDBError {
        DictDBError(.keyNotFound, "no record of \(table) has the key \(key)", context: .init(table: table, key: key))
    }
}
