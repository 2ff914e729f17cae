import Codecs
import DictDBAPI
import Foundation
import Testing

/// Snapshot files are read by standard tools: Python's `json` and `msgpack`, `jq`, `gzip -dc`, `lz4 -dc`,
/// and we read files those tools' libraries write.
///
/// CI installs `jq`, `lz4` and Python's `msgpack`; a missing tool fails these tests rather than skipping them.
@Suite struct SnapshotInteropTests {
    /// A snapshot with values whose types tools must keep apart.
    private static let content = SnapshotContent(
        meta: ["format": "dictdb", "version": 1, "codec": "json", "tableCount": 1],
        tables: [
            .init(
                header: ["name": "people", "primaryKey": "id", "recordCount": 2],
                records: [
                    ["id": 1, "name": "Ada", "salary": 30103.0, "tags": ["é", "😀"]],
                    ["id": 2, "name": "Bob \"\\\n\u{1}", "salary": -0.5, "big": .int(.max), "none": .null],
                ])
        ])

    private func writeFile(_ codecName: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("snapshot.\(codecName)")
        try Data(try SnapshotIO.write(Self.content, with: SnapshotCodecs.codec(codecName))).write(to: url)
        return url
    }

    @Test func pythonJSONReadsOurFileAndAgreesWithTheChecksum() throws {
        try withTemporaryDirectory { directory in
            let file = try writeFile("json", in: directory)
            let script = """
                import json, sys, zlib
                data = open(sys.argv[1], 'rb').read()
                doc = json.loads(data)
                r = doc['tables'][0]['records']
                assert r[0]['salary'] == 30103.0 and isinstance(r[0]['salary'], float), r[0]
                assert isinstance(r[0]['id'], int) and r[1]['big'] == 2**63 - 1
                assert r[1]['name'] == 'Bob "\\\\\\n\\x01' and r[0]['tags'] == ['é', '😀'], r
                assert list(r[0].keys()) == ['id', 'name', 'salary', 'tags']
                end = data.rindex(b'"checksum"')
                assert doc['checksum'] == 'crc32:%08x' % zlib.crc32(data[:end]), doc['checksum']
                print(r[0]['name'])
                """
            let run = try SnapshotTools.require("python3", ["-c", script, file.path], in: directory)
            #expect(run.text == "Ada")
        }
    }

