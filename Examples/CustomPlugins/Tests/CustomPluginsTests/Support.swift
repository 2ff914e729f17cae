import CustomPlugins
import DictDB
import Foundation
import Testing

/// The standard registry with this package's plugins added.
func pluginRegistry() throws -> Registry {
    var registry = Registry.standard
    try CustomPlugins.register(into: &registry)
    return registry
}

/// A new empty directory for one test, removed by `body`'s end.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("custom-plugins-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// The DictDBError `body` throws; a test failure when it throws nothing or something else.
func expectError(_ code: DictDBError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void)
{
    do {
        try body()
        Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as DictDBError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a DictDBError \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
