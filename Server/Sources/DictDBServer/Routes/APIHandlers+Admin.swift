import DictDB
import Hummingbird

extension APIHandlers {
    /// `GET /health`, `GET /stats`, `POST /admin/checkpoint`, `POST /admin/backup`.
    func registerAdmin(on routes: RouteRecorder<ServerRequestContext>) {
        routes.on(.get, "/health") { _, _ in
            JSONResponse.make(["status": "ok"])
        }
        routes.on(.get, "/stats") { _, _ in try await stats() }
        routes.on(.post, "/admin/checkpoint") { request, _ in
            try await RequestInput.noArguments(of: request, limits: limits, what: "a checkpoint")
            let info = try await service.perform { database in try database.checkpoint() }
            return JSONResponse.make([
                "checkpoint": .string(FilePathName.last(info.path)), "codec": .string(info.codec),
                "bytes": .int(info.bytes), "tables": .int(Int64(info.tables)), "records": .int(Int64(info.records)),
            ])
        }
        routes.on(.post, "/admin/backup") { request, _ in
            // The directory, codec and retention are the server's configuration: a request chooses nothing.
            try await RequestInput.noArguments(of: request, limits: limits, what: "a backup")
            switch await backups.backupNow(force: true) {
            case .succeeded(let success):
                return JSONResponse.make(
                    [
                        "backup": .string(FilePathName.last(success.path)), "bytes": .int(success.bytes),
                        "tables": .int(Int64(success.tables)), "records": .int(Int64(success.records)),
                        "generation": .int(success.generation), "sequence": .int(success.sequence),
                        "pruned": .int(Int64(success.pruned.count)),
                    ], status: .created)
            case .failed(let failure):
                throw failure.error
            case .skipped(let skip):
                throw DictDBError(.invalidState, "the backup was skipped: nothing changed since \(skip.lastBackup)")
            }
        }
    }

    private func stats() async throws -> Response {
        let server = stats.snapshot
        let uptime = ContinuousClock.now - stats.started
        let figures = try await service.perform { database -> Record in
            var tables: [Value] = []
            var records: Int64 = 0
            for name in database.tableNames {
                guard let table = try? database.table(name) else { continue }
                let count = table.count
                records += Int64(count)
                tables.append(.object(["name": .string(name), "records": .int(Int64(count))]))
            }
            var result: Record = ["tables": .array(tables), "records": .int(records)]
            if let journal = database.journalStatus {
                result["journal"] = .object([
                    "bytes": .int(journal.journalBytes), "generation": .int(Int64(clamping: journal.generation)),
                    "lastSequence": .int(Int64(clamping: journal.lastSequence)),
                    "unsyncedRecords": .int(Int64(journal.unsyncedRecords)), "syncs": .int(Int64(journal.syncs)),
                    "syncPolicy": .string(journal.syncPolicy), "codec": .string(journal.codec),
                ])
            }
            return result
        }
        var body = figures
        body["server"] = .object([
            "requests": .int(Int64(server.requests)), "inFlight": .int(Int64(server.inFlight)),
            "clientErrors": .int(Int64(server.clientErrors)), "serverErrors": .int(Int64(server.serverErrors)),
            "uptimeSeconds": .double(Double(uptime.components.seconds) + Double(uptime.components.attoseconds) / 1e18),
        ])
        return JSONResponse.make(.object(body))
    }
}

/// File names without their directories: responses never reveal the server's paths.
enum FilePathName {
    /// The last component of `path`.
    static func last(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
