import DictDB
import Hummingbird
import Testing

@testable import DictDBServer

@Suite struct AuthTests {
    @Test func requiresTheRightBearerToken() async throws {
        try await ServerHarness.withServer(token: ServerHarness.token) { api, _ in
            var anonymous = api
            anonymous.token = nil
            let missing = try await anonymous.get("/tables")
            #expect(missing.status == .unauthorized)
            #expect(missing.errorCode == "unauthorized")
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")

            let wrong = try await anonymous.get("/tables", headers: [.authorization: "Bearer not-the-token"])
            #expect(wrong.status == .unauthorized)
            let prefix = try await anonymous.get(
                "/tables", headers: [.authorization: "Bearer " + ServerHarness.token.dropLast()])
            #expect(prefix.status == .unauthorized)
            let basic = try await anonymous.get("/tables", headers: [.authorization: "Basic dXNlcjpwYXNz"])
            #expect(basic.status == .unauthorized)
            let unknownRoute = try await anonymous.get("/secret")
            #expect(unknownRoute.status == .unauthorized)

            #expect(try await api.get("/tables").status == .ok)
            #expect(try await anonymous.get("/health").status == .ok)
        }
    }

    @Test func comparesTokensWithoutShortcuts() {
        #expect(AuthMiddleware<BasicRequestContext>.constantTimeEquals("abc", "abc"))
        #expect(!AuthMiddleware<BasicRequestContext>.constantTimeEquals("abd", "abc"))
        #expect(!AuthMiddleware<BasicRequestContext>.constantTimeEquals("ab", "abc"))
        #expect(!AuthMiddleware<BasicRequestContext>.constantTimeEquals("abcd", "abc"))
        #expect(!AuthMiddleware<BasicRequestContext>.constantTimeEquals("", "abc"))
    }
}
