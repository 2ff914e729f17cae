import DictDBAPI
import Foundation
import Testing

@testable import Engine

@Suite struct JournalWriterTests {
    final class Directory {
        let path = FileManager.default.temporaryDirectory.path + "/dictdb-journal-" + UUID().uuidString
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    func contents(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func appendedRecordsScanBackInOrder() throws {
        let directory = try Directory()
        let path = directory.path + "/journal"
        let writer = try JournalWriter.create(
            at: path, header: .init(generation: 2, baseSequence: 100), fileSystem: PosixFileSystem())
        for i in 0..<20 { #expect(try writer.append(.commit, payload: [UInt8(i)]) == 101 + UInt64(i)) }
        try writer.sync()
        try writer.close()
        let scan = try JournalScan.scan(try contents(path), path: path)
        #expect(scan.records.map(\.payload) == (0..<20).map { [UInt8($0)] })
        #expect(scan.ending == .clean)
    }

    @Test func aFailedOrShortWriteIsCutBackAndTheNextAppendFollowsCleanly() throws {
        for bytesFirst in [0, 1, 9, 17] {
            let directory = try Directory()
            let path = directory.path + "/journal"
            let faulty = FaultInjectingFileSystem(faults: [
                .init(.write, onCall: 4, errno: 28, bytesWrittenFirst: bytesFirst)
            ])
            let writer = try JournalWriter.create(
                at: path, header: .init(generation: 1, baseSequence: 0), fileSystem: faulty)
            try writer.append(.commit, payload: Array("one".utf8))
            try writer.append(.commit, payload: Array("two".utf8))
            let before = writer.size
            let error = #expect(throws: DictDBError.self) { try writer.append(.commit, payload: Array("three".utf8)) }
            #expect(error?.code == .io)
            #expect(writer.size == before)
            #expect(try writer.append(.commit, payload: Array("four".utf8)) == 3)
            try writer.sync()
            let scan = try JournalScan.scan(try contents(path), path: path)
            #expect(scan.records.map { String(decoding: $0.payload, as: UTF8.self) } == ["one", "two", "four"])
            #expect(scan.ending == .clean)
        }
    }

    @Test func aFailedFsyncMakesTheWriterRefuseEverythingAfter() throws {
        let directory = try Directory()
        let faulty = FaultInjectingFileSystem(faults: [.init(.sync, onCall: 2, errno: 5)])
        let writer = try JournalWriter.create(
            at: directory.path + "/journal", header: .init(generation: 1, baseSequence: 0), fileSystem: faulty)
        try writer.append(.commit, payload: [1])
        #expect(throws: DictDBError.self) { try writer.sync() }
        #expect(captureError { try writer.append(.commit, payload: [2]) }?.code == .readOnly)
        #expect(captureError { try writer.sync() }?.code == .readOnly)
    }

    @Test func creatingAJournalThatFailsHalfwayLeavesNothingBehind() throws {
        for operation in [FaultInjectingFileSystem.Operation.write, .sync, .close, .syncDirectory] {
            let directory = try Directory()
            let faulty = FaultInjectingFileSystem(faults: [.init(operation, onCall: 1)])
            #expect(throws: DictDBError.self) {
                try JournalWriter.create(
                    at: directory.path + "/journal", header: .init(generation: 1, baseSequence: 0), fileSystem: faulty)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "\(operation)")
        }
    }
}
