import DictDB
import Hummingbird

extension APIHandlers {
    /// `GET`/`POST /tables/{table}/indexes`, `DELETE /tables/{table}/indexes/{index}`.
    func registerIndexes(on routes: RouteRecorder<ServerRequestContext>) {
        routes.on(.get, "/tables/:table/indexes") { _, context in
            let name = try RequestInput.parameter("table", of: context)
            let indexes = try await withTable(name) { table in table.indexes.map(Self.describe) }
            return JSONResponse.make(["indexes": .array(indexes)])
        }
        routes.on(.post, "/tables/:table/indexes") { request, context in
            let name = try RequestInput.parameter("table", of: context)
            var body = try await RequestInput.object(of: request, limits: limits, what: "a new index")
            let fields = try body.strings("fields") ?? (try body.string("field")).map { [$0] }
            guard let fields, !fields.isEmpty else {
                throw DictDBError(.invalidArgument, "a new index needs \"fields\" (an array) or \"field\"")
            }
            let kind = try body.string("kind") ?? "hash"
            let indexName = try body.string("name")
            if let indexName { try NameRules.check(indexName, what: "index") }
            let unique = try body.bool("unique") ?? false
            try body.finish()
            let definition = try await withTable(name) { table in
                try table.createIndex(on: fields, kind: kind, name: indexName, unique: unique)
            }
            return JSONResponse.make(Self.describe(definition), status: .created)
        }
        routes.on(.delete, "/tables/:table/indexes/:index") { _, context in
            let name = try RequestInput.parameter("table", of: context)
            let indexName = try RequestInput.parameter("index", of: context)
            try await withTable(name) { table in try table.dropIndex(named: indexName) }
            return JSONResponse.make(["dropped": .string(indexName)])
        }
    }
}
