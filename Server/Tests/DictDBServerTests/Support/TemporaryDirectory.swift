import Foundation

/// A fresh directory for one test, removed afterwards.
enum TemporaryDirectory {
    /// Runs `body` with the path of a new empty directory, then deletes it.
    static func with<T>(_ body: (String) async throws -> T) async throws -> T {
        let path = NSTemporaryDirectory() + "dictdb-server-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(path)
    }
}
