import Codecs
import DictDBAPI
import Foundation
import Testing

/// Python's `csv` and `json` modules read the files we write, and we read what they write.
///
/// CI installs `python3`; a missing interpreter fails these tests rather than skipping them.
@Suite struct RecordFileInteropTests {
    /// Records whose values tools must keep apart: ints and doubles, quotes, delimiters, newlines, Unicode.
    private static let records: [Record] = [
        ["id": 1, "name": "Ada, Countess of \"Lovelace\"", "salary": 30103.0, "tags": ["é", "😀"], "ok": true],
        ["id": 2, "name": "Bob\r\nsecond line", "salary": -0.5, "big": .int(.max), "none": .null, "ok": false],
        ["id": 3, "name": " padded ", "nested": ["k": [1, 2.5]], "tab": "a\tb"],
    ]

    private func write(_ format: RecordFileFormat, to url: URL) throws {
        try Data(try TabularIO.write(Self.records, format: format)).write(to: url)
    }

    @Test func pythonCSVReadsOurFile() throws {
        try withTabularDirectory { directory in
            let file = directory.appendingPathComponent("records.csv")
            try write(.csv, to: file)
            let script = """
                import csv, json, sys
                with open(sys.argv[1], newline='', encoding='utf-8') as f:
                    rows = list(csv.DictReader(f))
                assert len(rows) == 3, rows
                assert list(rows[0].keys()) == ['id', 'name', 'salary', 'tags', 'ok', 'big', 'none', 'nested', 'tab'], rows[0].keys()
                assert rows[0]['name'] == 'Ada, Countess of "Lovelace"', rows[0]
                assert rows[0]['salary'] == '30103.0' and rows[0]['ok'] == 'true', rows[0]
                assert json.loads(rows[0]['tags']) == ['é', '😀'], rows[0]
                assert rows[1]['name'] == 'Bob\\r\\nsecond line', repr(rows[1]['name'])
                assert rows[1]['big'] == str(2**63 - 1) and rows[1]['none'] == '' and rows[1]['salary'] == '-0.5'
                assert rows[2]['name'] == ' padded ' and rows[2]['tab'] == 'a\\tb' and rows[2]['salary'] == ''
                assert json.loads(rows[2]['nested']) == {'k': [1, 2.5]}
                print('ok')
                """
            let run = try TabularTools.python(script, [file.path], in: directory)
            #expect(run.status == 0, "python3 failed (127: not installed): \(run.errors)")
            #expect(run.output == "ok\n")
        }
    }

    @Test(arguments: [RecordFileFormat.ndjson, .json])
    func pythonJSONReadsOurFileWithTypesAndKeyOrder(_ format: RecordFileFormat) throws {
        try withTabularDirectory { directory in
            let file = directory.appendingPathComponent("records.\(format)")
            try write(format, to: file)
            let script = """
                import json, sys
                text = open(sys.argv[1], encoding='utf-8').read()
                if sys.argv[2] == 'ndjson':
                    assert text.endswith('\\n') and '\\n\\n' not in text
                    rows = [json.loads(line) for line in text.splitlines()]
                else:
                    rows = json.loads(text)
                assert len(rows) == 3
                assert list(rows[0].keys()) == ['id', 'name', 'salary', 'tags', 'ok'], rows[0]
                assert isinstance(rows[0]['id'], int) and isinstance(rows[0]['salary'], float), rows[0]
                assert rows[0]['salary'] == 30103.0 and rows[0]['tags'] == ['é', '😀'] and rows[0]['ok'] is True
                assert rows[1]['name'] == 'Bob\\r\\nsecond line' and rows[1]['big'] == 2**63 - 1 and rows[1]['none'] is None
                assert rows[2]['nested'] == {'k': [1, 2.5]} and isinstance(rows[2]['nested']['k'][1], float)
                print('ok')
                """
            let run = try TabularTools.python(script, [file.path, format.rawValue], in: directory)
            #expect(run.status == 0, "python3 failed (127: not installed): \(run.errors)")
            #expect(run.output == "ok\n")
        }
    }

    @Test func weReadWhatPythonCSVWrites() throws {
        try withTabularDirectory { directory in
            let file = directory.appendingPathComponent("python.csv")
            let script = """
                import csv, sys
                with open(sys.argv[1], 'w', newline='', encoding='utf-8-sig') as f:
                    w = csv.writer(f)
                    w.writerow(['id', 'name', 'score', 'flag', 'empty'])
                    w.writerow([1, 'Ada, "the first"', 2.5, True, ''])
                    w.writerow([2, 'multi\\nline\\r\\ntext', -3, False, None])
                    w.writerow([3, ' spaced ', '1e3', 'x', ''])
                """
            let run = try TabularTools.python(script, [file.path], in: directory)
            try #require(run.status == 0, "python3 failed (127: not installed): \(run.errors)")
            let records = try TabularIO.read(Array(try Data(contentsOf: file)), format: .csv, chunk: 5)
            #expect(records.count == 3)
            #expect(
                records.first.map {
                    TabularIdentity.same($0, ["id": 1, "name": "Ada, \"the first\"", "score": 2.5, "flag": true])
                } == true)
            #expect(
                records.dropFirst().first.map {
                    TabularIdentity.same($0, ["id": 2, "name": "multi\nline\r\ntext", "score": -3, "flag": false])
                } == true)
            #expect(
                records.last.map {
                    TabularIdentity.same($0, ["id": 3, "name": " spaced ", "score": 1000.0, "flag": "x"])
                } == true)
        }
    }

    @Test func weReadWhatPythonJSONWritesAsNDJSON() throws {
        try withTabularDirectory { directory in
            let file = directory.appendingPathComponent("python.ndjson")
            let script = """
                import json, sys
                with open(sys.argv[1], 'w', encoding='utf-8') as f:
                    f.write(json.dumps({'id': 1, 'x': 1.0, 'u': '\\u00e9\\ud83d\\ude00'}) + '\\r\\n')
                    f.write('\\n')
                    f.write(json.dumps({'id': 2, 'n': None, 'a': [1, {'b': False}]}, indent=None, ensure_ascii=False) + '\\n')
                """
            let run = try TabularTools.python(script, [file.path], in: directory)
            try #require(run.status == 0, "python3 failed (127: not installed): \(run.errors)")
            let records = try TabularIO.read(Array(try Data(contentsOf: file)), format: .ndjson)
            #expect(records.count == 2)
            #expect(records.first.map { TabularIdentity.same($0, ["id": 1, "x": 1.0, "u": "é😀"]) } == true)
            #expect(
                records.last.map { TabularIdentity.same($0, ["id": 2, "n": .null, "a": [1, ["b": false]]]) } == true)
        }
    }
}
