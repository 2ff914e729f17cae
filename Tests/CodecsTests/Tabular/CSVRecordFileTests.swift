import Codecs
import DictDBAPI
import Testing

@Suite struct CSVRecordFileTests {
    // MARK: Writing

    @Test func writerQuotesOnlyCellsThatNeedIt() throws {
        let record: Record = [
            "plain": "abc", "comma": "a,b", "quote": "say \"hi\"", "crlf": "x\r\ny", "lead": " x", "trail": "x\t",
            "inner": "a b", "int": -12, "double": 30103.0, "small": 1.5e-7, "bool": true, "null": .null,
            "array": [1, "two"], "object": ["k": 2.5],
        ]
        let text = String(decoding: try TabularIO.write([record], format: .csv), as: UTF8.self)
        #expect(
            text == "plain,comma,quote,crlf,lead,trail,inner,int,double,small,bool,null,array,object\r\n"
                + "abc,\"a,b\",\"say \"\"hi\"\"\",\"x\r\ny\",\" x\",\"x\t\",a b,-12,30103.0,1.5e-07,true,,"
                + "\"[1,\"\"two\"\"]\",\"{\"\"k\"\":2.5}\"\r\n")
    }

    @Test func writerMakesAColumnOfEveryFieldInFirstSeenOrder() throws {
        let records: [Record] = [["b": 1, "a": 2], ["c": 3], ["a": 4, "d": 5, "b": 6]]
        let text = String(decoding: try TabularIO.write(records, format: .csv), as: UTF8.self)
        #expect(text == "b,a,c,d\r\n1,2,,\r\n,,3,\r\n6,4,,5\r\n")
        #expect(RecordWriterOptions.firstSeenColumns(of: records) == ["b", "a", "c", "d"])
    }

    @Test func writerFollowsExplicitColumnsAndLineEndings() throws {
        let options = RecordWriterOptions(csvColumns: ["id", "name", "missing"], csvLineEnding: .lf)
        let text = String(
            decoding: try TabularIO.write([["name": "Ada", "id": 1, "extra": true]], format: .csv, options: options),
            as: UTF8.self)
        #expect(text == "id,name,missing\n1,Ada,\n")
        let header = try TabularIO.write([], format: .csv, options: options)
        #expect(String(decoding: header, as: UTF8.self) == "id,name,missing\n")
        #expect(try TabularIO.write([], format: .csv).isEmpty)
    }

    @Test func oneColumnFilesWriteEmptyCellsAsQuotesSoNoRowIsBlank() throws {
        let records: [Record] = [["a": "x"], ["a": .null], [:], ["a": ""]]
        let bytes = try TabularIO.write(records, format: .csv, options: .init(csvColumns: ["a"]))
        #expect(String(decoding: bytes, as: UTF8.self) == "a\r\nx\r\n\"\"\r\n\"\"\r\n\"\"\r\n")
        let back = try TabularIO.read(bytes, format: .csv)
        #expect(back == [["a": "x"], [:], [:], [:]])
    }

    @Test func writerRefusesBadOptions() {
        for options in [
            RecordWriterOptions(csvColumns: []), RecordWriterOptions(csvColumns: ["a", "a"]),
            RecordWriterOptions(csvColumns: ["a", ""]), RecordWriterOptions(csvDelimiter: "\""),
            RecordWriterOptions(csvDelimiter: "\n"), RecordWriterOptions(csvDelimiter: "é"),
        ] {
            #expect(throws: DictDBError.self) { try makeRecordWriter(format: .csv, to: BufferSink(), options: options) }
        }
        #expect(throws: DictDBError.self) {
            try makeRecordReader(format: .csv, from: BufferSource([]), options: .init(csvColumns: ["x", "x"]))
        }
    }

    // MARK: Reading

    @Test func readsQuotedCellsWithDelimitersNewlinesAndDoubledQuotes() throws {
        let text =
            "\u{FEFF}name,note,n\r\n"
            + "\"Ada, Countess\",\"said \"\"hi\"\"\",1\r\n"
            + "Bob,\"two\r\nlines\nand\rmore\",2\n"
            + "Cy,,3\r"
            + "\"\",\"\",\"\"\r\n"
            + "D\"q,x,4"
        for chunk in [1, 2, 3, Int.max] {
            let records = try TabularIO.read(text, format: .csv, chunk: chunk)
            #expect(
                records == [
                    ["name": "Ada, Countess", "note": "said \"hi\"", "n": 1],
                    ["name": "Bob", "note": "two\r\nlines\nand\rmore", "n": 2],
                    ["name": "Cy", "n": 3],
                    [:],
                    ["name": "D\"q", "note": "x", "n": 4],
                ], "chunk \(chunk)")
        }
    }

    @Test func reportsRowsAndTheirLines() throws {
        let text = "a,b\n\n1,\"x\ny\"\n2,z\n"
        let reader = try makeRecordReader(format: .csv, from: BufferSource(Array(text.utf8), maxReadSize: 1))
        _ = try reader.next()
        #expect(reader.location == RecordLocation(format: .csv, record: 1, line: 3, offset: 5))
        _ = try reader.next()
        #expect(reader.location == RecordLocation(format: .csv, record: 2, line: 5, offset: 13))
        #expect(reader.location?.description == "row 2 (line 5)")
        #expect(try reader.next() == nil)
    }

    @Test func shortRowsLeaveFieldsOutAndBlankLinesAreSkipped() throws {
        let records = try TabularIO.read("a,b,c\n\n1\n\n1,2\r\n,,\n", format: .csv)
        #expect(records.map(\.fieldNames) == [["a"], ["a", "b"], []])
    }

    @Test func rowsWithMoreFieldsThanTheHeaderAreErrorsNamingTheRow() throws {
        let error = try #require(TabularIO.readError("a,b\n1,2\n\"x\ny\",2\n1,2,3\n", format: .csv, chunk: 1))
        #expect(error.code == .corrupt)
        #expect(error.message.contains("row 3 (line 5)"), "\(error)")
        #expect(error.message.contains("3 fields but the header has 2 columns"), "\(error)")
        #expect(error.context.offset == 16)
    }

    @Test func anUnterminatedQuoteIsCorruptNamingTheRow() throws {
        for chunk in [1, Int.max] {
            let error = try #require(TabularIO.readError("a,b\n1,2\n3,\"open\nstill open", format: .csv, chunk: chunk))
            #expect(error.code == .corrupt)
            #expect(error.message.contains("row 2 (line 3)"), "\(error)")
            #expect(error.context.offset == 10)
        }
    }

    @Test func textAfterAClosingQuoteIsCorrupt() throws {
        let error = try #require(TabularIO.readError("a,b\n\"x\"y,2\n", format: .csv))
        #expect(error.code == .corrupt)
        #expect(error.message.contains("row 1 (line 2)"), "\(error)")
    }

    @Test func headerNamesMustBePresentAndDistinct() throws {
        for text in ["a,,b\n1,2,3\n", "a,b,a\n1,2,3\n"] {
            let error = try #require(TabularIO.readError(text, format: .csv))
            #expect(error.code == .corrupt)
            #expect(error.message.contains("header"), "\(error)")
        }
        #expect(try TabularIO.read("", format: .csv).isEmpty)
        #expect(try TabularIO.read("\u{FEFF}\r\n\r\na,b\r\n", format: .csv).isEmpty)
    }

    @Test func explicitColumnsReadTheFirstRowAsARecord() throws {
        let records = try TabularIO.read("1,x\n2,y\n", format: .csv, options: .init(csvColumns: ["id", "name"]))
        #expect(records == [["id": 1, "name": "x"], ["id": 2, "name": "y"]])
    }

    @Test func invalidUTF8IsCorrupt() throws {
        let bytes: [UInt8] = Array("a,b\n1,".utf8) + [0xC3, 0x28] + [0x0A]
        #expect(throws: DictDBError.self) { try TabularIO.read(bytes, format: .csv) }
    }

    @Test func enforcesCellAndRowLimits() throws {
        let limits = DecodingLimits(maxStringBytes: 8, maxContainerCount: 3)
        #expect(try TabularIO.read("a,b,c\n12345678,\"1234567\"\"\",x\n", format: .csv, limits: limits).count == 1)
        for text in ["a,b\n123456789,2\n", "a,b\n\"12345678\"\"\",2\n", "a,b\n1,2,3,4\n"] {
            for chunk in [1, Int.max] {
                let error = try #require(TabularIO.readError(text, format: .csv, limits: limits, chunk: chunk))
                #expect(error.code == .limitExceeded, "\(error)")
                #expect(error.message.contains("row 1 (line 2)"), "\(error)")
            }
        }
    }

    @Test func tabSeparatedValuesRoundTrip() throws {
        let records: [Record] = [["a": "x\ty", "b": 1], ["a": "p,q", "b": 2.5]]
        let bytes = try TabularIO.write(records, format: .csv, options: .init(csvDelimiter: "\t"))
        #expect(String(decoding: bytes, as: UTF8.self) == "a\tb\r\n\"x\ty\"\t1\r\np,q\t2.5\r\n")
        #expect(try TabularIO.read(bytes, format: .csv, options: .init(csvDelimiter: "\t")) == records)
    }

    // MARK: Types

    @Test(arguments: [
        ("true", Value.bool(true)), ("False", .bool(false)), ("TRUE", .bool(true)), ("tRue", .string("tRue")),
        ("12", .int(12)), ("-0", .int(0)), ("9223372036854775807", .int(.max)),
        ("-9223372036854775808", .int(.min)), ("9223372036854775808", .string("9223372036854775808")),
        ("007", .string("007")), ("+5", .string("+5")), (" 5", .string(" 5")), ("1.5", .double(1.5)),
        ("30103.0", .double(30103.0)), ("2e3", .double(2000)), ("-1.5E-3", .double(-0.0015)),
        ("1e999", .string("1e999")), ("NaN", .string("NaN")), ("inf", .string("inf")), ("1.", .string("1.")),
        (".5", .string(".5")), ("0x10", .string("0x10")), ("null", .string("null")), ("[1,2]", .string("[1,2]")),
        ("hello world", .string("hello world")),
    ])
    func infersTheTypeOfEachCell(_ cell: String, _ expected: Value) throws {
        let quoted = "\"\(cell.replacingQuotes())\""
        let records = try TabularIO.read("x,y\n\(quoted),\(cell.contains(",") ? quoted : cell)\n", format: .csv)
        let record = try #require(records.first)
        #expect(TabularIdentity.same(record["x"], expected), "\(cell) read as \(record["x"])")
        #expect(TabularIdentity.same(record["y"], expected), "\(cell) read as \(record["y"])")
    }

    @Test func canKeepEveryCellAString() throws {
        let records = try TabularIO.read(
            "a,b,c,d\n12,true,,[1]\n", format: .csv, options: .init(csvInfersTypes: false))
        #expect(records.count == 1)
        #expect(records.first.map { TabularIdentity.same($0, ["a": "12", "b": "true", "c": "", "d": "[1]"]) } == true)
    }

    @Test func canReadJSONCellsAsArraysAndObjects() throws {
        let options = RecordReaderOptions(csvParsesJSONCells: true)
        let records = try TabularIO.read(
            "a,b,c\n\"[1,2.0,\"\"x\"\"]\",\"{\"\"k\"\":null}\",[not json\n", format: .csv, options: options)
        let record = try #require(records.first)
        #expect(TabularIdentity.same(record, ["a": [1, 2.0, "x"], "b": ["k": .null], "c": "[not json"]))
    }

    // MARK: Round trips

    @Test(arguments: [false, true], [1, 3, Int.max])
    func randomRecordsRoundTripAsTheDocumentedInferenceSays(_ parsesJSON: Bool, chunk: Int) throws {
        let records = TabularSamples.records(count: 300, seed: parsesJSON ? 7 : 11)
        let columns = RecordWriterOptions.firstSeenColumns(of: records)
        let bytes = try TabularIO.write(records, format: .csv)
        let back = try TabularIO.read(
            bytes, format: .csv, options: .init(csvParsesJSONCells: parsesJSON), chunk: chunk)
        try #require(back.count == records.count)
        for (original, read) in zip(records, back) {
            var expected = Record()
            for column in columns {
                if let value = CSVInferenceModel.expected(original[field: column], parsesJSON: parsesJSON) {
                    expected[column] = value
                }
            }
            #expect(TabularIdentity.same(read, expected), "\(original) came back as \(read), expected \(expected)")
        }
    }

    @Test func stringsThatLookLikeOtherTypesComeBackAsThoseTypes() throws {
        let bytes = try TabularIO.write(
            [["n": "12", "b": "true", "e": "", "d": "2.50", "s": "12 apples"]], format: .csv)
        let record = try #require(try TabularIO.read(bytes, format: .csv).first)
        #expect(TabularIdentity.same(record, ["n": 12, "b": true, "d": 2.5, "s": "12 apples"]))
        let strings = try #require(try TabularIO.read(bytes, format: .csv, options: .init(csvInfersTypes: false)).first)
        #expect(TabularIdentity.same(strings, ["n": "12", "b": "true", "e": "", "d": "2.50", "s": "12 apples"]))
    }
}

