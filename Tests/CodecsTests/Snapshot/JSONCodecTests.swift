import Codecs
import DictDBAPI
import Foundation
import Testing

/// What the `json` codec writes and what it accepts, beyond the shared contract.
@Suite struct JSONCodecTests {
    private let codec = JSONCodec()

    private func text(_ value: Value) throws -> String {
        String(decoding: try codec.encode(value), as: UTF8.self)
    }

    private func decode(_ text: String, limits: DecodingLimits = .default) throws(DictDBError) -> Value {
        try codec.decode(Array(text.utf8), limits: limits)
    }

    @Test func writesIntsAsIntegersAndDoublesWithAFractionOrExponent() throws {
        #expect(try text(.int(30103)) == "30103")
        #expect(try text(.double(30103.0)) == "30103.0")
        #expect(try text(.double(-0.0)) == "-0.0")
        #expect(try text(.double(0.0)) == "0.0")
        #expect(try text(.double(.leastNonzeroMagnitude)) == "5e-324")
        #expect(try text(.double(1.7976931348623157e308)) == "1.7976931348623157e+308")
        #expect(try text(.double(0.1)) == "0.1")
        #expect(try text(.double(123456.78)) == "123456.78")
        #expect(try text(.double(1e22)) == "1e+22")
        #expect(try text(.double(-1.5)) == "-1.5")
        #expect(try text(.int(.min)) == "-9223372036854775808")
        #expect(try text(.int(.max)) == "9223372036854775807")
        #expect(try text(.int(0)) == "0")
        #expect(try text(.int(-7)) == "-7")
    }

    @Test func escapesStringsPerRFC8259() throws {
        #expect(try text("a\"b\\c/d") == #""a\"b\\c/d""#)
        #expect(try text("\n\r\t\u{8}\u{C}") == #""\n\r\t\b\f""#)
        #expect(try text("\u{0}\u{1}\u{1F}") == #""\u0000\u0001\u001f""#)
        #expect(try text("é日本😀\u{7F}") == "\"é日本😀\u{7F}\"")
        let long = String(repeating: "ab\"\u{1}", count: 300)
        #expect(try decode(text(.string(long))) == .string(long))
    }

    @Test func writesRecordsCompactlyInFieldOrder() throws {
        let record: Record = ["z": 1, "a": [true, .null], "m": ["x": 2.5]]
        #expect(try text(.object(record)) == #"{"z":1,"a":[true,null],"m":{"x":2.5}}"#)
    }

    @Test func readsNumbersAsIntsOrDoubles() throws {
        #expect(ExactValue.equal(try decode("1"), .int(1)))
        #expect(ExactValue.equal(try decode("-0"), .int(0)))
        #expect(ExactValue.equal(try decode("1.0"), .double(1)))
        #expect(ExactValue.equal(try decode("1e2"), .double(100)))
        #expect(ExactValue.equal(try decode("1E+2"), .double(100)))
        #expect(ExactValue.equal(try decode("-0.0"), .double(-0.0)))
        #expect(ExactValue.equal(try decode("2.5e-3"), .double(0.0025)))
        #expect(ExactValue.equal(try decode("4.9e-324"), .double(.leastNonzeroMagnitude)))
        #expect(ExactValue.equal(try decode("1e-400"), .double(0)))
        #expect(ExactValue.equal(try decode("0.30000000000000004"), .double(0.30000000000000004)))
        #expect(ExactValue.equal(try decode("123456789012345678901234567890.5"), .double(1.2345678901234568e29)))
        #expect(ExactValue.equal(try decode("-9223372036854775808"), .int(.min)))
        #expect(ExactValue.equal(try decode("9223372036854775807"), .int(.max)))
        #expect(ExactValue.equal(try decode(" \n\t 42 \r\n"), .int(42)))
    }

    @Test func readsEveryDoubleBackBitForBit() throws {
        var generator = SeededGenerator(seed: 77)
        for _ in 0..<20_000 {
            let number = Double(bitPattern: generator.next())
            guard number.isFinite else { continue }
            let decoded = try codec.decode(codec.encode(.double(number)), limits: .default)
            #expect(ExactValue.equal(decoded, .double(number)), "\(number)")
        }
    }

    @Test func rejectsNumbersOutOfRangeWithTheirOffset() throws {
        for (input, offset) in [
            ("1e999", 0), ("-1e999", 0), ("[1, 9223372036854775808]", 4), ("-9223372036854775809", 0),
        ] {
            do {
                _ = try decode(input)
                Issue.record("\(input) was accepted")
            } catch {
                #expect(error.code == .invalidValue, "\(input): \(error)")
                #expect(error.context.offset == Int64(offset), "\(input): \(error)")
            }
        }
    }

    @Test func rejectsMalformedJSONWithTheOffset() throws {
        let cases: [(String, Int64)] = [
            ("01", 0), ("1.", 0), (".5", 0), ("+1", 0), ("1e", 0), ("-", 0), ("NaN", 0), ("Infinity", 0),
            ("[1,]", 3), ("[1 2]", 3), ("{\"a\" 1}", 5), ("{\"a\":1,}", 7), ("{a:1}", 1), ("tru", 0), ("nul", 0),
            ("\"abc", 4), ("\"a\u{1}b\"", 2), ("\"\\x\"", 1), ("\"\\u12G4\"", 1), ("[1] 2", 4), ("", 0), ("  ", 2),
            ("{\"a\":1,\"a\":2}", 0), ("[{\"b\":1,\"c\":2,\"b\":3}]", 1), ("\"\\ud83d\"", 1), ("\"\\ude00\"", 1),
            ("\"\\ud83d\\u0041\"", 1), ("truex", 4),
        ]
        for (input, offset) in cases {
            do {
                let value = try decode(input)
                Issue.record("\(input.debugDescription) was accepted as \(value)")
            } catch {
                #expect(error.code == .corrupt, "\(input.debugDescription): \(error)")
                #expect(error.context.offset == offset, "\(input.debugDescription): \(error)")
            }
        }
    }

