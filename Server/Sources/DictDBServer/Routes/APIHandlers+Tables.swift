import DictDB
import Hummingbird

extension APIHandlers {
    /// `GET /tables`, `POST /tables`, `GET /tables/{table}`, `DELETE /tables/{table}`.
    func registerTables(on routes: RouteRecorder<ServerRequestContext>) {
        routes.on(.get, "/tables") { _, _ in
            let tables = try await service.perform { database -> [Value] in
                database.tableNames.compactMap { name in (try? database.table(name)).map(Self.describe) }
            }
            return JSONResponse.make(["tables": .array(tables)])
        }
        routes.on(.post, "/tables") { request, _ in
            var body = try await RequestInput.object(of: request, limits: limits, what: "a new table")
            guard let name = try body.string("name") else {
                throw DictDBError(.invalidArgument, "a new table needs \"name\"")
            }
            try NameRules.check(name, what: "table")
            let primaryKey = try body.string("primaryKey") ?? "id"
            let keyGenerator = try body.string("keyGenerator") ?? "autoincrement"
            let ifNotExists = try body.bool("ifNotExists") ?? false
            try body.finish()
            let (table, created) = try await service.perform { database in
                let existed = database.hasTable(name)
                let table = try database.createTable(
                    name, primaryKey: primaryKey, keyGenerator: keyGenerator, ifNotExists: ifNotExists)
                return (Self.describe(table), !existed)
            }
            return JSONResponse.make(table, status: created ? .created : .ok)
        }
        routes.on(.get, "/tables/:table") { _, context in
            let name = try RequestInput.parameter("table", of: context)
            return JSONResponse.make(try await withTable(name, Self.describe))
        }
        routes.on(.delete, "/tables/:table") { _, context in
            let name = try RequestInput.parameter("table", of: context)
            try await service.perform { database in try database.dropTable(name) }
            return JSONResponse.make(["dropped": .string(name)])
        }
    }

    /// A table as JSON: name, primary key, key generator, record count, indexes.
    static func describe(_ table: Table) -> Value {
        [
            "name": .string(table.name), "primaryKey": .string(table.primaryKey),
            "keyGenerator": .string(table.keyGenerator.name), "records": .int(Int64(table.count)),
            "indexes": .array(table.indexes.map(describe)),
        ]
    }

    /// An index definition as JSON.
    static func describe(_ index: IndexDefinition) -> Value {
        [
            "name": .string(index.name), "fields": .array(index.fields.map(Value.string)), "kind": .string(index.kind),
            "unique": .bool(index.unique),
        ]
    }
}
