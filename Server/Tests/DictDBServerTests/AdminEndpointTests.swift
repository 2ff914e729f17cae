import DictDB
import Foundation
import Testing

@Suite struct AdminEndpointTests {
    @Test func reportsHealthAndStats() async throws {
        try await ServerHarness.withServer { api, _ in
            let health = try await api.get("/health")
            #expect(health.status == .ok)
            #expect(try health.json()["status"] == "ok")

            _ = try await api.post("/tables", #"{"name": "users"}"#)
            _ = try await api.post("/tables/users/records", #"{"name": "Ada"}"#)
            let stats = try await api.get("/stats")
            #expect(stats.status == .ok)
            let body = try stats.json()
            #expect(body["records"] == 1)
            #expect(body["journal"].objectValue?["syncPolicy"] == "always")
            #expect((body["server"].objectValue?["requests"].intValue ?? 0) >= 3)
        }
    }

    @Test func checkpointsAndBacksUpIntoTheFixedDirectory() async throws {
        try await ServerHarness.withServer { api, path in
            _ = try await api.post("/tables", #"{"name": "users"}"#)
            _ = try await api.post("/tables/users/records", #"{"name": "Ada"}"#)
            let checkpoint = try await api.post("/admin/checkpoint", "")
            #expect(checkpoint.status == .ok)
            #expect(try checkpoint.json()["records"] == 1)
            #expect(try checkpoint.json()["checkpoint"].stringValue?.contains("/") == false)

            let backup = try await api.post("/admin/backup", "")
            #expect(backup.status == .created)
            let name = try #require(try backup.json()["backup"].stringValue)
            #expect(FileManager.default.fileExists(atPath: path + "-backups/" + name))
            let restored = try Database.load(from: path + "-backups/" + name)
            #expect(try restored.table("users").count == 1)
        }
    }
}
