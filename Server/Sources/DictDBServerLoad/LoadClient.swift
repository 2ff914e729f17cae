import Foundation
import Hummingbird
import HummingbirdTesting

/// One keep-alive connection to the server under test (HummingbirdTesting's client: no extra dependency).
struct LoadClient: Sendable {
    let client: TestClient

    init(port: Int) {
        client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(30)))
        client.connect()
    }

    /// Sends one request; returns the status and the body.
    func send(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil) async throws -> (Int, String) {
        let response = try await client.execute(
            .init(
                uri, method: method, headers: [.contentType: "application/json"],
                body: body.map { ByteBuffer(string: $0) }))
        return (response.status.code, response.body.map { String(buffer: $0) } ?? "")
    }

    func close() async {
        try? await client.shutdown()
    }
}

/// A fresh directory under the system's temporary directory.
func makeTemporaryDirectory(_ prefix: String) throws -> String {
    let path = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes a line to standard output at once.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
