import Codecs
import DictDBAPI
import Testing

@Suite struct NDJSONRecordFileTests {
    @Test(arguments: [RecordFileFormat.ndjson, .json], [1, 7, Int.max])
    func randomRecordsRoundTripExactly(_ format: RecordFileFormat, chunk: Int) throws {
        let records = TabularSamples.records(count: 300, seed: 0xD1C7_DB00 &+ UInt64(chunk))
        let bytes = try TabularIO.write(records, format: format)
        let back = try TabularIO.read(bytes, format: format, chunk: chunk)
        try #require(back.count == records.count)
        for (original, read) in zip(records, back) {
            #expect(TabularIdentity.same(original, read), "\(original) came back as \(read)")
        }
    }

    @Test func writesOneCompactObjectPerLineWithIntsAndDoublesApart() throws {
        let bytes = try TabularIO.write(
            [["id": 1, "salary": 30103.0, "name": "Ada \"A\"\n", "tags": ["x", 2]], [:], ["z": .null]],
            format: .ndjson)
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "{\"id\":1,\"salary\":30103.0,\"name\":\"Ada \\\"A\\\"\\n\",\"tags\":[\"x\",2]}\n{}\n{\"z\":null}\n")
    }

    @Test func jsonFormatWritesAnArrayWithOneObjectPerLine() throws {
        #expect(String(decoding: try TabularIO.write([], format: .json), as: UTF8.self) == "[]\n")
        let bytes = try TabularIO.write([["a": 1], ["b": 2.5]], format: .json)
        #expect(String(decoding: bytes, as: UTF8.self) == "[\n{\"a\":1},\n{\"b\":2.5}\n]\n")
    }

    @Test func skipsEmptyLinesAndAcceptsCRLFAndAByteOrderMark() throws {
        let text = "\u{FEFF}{\"a\":1}\r\n\r\n   \n{\"b\":2.0}\n\t\r\n{\"c\":\"x\"}"
        for chunk in [1, 2, 5, Int.max] {
            let records = try TabularIO.read(text, format: .ndjson, chunk: chunk)
            #expect(records.count == 3)
            #expect(records.first.map { TabularIdentity.same($0, ["a": 1]) } == true)
            #expect(records.dropFirst().first.map { TabularIdentity.same($0, ["b": 2.0]) } == true)
            #expect(records.last.map { TabularIdentity.same($0, ["c": "x"]) } == true)
        }
    }

    @Test func reportsTheLineOfEachRecord() throws {
        let reader = try makeRecordReader(
            format: .ndjson, from: BufferSource(Array("\n{\"a\":1}\n\n{\"a\":2}\n".utf8), maxReadSize: 3))
        #expect(reader.location == nil)
        _ = try reader.next()
        #expect(reader.location == RecordLocation(format: .ndjson, record: 1, line: 2, offset: 1))
        _ = try reader.next()
        #expect(reader.location == RecordLocation(format: .ndjson, record: 2, line: 4, offset: 10))
        #expect(reader.location?.description == "line 4")
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    @Test(arguments: [
        ("{\"a\":1}\n[1,2]\n", 2, 8),
        ("{\"a\":1}\n\n42\n", 3, 9),
        ("{\"a\":1}\r\n{\"a\":\n", 2, 14),
        ("{\"a\":1}\n{\"a\":1,\"a\":2}\n", 2, 8),
        ("{\"a\":1} {\"b\":2}\n", 1, 8),
        ("{\"a\":1}\n{\"a\":tru}\n", 2, 16),
        ("{\"a\":1}\n{\"a\":1}\n{'a':1}\n", 3, 17),
        ("{\"a\":\"x\ny\"}\n", 1, 7),
    ])
    func rejectsALineThatIsNotOneJSONObjectNamingTheLine(_ text: String, line: Int, offset: Int64) throws {
        for chunk in [1, Int.max] {
            let error = try #require(TabularIO.readError(text, format: .ndjson, chunk: chunk))
            #expect(error.code == .corrupt, "\(error)")
            #expect(error.message.hasPrefix("line \(line)"), "\(error)")
            #expect(error.context.offset == offset, "\(error)")
        }
    }

    @Test func failedReaderRefusesFurtherReads() throws {
        let reader = try makeRecordReader(format: .ndjson, from: BufferSource(Array("nope\n{\"a\":1}\n".utf8)))
        #expect(throws: DictDBError.self) { try reader.next() }
        do {
            _ = try reader.next()
            Issue.record("a failed reader read on")
        } catch {
            #expect(error.code == .invalidState)
        }
    }

    @Test func numbersOutOfRangeAreInvalidValuesNamingTheLine() throws {
        let error = try #require(
            TabularIO.readError("{\"a\":1}\n{\"big\":99999999999999999999}\n", format: .ndjson))
        #expect(error.code == .invalidValue)
        #expect(error.message.hasPrefix("line 2"))
    }

    @Test func enforcesDecodingLimits() throws {
        let limits = DecodingLimits(maxDepth: 3, maxStringBytes: 40, maxContainerCount: 4)
        #expect(try TabularIO.read("{\"a\":[[1]]}\n", format: .ndjson, limits: limits).count == 1)
        let deep = try #require(TabularIO.readError("{\"a\":1}\n{\"a\":[[[1]]]}\n", format: .ndjson, limits: limits))
        #expect(deep.code == .limitExceeded)
        #expect(deep.message.hasPrefix("line 2"))
        let wide = try #require(TabularIO.readError("{\"a\":[1,2,3,4,5]}\n", format: .ndjson, limits: limits))
        #expect(wide.code == .limitExceeded)
        for chunk in [1, Int.max] {
            let long = "{\"a\":1}\n{\"s\":\"" + String(repeating: "x", count: 100) + "\"}\n"
            let error = try #require(TabularIO.readError(long, format: .ndjson, limits: limits, chunk: chunk))
            #expect(error.code == .limitExceeded)
            #expect(error.message.hasPrefix("line 2"), "\(error)")
        }
    }

    @Test func readsLinesLongerThanTheReadBuffer() throws {
        let big = String(repeating: "é", count: 100_000)
        let records: [Record] = [["s": .string(big), "n": 1], ["s": "short"], ["s": .string(big + "\"")]]
        let bytes = try TabularIO.write(records, format: .ndjson)
        for chunk in [4096, 65_537, Int.max] {
            let back = try TabularIO.read(bytes, format: .ndjson, chunk: chunk)
            #expect(back.count == 3)
            #expect(zip(records, back).allSatisfy { TabularIdentity.same($0, $1) })
        }
        // Without a final newline and with CRLF.
        var crlf = bytes
        crlf.removeLast()
        let text = String(decoding: crlf, as: UTF8.self).replacingNewlinesWithCRLF()
        let back = try TabularIO.read(text, format: .ndjson)
        #expect(zip(records, back).allSatisfy { TabularIdentity.same($0, $1) })
    }

    @Test func writerRejectsNonFiniteDoublesWithoutWritingPartOfTheRecord() throws {
        let sink = BufferSink()
        let writer = try makeRecordWriter(format: .ndjson, to: sink)
        try writer.write(["a": 1])
        #expect(throws: DictDBError.self) { try writer.write(["a": 2, "b": .double(.nan)]) }
        try writer.write(["a": 3])
        try writer.finish()
        #expect(String(decoding: sink.bytes, as: UTF8.self) == "{\"a\":1}\n{\"a\":3}\n")
        #expect(writer.recordsWritten == 2)
        #expect(throws: DictDBError.self) { try writer.write(["a": 4]) }
        #expect(throws: DictDBError.self) { try writer.finish() }
    }

    @Test(arguments: [
        ("{\"a\":1}", "record 1"),
        ("[{\"a\":1} {\"a\":2}]", "record 2"),
        ("[{\"a\":1},2]", "record 2"),
        ("[{\"a\":1}", "record 2"),
        ("[{\"a\":1}] x", "record 2"),
    ])
    func jsonArrayErrorsNameTheRecord(_ text: String, record: String) throws {
        let error = try #require(TabularIO.readError(text, format: .json))
        #expect(error.code == .corrupt)
        #expect(error.message.hasPrefix(record), "\(error)")
        #expect(error.context.offset != nil)
    }

    @Test func jsonArrayAcceptsWhitespaceAndAByteOrderMark() throws {
        let records = try TabularIO.read("\u{FEFF} [ {\"a\":1} ,\n\n {\"b\":[]} ] \n", format: .json, chunk: 1)
        #expect(records.count == 2)
        #expect(try TabularIO.read(" [ ] ", format: .json).isEmpty)
    }

    @Test func formatsComeFromFileExtensions() {
        #expect(RecordFileFormat(pathExtensionOf: "/tmp/a.NDJSON") == .ndjson)
        #expect(RecordFileFormat(pathExtensionOf: "x.jsonl") == .ndjson)
        #expect(RecordFileFormat(pathExtensionOf: "dir.d/x.csv") == .csv)
        #expect(RecordFileFormat(pathExtensionOf: "x.json") == .json)
        #expect(RecordFileFormat(pathExtensionOf: "x.txt") == nil)
        #expect(RecordFileFormat(pathExtensionOf: ".csv") == nil)
        #expect(RecordFileFormat(pathExtensionOf: "dir.csv/file") == nil)
    }
}

extension String {
    /// The string with each `\n` replaced by `\r\n`.
    fileprivate func replacingNewlinesWithCRLF() -> String {
        var result = ""
        for character in self {
            if character == "\n" { result += "\r\n" } else { result.append(character) }
        }
        return result
    }
}
