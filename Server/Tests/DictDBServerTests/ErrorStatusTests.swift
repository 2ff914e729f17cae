import DictDB
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceLifecycle
import Testing

@testable import DictDBServer

@Suite struct ErrorStatusTests {
    @Test func mapsEveryDictDBCodeDeliberately() {
        let codes = DictDBError.Code.allCases.map(\.rawValue)
        #expect(codes.count >= 22)
        #expect(Set(codes) == Set(KnownErrorCode.allCases.map(\.rawValue)))
    }

    @Test func mapsCodesToTheDocumentedStatuses() {
        let expected: [KnownErrorCode: HTTPResponse.Status] = [
            .invalidArgument: .badRequest, .invalidQuery: .badRequest, .invalidValue: .badRequest,
            .tableNotFound: .notFound, .keyNotFound: .notFound, .indexNotFound: .notFound,
            .duplicateKey: .conflict, .uniqueViolation: .conflict, .tableExists: .conflict,
            .limitExceeded: .contentTooLarge, .io: .internalServerError, .readOnly: .serviceUnavailable,
        ]
        for (code, status) in expected { #expect(code.status == status, "\(code)") }
        #expect(KnownErrorCode.status(for: DictDBError(.init(rawValue: "somethingNew"), "x")) == .internalServerError)
    }

    /// Runs `body` against a live server over a database (with a table `t`) whose file system fails the
    /// first `operation` after the open, once or from then on.
    static func withFault(
        _ operation: FaultInjectingFileSystem.Operation, persistent: Bool,
        _ body: @Sendable (APIClient) async throws -> Void
    ) async throws {
        try await TemporaryDirectory.with { directory in
            let server = try faultyServer(in: directory, operation, persistent: persistent).server
            try await server.application.test(.live) { client in try await body(APIClient(client: client)) }
        }
    }

    /// A server (not started) over a database in `directory` whose file system fails the first `operation`
    /// after the open, once or from then on.
    static func faultyServer(
        in directory: String, _ operation: FaultInjectingFileSystem.Operation, persistent: Bool,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> (server: ServerApplication, service: DatabaseService) {
        let path = directory + "/db"
        let setup = try Database.open(at: path)
        try setup.createTable("t")
        try setup.close()

        // Count the calls an open makes, so that the fault hits the first one after it.
        let counting = FaultInjectingFileSystem(faults: [])
        var options = OpenOptions()
        options.fileSystem = counting
        try Database.open(at: path, options: options).close(checkpointing: false)
        let callsAtOpen = counting.callCounts[operation] ?? 0

        options.fileSystem = FaultInjectingFileSystem(faults: [
            .init(operation, onCall: callsAtOpen + 1, persistent: persistent)
        ])
        let database = try Database.open(at: path, options: options)
        let service = DatabaseService(database: database, threads: 2, logger: ServerHarness.quietLogger)
        let server = try ServerApplication(
            database: service, configuration: ServerConfiguration(port: 0, backupDirectory: directory + "/b"),
            logger: ServerHarness.quietLogger, onListening: onListening)
        return (server, service)
    }

    @Test func reportsAFailedCloseWhenShuttingDownReadOnly() async throws {
        try await TemporaryDirectory.with { directory in
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
            let server = try Self.faultyServer(in: directory, .sync, persistent: true) { port in
                portContinuation.yield(port)
            }.server
            let group = ServiceGroup(
                configuration: .init(services: [server.application], logger: ServerHarness.quietLogger))
            let running = Task { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let client = TestClient(host: "127.0.0.1", port: port)
            client.connect()
            let failed = try await client.execute(
                .init("/tables/t/records", method: .post, body: ByteBuffer(string: #"{"a": 1}"#)))
            #expect(failed.status == .serviceUnavailable)
            try await client.shutdown()

            await group.triggerGracefulShutdown()
            // The checkpoint on close fails too: the shutdown says so (the binary exits 1), never "fine".
            let error = await #expect(throws: DictDBError.self) { try await running.value }
            #expect(error?.code == .readOnly)
        }
    }

    @Test func answersAFailedWriteWith500AndRecovers() async throws {
        try await Self.withFault(.write, persistent: false) { api in
            let failed = try await api.post("/tables/t/records", #"{"a": 1}"#)
            #expect(failed.status == .internalServerError, "\(failed.text)")
            #expect(failed.errorCode == "io")
            #expect(failed.text.contains("/tmp") == false)  // no server paths in the context
            let after = try await api.post("/tables/t/records", #"{"a": 2}"#)
            #expect(after.status == .created, "\(after.text)")
        }
    }

    @Test func answersWritesWith503ReadOnlyAfterAFailedFsync() async throws {
        try await Self.withFault(.sync, persistent: true) { api in
            let failed = try await api.post("/tables/t/records", #"{"a": 1}"#)
            #expect(failed.status == .serviceUnavailable, "\(failed.text)")
            #expect(failed.errorCode == "readOnly")
            let after = try await api.post("/tables/t/records", #"{"a": 2}"#)
            #expect(after.status == .serviceUnavailable)
            #expect(try await api.get("/tables/t").status == .ok)  // reads still work
        }
    }

    @Test func answersAKnownPathWithTheWrongMethodWith405() async throws {
        try await ServerHarness.withServer { api, _ in
            let put = try await api.send(.put, "/tables", body: "{}")
            #expect(put.status == .methodNotAllowed, "\(put.text)")
            #expect(put.errorCode == "methodNotAllowed")
            #expect(put.headers[.allow] == "GET, POST")
            let record = try await api.send(.post, "/tables/t/records/1", body: "{}")
            #expect(record.status == .methodNotAllowed)
            #expect(record.headers[.allow] == "DELETE, GET, PATCH")
            #expect(try await api.send(.delete, "/health").headers[.allow] == "GET")
            #expect(try await api.get("/tables/t/records/1/extra").status == .notFound)
        }
    }

    @Test func answersUnknownRoutesWithJSON404() async throws {
        try await ServerHarness.withServer { api, _ in
            let response = try await api.get("/no/such/route")
            #expect(response.status == .notFound)
            #expect(response.errorCode == "routeNotFound")
        }
    }
}