    @Test func jqReadsOurFile() throws {
        try withTemporaryDirectory { directory in
            let file = try writeFile("json", in: directory)
            let run = try SnapshotTools.require(
                "jq", ["-r", #".tables[0].records[1].name, .tables[0].records[0].id, ._meta.format"#, file.path],
                in: directory)
            #expect(run.text == "Bob \"\\\n\u{1}\n1\ndictdb")
        }
    }

    @Test func pythonMsgpackReadsOurFileAndAgreesWithTheChecksum() throws {
        try withTemporaryDirectory { directory in
            let file = try writeFile("msgpack", in: directory)
            let script = """
                import msgpack, sys, zlib
                data = open(sys.argv[1], 'rb').read()
                doc = msgpack.unpackb(data, raw=False, strict_map_key=True)
                assert list(doc.keys()) == ['_meta', 'tables', 'checksum'], doc.keys()
                r = doc['tables'][0]['records']
                assert r[0]['salary'] == 30103.0 and isinstance(r[0]['salary'], float), r[0]
                assert isinstance(r[0]['id'], int) and r[1]['big'] == 2**63 - 1 and r[1]['none'] is None
                assert r[1]['name'] == 'Bob "\\\\\\n\\x01' and r[0]['tags'] == ['é', '😀'], r
                end = data.rindex(b'\\xa8checksum')
                assert doc['checksum'] == zlib.crc32(data[:end]), doc['checksum']
                print(doc['tables'][0]['table']['name'])
                """
            let run = try SnapshotTools.require("python3", ["-c", script, file.path], in: directory)
            #expect(run.text == "people")
        }
    }

    /// A snapshot built by Python's libraries, with the checksum computed there.
    private static let pythonWriter = """
        import json, msgpack, sys, zlib
        meta = {'format': 'dictdb', 'version': 1, 'tableCount': 1}
        header = {'name': 'people', 'recordCount': 3}
        records = [{'id': 1, 'name': 'Zoë 😀', 'salary': 30103.0, 'n': -200, 'big': 2**63 - 1},
                   {'id': 70000, 'name': '', 'salary': 1e-7, 'n': None, 'big': -2**63},
                   {'name': 'x' * 300, 'id': 3, 'list': [1, [2.5, {'k': True}]], 'n': False, 'big': 0}]
        tables = [{'table': header, 'records': records}]
        if sys.argv[1] == 'json':
            body = ('{"_meta": ' + json.dumps(meta) + ', "tables": ' + json.dumps(tables) + ', ').encode()
            data = body + ('"checksum": "crc32:%08x"}\\n' % zlib.crc32(body)).encode()
        else:
            p = msgpack.Packer(use_bin_type=True)
            body = b'\\x83' + p.pack('_meta') + p.pack(meta) + p.pack('tables') + p.pack(tables)
            data = body + p.pack('checksum') + p.pack(zlib.crc32(body))
        open(sys.argv[2], 'wb').write(data)
        """

    @Test(arguments: ["json", "msgpack"])
    func weReadFilesPythonWrites(_ codecName: String) throws {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("python.\(codecName)")
            _ = try SnapshotTools.require("python3", ["-c", Self.pythonWriter, codecName, file.path], in: directory)
            let bytes = [UInt8](try Data(contentsOf: file))
            let codec = try SnapshotCodecs.registry.detectCodec(prefix: Array(bytes.prefix(16)))
            #expect(codec.name == codecName)
            let read = try SnapshotIO.read(bytes, with: codec)
            let records = try #require(read.tables.first?.records)
            #expect(records.count == 3)
            #expect(
                ExactValue.equal(
                    records[0], ["id": 1, "name": "Zoë 😀", "salary": 30103.0, "n": -200, "big": .int(.max)]))
            #expect(
                ExactValue.equal(records[1], ["id": 70000, "name": "", "salary": 1e-7, "n": .null, "big": .int(.min)]))
            #expect(
                ExactValue.equal(
                    records[2],
                    [
                        "name": .string(String(repeating: "x", count: 300)), "id": 3, "list": [1, [2.5, ["k": true]]],
                        "n": false, "big": 0,
                    ]))
        }
    }

    @Test(arguments: [("json+gzip", "gzip"), ("json+lz4", "lz4"), ("msgpack+gzip", "gzip"), ("msgpack+lz4", "lz4")])
    func commandLineToolsDecompressToTheBaseCodecsBytes(_ codecName: String, _ tool: String) throws {
        try withTemporaryDirectory { directory in
            let file = try writeFile(codecName, in: directory)
            let baseName = String(codecName.prefix { $0 != "+" })
            let plain = try SnapshotIO.write(Self.content, with: SnapshotCodecs.codec(baseName))
            let run = try SnapshotTools.require(tool, ["-d", "-c", file.path], in: directory)
            #expect(run.output == plain)
        }
    }

    @Test(arguments: [("json+gzip", "gzip"), ("json+lz4", "lz4"), ("msgpack+gzip", "gzip"), ("msgpack+lz4", "lz4")])
    func weReadSnapshotsTheCommandLineToolsCompressed(_ codecName: String, _ tool: String) throws {
        try withTemporaryDirectory { directory in
            let baseName = String(codecName.prefix { $0 != "+" })
            let plainFile = directory.appendingPathComponent("plain")
            try Data(try SnapshotIO.write(Self.content, with: SnapshotCodecs.codec(baseName))).write(to: plainFile)
            let run = try SnapshotTools.require(tool, ["-c", plainFile.path], in: directory)
            let codec = try SnapshotCodecs.codec(codecName)
            #expect(try SnapshotIO.read(run.output, with: codec).isIdentical(to: Self.content))
            let detected = try SnapshotCodecs.registry.detectCodec(prefix: Array(run.output.prefix(16)))
            #expect(try SnapshotIO.read(run.output, with: detected).isIdentical(to: Self.content))
        }
    }
}
