import Backup
import Testing

@Suite struct BackupFileNameTests {
    @Test func namesRoundTripThroughTheirText() throws {
        let name = BackupFileName(
            timestampMillis: 1_795_754_141_123, generation: 3, sequence: 1024, codec: "msgpack+lz4")
        #expect(name.description == "dictdb-20261127T043541.123Z-g3-s1024.msgpack+lz4")
        #expect(BackupFileName(parsing: name.description) == name)
    }

    @Test(arguments: [
        "notes.txt", "dictdb-", "dictdb-20261127T043541.123Z-g3-s1024", "dictdb-20261127T043541.123Z-g3-s1024.",
        "dictdb-20261127T043541.123Z-gx-s1.json", "dictdb-20261127T043541.123Z-g1-s-5.json",
        "dictdb-20261332T043541.123Z-g1-s1.json", "dictdb-20260230T000000.000Z-g1-s1.json",
        "dictdb-20261127T243541.123Z-g1-s1.json", "dictdb-2026-11-27-g1-s1.json",
        "dictdb-20261127T043541.123Z-g1-s1.json.bak", "dictdb-20261127T043541.123Z-g1-s1.json~",
        "dictdb-20261127T043541.123Z-g1-s1.json.partial",
    ])
    func filesThatAreNotBackupsDoNotParse(_ text: String) {
        #expect(BackupFileName(parsing: text) == nil)
    }

    @Test func namesSortByTimeThenGenerationThenSequence() {
        let a = BackupFileName(timestampMillis: 1000, generation: 9, sequence: 9, codec: "json")
        let b = BackupFileName(timestampMillis: 2000, generation: 1, sequence: 1, codec: "json")
        let c = BackupFileName(timestampMillis: 2000, generation: 1, sequence: 2, codec: "json")
        #expect([c, a, b].sorted() == [a, b, c])
        #expect(a.description < b.description)
    }

    @Test func timestampsConvertBothWaysAcrossLeapYearsAndTheEpoch() {
        let cases: [(Int64, String)] = [
            (0, "19700101T000000.000Z"),
            (951_782_400_000, "20000229T000000.000Z"),
            (-1, "19691231T235959.999Z"),
            (253_402_300_799_999, "99991231T235959.999Z"),
        ]
        for (millis, text) in cases {
            #expect(UTCTimestamp.format(millis) == text)
            #expect(UTCTimestamp.parse(text) == millis)
        }
        #expect(UTCTimestamp.parse("20240229T000000.000Z") != nil)
        #expect(UTCTimestamp.parse("20230229T000000.000Z") == nil)
    }

    @Test func theExtendedFormIsReadAndWrittenForPeople() {
        #expect(UTCTimestamp.formatExtended(951_782_400_123) == "2000-02-29T00:00:00.123Z")
        #expect(UTCTimestamp.parse(iso8601: "2000-02-29T00:00:00.123Z") == 951_782_400_123)
        #expect(UTCTimestamp.parse(iso8601: "2000-02-29T00:00:01Z") == 951_782_401_000)
        #expect(UTCTimestamp.parse(iso8601: "20000229T000001.000Z") == 951_782_401_000)
        for bad in [
            "2000-02-30T00:00:00Z", "2000-02-29 00:00:00Z", "2000-02-29T00:00:00.5Z", "2000-02-29T00:00:00", "",
        ] {
            #expect(UTCTimestamp.parse(iso8601: bad) == nil, "\(bad)")
        }
    }
}
