import DictDBAPI
import Foundation
import Testing

/// A temporary directory removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/dictdb-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

@Suite struct PosixFileSystemTests {
    let fileSystem = PosixFileSystem()

    func write(_ text: String, to file: any WritableFile) throws {
        try Array(text.utf8).withUnsafeBytes { try file.write($0) }
    }

    func readAll(_ path: String) throws -> String {
        let file = try fileSystem.openForReading(path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 3)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try file.read(into: $0) }
            if n == 0 { break }
            bytes += chunk[..<n]
        }
        try file.close()
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func createExclusiveWritesSyncsAndRefusesAnExistingFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("a")
        let file = try fileSystem.createExclusive(path)
        try write("hello", to: file)
        #expect(file.offset == 5)
        try file.sync()
        try file.close()
        #expect(try readAll(path) == "hello")
        #expect(try fileSystem.fileSize(path) == 5)
        let error = #expect(throws: DictDBError.self) { try fileSystem.createExclusive(path) }
        #expect(error?.code == .io)
        #expect(error?.context.path == path)
    }

    @Test func appendingStartsAtTheEndAndTruncateCutsBack() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("log")
        let first = try fileSystem.openForAppending(path, create: true)
        try write("abc", to: first)
        try first.close()
        let second = try fileSystem.openForAppending(path, create: false)
        #expect(second.offset == 3)
        try write("def", to: second)
        try second.truncate(to: 4)
        try write("X", to: second)
        try second.close()
        #expect(try readAll(path) == "abcdX")
        #expect(throws: DictDBError.self) { try fileSystem.openForAppending(directory.file("missing"), create: false) }
    }

    @Test func renameReplacesAtomicallyAndDirectoriesList() throws {
        let directory = try TemporaryDirectory()
        for (name, text) in [("old", "1"), ("new", "2")] {
            let file = try fileSystem.createExclusive(directory.file(name))
            try write(text, to: file)
            try file.close()
        }
        try fileSystem.rename(directory.file("new"), to: directory.file("old"))
        try fileSystem.syncDirectory(directory.path)
        #expect(try readAll(directory.file("old")) == "2")
        #expect(try fileSystem.contentsOfDirectory(directory.path) == ["old"])
        try fileSystem.createDirectory(directory.file("x/y/z"))
        try fileSystem.createDirectory(directory.file("x/y/z"))
        #expect(try fileSystem.contentsOfDirectory(directory.file("x")) == ["y"])
        try fileSystem.removeFile(directory.file("old"))
        #expect(try fileSystem.fileSize(directory.file("old")) == nil)
        #expect(!fileSystem.exists(directory.file("old")))
    }

    @Test func closedFilesRefuseFurtherCalls() throws {
        let directory = try TemporaryDirectory()
        let file = try fileSystem.createExclusive(directory.file("a"))
        try file.close()
        let error = #expect(throws: DictDBError.self) { try write("x", to: file) }
        #expect(error?.code == .invalidState)
    }

    @Test func writesToAFullDeviceFailWithATypedError() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let file = try fileSystem.openForAppending("/dev/full", create: false)
        let error = #expect(throws: DictDBError.self) { try write("data", to: file) }
        #expect(error?.code == .io)
        #expect(error?.message.contains("errno 28") == true)
    }

    @Test func pathsSplitAndJoin() {
        #expect(FilePath.directory(of: "/a/b/c.json") == "/a/b")
        #expect(FilePath.directory(of: "c.json") == ".")
        #expect(FilePath.directory(of: "/c.json") == "/")
        #expect(FilePath.fileName(of: "/a/b/c.json") == "c.json")
        #expect(FilePath.join("/a/", "b") == "/a/b")
        #expect(FilePath.join("/a", "b") == "/a/b")
    }
}

@Suite struct FaultInjectingFileSystemTests {
    @Test func failsTheChosenCallOnceOrFromThenOn() throws {
        let directory = try TemporaryDirectory()
        let faulty = FaultInjectingFileSystem(faults: [
            .init(.sync, onCall: 2, errno: 5),
            .init(.rename, onCall: 1, errno: 28, persistent: true),
        ])
        let file = try faulty.createExclusive(directory.file("a"))
        try file.sync()
        #expect(throws: DictDBError.self) { try file.sync() }
        try file.sync()
        #expect(throws: DictDBError.self) { try faulty.rename(directory.file("a"), to: directory.file("b")) }
        #expect(throws: DictDBError.self) { try faulty.rename(directory.file("a"), to: directory.file("b")) }
        #expect(faulty.callCounts[.sync] == 3)
        #expect(faulty.triggeredFaults.map(\.operation) == [.sync, .rename, .rename])
        try file.close()
    }

    @Test func aShortWriteLeavesThePartialBytesAndThrows() throws {
        let directory = try TemporaryDirectory()
        let faulty = FaultInjectingFileSystem(faults: [.init(.write, onCall: 1, errno: 28, bytesWrittenFirst: 2)])
        let file = try faulty.createExclusive(directory.file("a"))
        let error = #expect(throws: DictDBError.self) {
            try Array("abcdef".utf8).withUnsafeBytes { try file.write($0) }
        }
        #expect(error?.context.found == "errno 28")
        #expect(file.offset == 2)
        try file.close()
        #expect(try PosixFileSystem().fileSize(directory.file("a")) == 2)
    }
}
