import DictDB
import Foundation
import Testing

@testable import DictDBServer

@Suite struct OpenAPIDocumentTests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// `Server/openapi.json`, parsed with DictDB's own JSON reader.
    static func document() throws -> Record {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("openapi.json")
        return try RequestJSON.object(from: Array(try Data(contentsOf: url)), maxDepth: 64)
    }

    /// The (method, path) pairs the document describes.
    static func documentedEndpoints() throws -> [Endpoint] {
        guard case .object(let paths) = try document()["paths"] else { return [] }
        var endpoints: [Endpoint] = []
        for (path, item) in paths {
            guard case .object(let operations) = item else { continue }
            for method in operations.fieldNames where methods.contains(method) {
                endpoints.append(Endpoint(method: method.uppercased(), path: path))
            }
        }
        return endpoints.sorted()
    }

    /// The endpoints the application really registers.
    static func registeredEndpoints() async throws -> [Endpoint] {
        try await TemporaryDirectory.with { directory in
            let service = DatabaseService(database: Database(), threads: 1)
            let endpoints = try ServerApplication(
                database: service, configuration: ServerConfiguration(backupDirectory: directory)
            ).endpoints
            await service.shutDown()
            return endpoints
        }
    }

    @Test func describesEveryRegisteredRouteAndNoOther() async throws {
        let documented = Set(try Self.documentedEndpoints())
        let registered = Set(try await Self.registeredEndpoints())
        #expect(registered.count == 20)
        let undocumented = registered.subtracting(documented).sorted()
        let phantom = documented.subtracting(registered).sorted()
        #expect(undocumented.isEmpty, "routes missing from openapi.json: \(undocumented)")
        #expect(phantom.isEmpty, "openapi.json describes routes the server lacks: \(phantom)")
    }

    @Test func documentsResponsesAndPathParametersForEveryOperation() throws {
        guard case .object(let paths) = try Self.document()["paths"] else {
            Issue.record("openapi.json has no paths")
            return
        }
        for (path, item) in paths {
            guard case .object(let operations) = item else { continue }
            var declared = Set<String>()
            for case .object(let parameter) in operations["parameters"].arrayValue ?? [] {
                if parameter["in"] == "path", let name = parameter["name"].stringValue { declared.insert(name) }
            }
            let placeholders = Set(
                path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            #expect(placeholders == declared, "\(path) declares path parameters \(declared)")
            for method in operations.fieldNames where Self.methods.contains(method) {
                let responses = operations[method].objectValue?["responses"].objectValue
                #expect(responses?.isEmpty == false, "\(method) \(path) has no responses")
                if path != "/health" {
                    #expect(responses?.hasField("401") == true, "\(method) \(path) does not document 401")
                }
            }
        }
    }
}