    @Test func rejectsInvalidUTF8() throws {
        for bytes in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22]] as [[UInt8]] {
            expectError(.corrupt) { _ = try codec.decode(bytes, limits: .default) }
        }
    }

    @Test func readsEscapesAndSurrogatePairs() throws {
        #expect(try decode(#""\ud83d\ude00 \u00e9\u0000\/\"""#) == .string("😀 é\u{0}/\""))
        #expect(try decode(#""\uD83D\uDE00""#) == .string("😀"))
    }

    @Test func writesTheDocumentedLayoutWithACRC32OfTheBytesBeforeTheChecksumKey() throws {
        let bytes = try SnapshotIO.write(.small, with: codec)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(
            text.hasPrefix(
                #"{"_meta":{"format":"dictdb","version":1,"tableCount":2,"generation":7},"tables":[{"table":{"#))
        #expect(text.contains(#""salary":30103.0"#))
        #expect(text.contains(#"{"table":{"name":"empty","recordCount":0},"records":[]}"#))
        let key = Array(#""checksum":"crc32:"#.utf8)
        let keyIndex = try #require(bytes.indices.last { bytes[$0...].starts(with: key) })
        let crc = CRC32.checksum(Array(bytes[..<keyIndex]))
        let hex = String(crc, radix: 16)
        #expect(text.hasSuffix(#"crc32:\#(String(repeating: "0", count: 8 - hex.count) + hex)"}"#))
    }

    @Test func readsAnySpacingWhenTheChecksumMatches() throws {
        let spaced = """
             {  "_meta" : { "format" : "dictdb" , "tableCount" : 1 } ,
              "tables" : [
                { "table" : { "name" : "t" } , "records" : [ { "a" : 1 , "b" : [ 1.5 , "x" ] } ,
                  { "a" : 2 , "b" : [ ] } ] } ] ,
              
            """
        let body = Array((spaced + "  ").utf8)
        let crc = String(CRC32.checksum(body), radix: 16)
        let file =
            body
            + Array(#""checksum" :  "crc32:\#(String(repeating: "0", count: 8 - crc.count) + crc)" }  \#n\#n"#.utf8)
        let read = try SnapshotIO.read(file, with: codec)
        #expect(
            read.isIdentical(
                to: SnapshotContent(
                    meta: ["format": "dictdb", "tableCount": 1],
                    tables: [.init(header: ["name": "t"], records: [["a": 1, "b": [1.5, "x"]], ["a": 2, "b": []]])])))
        #expect(codec.recognizes(prefix: Array(file.prefix(16))))
    }

    @Test func rejectsAMissingMalformedOrWrongChecksum() throws {
        let bytes = try SnapshotIO.write(.small, with: codec)
        let text = String(decoding: bytes, as: UTF8.self)
        let keyRange = try #require(text.range(of: #","checksum""#, options: .backwards))
        let body = String(text[..<keyRange.lowerBound])
        let crc = String(text.suffix(10).prefix(8))
        let variants = [
            body + "}", body + #","checksum":"\#(crc.uppercased())"}"#, body + #","checksum":"crc32:\#(crc)0"}"#,
            body + #","checksum":"md5:\#(crc)"}"#, body + #","checksum":1}"#, body + #","check":"crc32:\#(crc)"}"#,
            body + #","checksum":"crc32:00000000"}"#, body + #","checksum":"crc32:\#(crc)","more":1}"#,
        ]
        for variant in variants where variant != text {
            let error = SnapshotIO.readFailure(Array(variant.utf8), with: codec, expected: .small, variant)
            #expect(error?.code == .corrupt, "\(variant.suffix(40)): \(String(describing: error))")
            #expect(error?.context.offset != nil)
        }
    }

    @Test func reportsTheOffsetOfDamage() throws {
        var bytes = try SnapshotIO.write(.small, with: codec)
        let index = try #require(bytes.firstIndex(of: UInt8(ascii: ":")))
        bytes[index] = UInt8(ascii: ";")
        let error = SnapshotIO.readFailure(bytes, with: codec, expected: .small, "damaged colon")
        #expect(error?.code == .corrupt)
        #expect(error?.context.offset == Int64(index))
        #expect(error?.context.plugin == "codec:json")
    }

    @Test func recognizesTheMetaKeyAfterWhitespaceOnly() {
        #expect(codec.recognizes(prefix: Array("{ \n \"_meta\" : {}".utf8)))
        #expect(!codec.recognizes(prefix: Array("{ \n x\"_meta\" : {}".utf8)))
        #expect(codec.recognizes(prefix: Array(#"{"_meta":{"format"#.utf8)))
        #expect(codec.recognizes(prefix: Array(" \n\t{\"_meta\":".utf8)))
        #expect(codec.recognizes(prefix: Array("            {\"_m".utf8)))
        #expect(!codec.recognizes(prefix: Array(#"{"tables":[],"_m"#.utf8)))
        #expect(!codec.recognizes(prefix: Array(#"{"_met"#.utf8)))
        #expect(!codec.recognizes(prefix: [0x83, 0xA5] + Array("_meta".utf8)))
    }
}