/// What a value written to a CSV cell reads back as under type inference: an independent model of the
/// rules ``RecordReaderOptions`` documents.
enum CSVInferenceModel {
    static func expected(_ value: Value?, parsesJSON: Bool) -> Value? {
        switch value {
        case nil, .null?: return nil
        case .bool?, .int?, .double?: return value
        case .string(let text)?: return infer(text, parsesJSON: parsesJSON)
        case let nested?: return parsesJSON ? nested : infer(nested.description, parsesJSON: false)
        }
    }

    static func infer(_ text: String, parsesJSON: Bool) -> Value? {
        if text.isEmpty { return nil }
        if ["true", "True", "TRUE"].contains(text) { return true }
        if ["false", "False", "FALSE"].contains(text) { return false }
        if text.wholeMatch(of: /-?(0|[1-9][0-9]*)/) != nil { return Int64(text).map(Value.int) ?? .string(text) }
        if text.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/) != nil,
            let number = Double(text), number.isFinite
        {
            return .double(number)
        }
        if parsesJSON, text.hasPrefix("[") || text.hasPrefix("{"),
            let nested = try? JSONCodec().decode(Array(text.utf8), limits: .default)
        {
            return nested
        }
        return .string(text)
    }
}

extension String {
    /// The string with each `"` doubled, for a quoted CSV cell.
    fileprivate func replacingQuotes() -> String {
        var result = ""
        for character in self {
            if character == "\"" { result += "\"\"" } else { result.append(character) }
        }
        return result
    }
}
