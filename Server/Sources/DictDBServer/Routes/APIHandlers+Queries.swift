import DictDB
import Hummingbird

extension APIHandlers {
    /// `POST /query` (the query language), `POST /tables/{table}/query` and `/explain` (the JSON form).
    func registerQueries(on routes: RouteRecorder<ServerRequestContext>) {
        routes.on(.post, "/query") { request, context in
            var body = try await RequestInput.object(of: request, limits: limits, what: "a statement")
            guard let statement = try body.string("statement") else {
                throw DictDBError(.invalidArgument, "send {\"statement\": \"SELECT ...\"}")
            }
            try body.finish()
            guard statement.utf8.count <= limits.maxStatementBytes else {
                throw DictDBError(
                    .limitExceeded, "the statement is longer than the limit of \(limits.maxStatementBytes) bytes")
            }
            let result = try await service.perform { database in try database.execute(statement) }
            return try respond(to: result, format: RowFormat(accept: request.headers[.accept]), context: context)
        }
        routes.on(.post, "/tables/:table/query") { request, context in
            let name = try RequestInput.parameter("table", of: context)
            var body = try await RequestInput.object(of: request, limits: limits, what: "the query")
            let query = try QueryDecoder.decode(&body)
            try body.finish()
            let (columns, records) = try await withTable(name) { table in
                let records = try table.selectRows(query)
                let columns =
                    query.projection?.map(\.outputName)
                    ?? Self.columns(of: records, primaryKey: table.primaryKey)
                return (columns, records)
            }
            try checkResultSize(records.count)
            return RowStream.response(
                columns: columns, records: records, format: RowFormat(accept: request.headers[.accept]),
                channel: context.channel, sendTimeout: configuration.sendTimeout)
        }
        routes.on(.post, "/tables/:table/explain") { request, context in
            let name = try RequestInput.parameter("table", of: context)
            var body = try await RequestInput.object(of: request, limits: limits, what: "the query")
            let query = try QueryDecoder.decode(&body)
            let analyze = try body.bool("analyze") ?? false
            try body.finish()
            let plan = try await withTable(name) { table in try table.explain(query, analyze: analyze) }
            return JSONResponse.make(Self.describe(plan))
        }
    }

    /// The response for a statement's result: streamed rows, or a JSON summary.
    private func respond(
        to result: StatementResult, format: RowFormat, context: ServerRequestContext
    ) throws -> Response {
        var body: Record
        switch result {
        case .rows(let columns, let records):
            try checkResultSize(records.count)
            return RowStream.response(
                columns: columns, records: records, format: format, channel: context.channel,
                sendTimeout: configuration.sendTimeout)
        case .plan(let plan):
            return JSONResponse.make(Self.describe(plan))
        case .inserted(let table, let keys):
            body = ["result": "inserted", "table": .string(table), "keys": .array(keys)]
        case .updated(let table, let count):
            body = ["result": "updated", "table": .string(table), "count": .int(Int64(count))]
        case .deleted(let table, let count):
            body = ["result": "deleted", "table": .string(table), "count": .int(Int64(count))]
        case .tableCreated(let name, let created):
            body = ["result": "tableCreated", "table": .string(name), "created": .bool(created)]
        case .tableDropped(let name, let dropped):
            body = ["result": "tableDropped", "table": .string(name), "dropped": .bool(dropped)]
        case .indexCreated(let table, let index):
            body = ["result": "indexCreated", "table": .string(table), "index": Self.describe(index)]
        case .indexDropped(let table, let name):
            body = ["result": "indexDropped", "table": .string(table), "index": .string(name)]
        }
        body["summary"] = result.summary.map(Value.string) ?? .null
        return JSONResponse.make(.object(body))
    }

    /// A plan as JSON: its text, the indexes it uses, and the counts when analyzed.
    static func describe(_ plan: Plan) -> Value {
        var body: Record = [
            "plan": .string(plan.description), "table": .string(plan.table), "fullScan": .bool(plan.isFullScan),
            "indexes": .array(plan.indexesUsed.map(Value.string)), "estimatedRows": .int(Int64(plan.estimatedRows)),
        ]
        if let examined = plan.rowsExamined { body["rowsExamined"] = .int(Int64(examined)) }
        if let returned = plan.rowsReturned { body["rowsReturned"] = .int(Int64(returned)) }
        return .object(body)
    }

    /// The fields of `records`: the primary key first, then the others in first-seen order.
    static func columns(of records: SelectedRows, primaryKey: String) -> [String] {
        var seen: Set<String> = []
        var columns: [String] = []
        if records.contains(where: { $0.hasField(primaryKey) }) {
            columns.append(primaryKey)
            seen.insert(primaryKey)
        }
        for record in records {
            for name in record.fieldNames where seen.insert(name).inserted { columns.append(name) }
        }
        return columns
    }
}
