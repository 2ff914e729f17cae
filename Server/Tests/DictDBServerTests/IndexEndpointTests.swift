import DictDB
import Testing

@Suite struct IndexEndpointTests {
    @Test func createsListsAndDropsIndexes() async throws {
        try await ServerHarness.withServer { api, _ in
            _ = try await api.post("/tables", #"{"name": "users"}"#)
            let created = try await api.post(
                "/tables/users/indexes", #"{"fields": ["age"], "kind": "sorted", "name": "by_age"}"#)
            #expect(created.status == .created)
            #expect(try created.json()["name"] == "by_age")

            let duplicate = try await api.post("/tables/users/indexes", #"{"fields": ["age"], "name": "by_age"}"#)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.errorCode == "indexExists")

            let unknownKind = try await api.post("/tables/users/indexes", #"{"field": "age", "kind": "bitmap"}"#)
            #expect(unknownKind.status == .badRequest)
            #expect(unknownKind.errorCode == "unknownPlugin")

            let list = try await api.get("/tables/users/indexes")
            #expect(try list.json()["indexes"].arrayValue?.count == 1)

            #expect(try await api.send(.delete, "/tables/users/indexes/by_age").status == .ok)
            let missing = try await api.send(.delete, "/tables/users/indexes/by_age")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "indexNotFound")
        }
    }
}
