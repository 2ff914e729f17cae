import DictDB
import Testing

@Suite struct RecordEndpointTests {
    @Test func insertsGetsUpdatesAndDeletesByKey() async throws {
        try await ServerHarness.withServer { api, _ in
            _ = try await api.post("/tables", #"{"name": "users"}"#)
            let inserted = try await api.post("/tables/users/records", #"{"name": "Ada", "age": 36, "score": 1.0}"#)
            #expect(inserted.status == .created)
            #expect(try inserted.json()["key"] == 1)

            let fetched = try await api.get("/tables/users/records/1")
            #expect(fetched.status == .ok)
            #expect(fetched.text == #"{"id":1,"name":"Ada","age":36,"score":1.0}"# + "\n")

            let updated = try await api.send(.patch, "/tables/users/records/1", body: #"{"age": 37}"#)
            #expect(updated.status == .ok)
            #expect(try await api.get("/tables/users/records/1").json()["age"] == 37)

            let deleted = try await api.send(.delete, "/tables/users/records/1")
            #expect(deleted.status == .ok)
            let gone = try await api.get("/tables/users/records/1")
            #expect(gone.status == .notFound)
            #expect(gone.errorCode == "keyNotFound")
            #expect(try await api.send(.patch, "/tables/users/records/1", body: "{}").status == .notFound)
            #expect(try await api.send(.delete, "/tables/users/records/1").status == .notFound)
        }
    }

    @Test func insertsBatchesAllOrNothing() async throws {
        try await ServerHarness.withServer { api, _ in
            _ = try await api.post("/tables", #"{"name": "users"}"#)
            let batch = try await api.post("/tables/users/batch", #"{"records": [{"name": "A"}, {"name": "B"}]}"#)
            #expect(batch.status == .created)
            #expect(try batch.json()["keys"] == [1, 2])

            let clash = try await api.post("/tables/users/batch", #"{"records": [{"name": "C"}, {"id": 1}]}"#)
            #expect(clash.status == .conflict)
            #expect(clash.errorCode == "duplicateKey")
            #expect(try await api.get("/tables/users").json()["records"] == 2)

            let notObjects = try await api.post("/tables/users/batch", #"{"records": [1]}"#)
            #expect(notObjects.status == .badRequest)
        }
    }

    @Test func upsertsWithEachConflictPolicy() async throws {
        try await ServerHarness.withServer { api, _ in
            _ = try await api.post("/tables", #"{"name": "users"}"#)
            let inserted = try await api.post("/tables/users/upsert", #"{"record": {"id": 7, "name": "Ada"}}"#)
            #expect(inserted.status == .created)
            #expect(try inserted.json()["outcome"] == "inserted")

            let merged = try await api.post("/tables/users/upsert", #"{"record": {"id": 7, "age": 36}}"#)
            #expect(try merged.json()["outcome"] == "updated")
            #expect(try await api.get("/tables/users/records/7").json()["name"] == "Ada")

            let ignored = try await api.post(
                "/tables/users/upsert", #"{"record": {"id": 7}, "onConflict": "ignore"}"#)
            #expect(try ignored.json()["outcome"] == "ignored")

            let failed = try await api.post("/tables/users/upsert", #"{"record": {"id": 7}, "onConflict": "fail"}"#)
            #expect(failed.status == .conflict)

            let unknown = try await api.post("/tables/users/upsert", #"{"record": {"id": 7}, "onConflict": "smash"}"#)
            #expect(unknown.status == .badRequest)
        }
    }

    @Test func readsKeysAsIntegersUnlessAskedForStrings() async throws {
        try await ServerHarness.withServer { api, _ in
            _ = try await api.post("/tables", #"{"name": "codes", "primaryKey": "code"}"#)
            _ = try await api.post("/tables/codes/records", #"{"code": "007", "what": "string"}"#)
            _ = try await api.post("/tables/codes/records", #"{"code": 7, "what": "int"}"#)
            _ = try await api.post("/tables/codes/records", #"{"code": "a b", "what": "spaced"}"#)
            #expect(try await api.get("/tables/codes/records/7").json()["what"] == "int")
            #expect(try await api.get("/tables/codes/records/007").json()["what"] == "string")
            #expect(try await api.get("/tables/codes/records/7?keyType=string").status == .notFound)
            #expect(try await api.get("/tables/codes/records/a%20b").json()["what"] == "spaced")
            #expect(try await api.get("/tables/codes/records/x?keyType=int").status == .badRequest)
        }
    }

    @Test func reportsUniqueViolationsAsConflicts() async throws {
        try await ServerHarness.withServer { api, _ in
            _ = try await api.post("/tables", #"{"name": "users"}"#)
            _ = try await api.post("/tables/users/indexes", #"{"field": "email", "kind": "unique"}"#)
            _ = try await api.post("/tables/users/records", #"{"email": "a@x"}"#)
            let clash = try await api.post("/tables/users/records", #"{"email": "a@x"}"#)
            #expect(clash.status == .conflict)
            #expect(clash.errorCode == "uniqueViolation")
        }
    }
}
