import DictDB
import Testing

@Suite struct TableEndpointTests {
    @Test func createsListsDescribesAndDropsTables() async throws {
        try await ServerHarness.withServer { api, _ in
            let created = try await api.post("/tables", #"{"name": "users"}"#)
            #expect(created.status == .created)
            #expect(try created.json()["primaryKey"] == "id")

            let again = try await api.post("/tables", #"{"name": "users", "ifNotExists": true}"#)
            #expect(again.status == .ok)

            let custom = try await api.post(
                "/tables", #"{"name": "events", "primaryKey": "uid", "keyGenerator": "uuid7"}"#)
            #expect(custom.status == .created)

            let list = try await api.get("/tables")
            #expect(list.status == .ok)
            let names = try list.json()["tables"].arrayValue?.compactMap { $0.objectValue?["name"].stringValue }
            #expect(names == ["events", "users"] || names == ["users", "events"])

            let described = try await api.get("/tables/events")
            #expect(try described.json()["keyGenerator"] == "uuid7")

            let dropped = try await api.send(.delete, "/tables/events")
            #expect(dropped.status == .ok)
            #expect(try await api.get("/tables/events").status == .notFound)
        }
    }

    @Test func refusesDuplicateAndMalformedTables() async throws {
        try await ServerHarness.withServer { api, _ in
            _ = try await api.post("/tables", #"{"name": "users"}"#)
            let duplicate = try await api.post("/tables", #"{"name": "users"}"#)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.errorCode == "tableExists")

            let unnamed = try await api.post("/tables", #"{}"#)
            #expect(unnamed.status == .badRequest)
            #expect(unnamed.errorCode == "invalidArgument")

            let unknownGenerator = try await api.post("/tables", #"{"name": "t", "keyGenerator": "sequence"}"#)
            #expect(unknownGenerator.status == .badRequest)
            #expect(unknownGenerator.errorCode == "unknownPlugin")

            let missing = try await api.send(.delete, "/tables/nothing")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "tableNotFound")
        }
    }
}
