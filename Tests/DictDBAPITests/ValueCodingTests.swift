import PropertyBased
import Testing

@testable import DictDBAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct ValueCodingTests {
    // MARK: - Fixtures

    struct Address: Codable, Equatable {
        var street: String
        var zip: Int
    }

    enum Role: String, Codable, Equatable {
        case admin
        case member
    }

    enum Level: Int, Codable, Equatable {
        case low = 1
        case high = 3
    }

    struct Person: Codable, Equatable {
        var name: String
        var age: Int
        var email: String?
        var address: Address
        var role: Role
        var level: Level
        var tags: [String]
        var scores: [String: Double]
    }

    struct Item: Codable, Equatable {
        var name: String
        var quantity: Int8
    }

    struct Order: Codable, Equatable {
        var items: [Item]
    }

    struct Widths: Codable, Equatable {
        var int: Int
        var int8: Int8
        var int16: Int16
        var int32: Int32
        var int64: Int64
        var uint: UInt
        var uint8: UInt8
        var uint16: UInt16
        var uint32: UInt32
        var uint64: UInt64
    }

    struct Measurement: Codable, Equatable {
        var value: Double
    }

    struct Count: Codable, Equatable {
        var value: Int
    }

    struct Stamp: Codable, Equatable {
        var at: Date
    }

    /// Declared out of alphabetical order, to show that encoding keeps the declaration order.
    struct Unsorted: Codable, Equatable {
        var zeta: Int
        var alpha: Int
        var mid: Int
    }

    static let ada = Person(
        name: "Ada",
        age: 36,
        email: "ada@example.com",
        address: Address(street: "12 St James's Square", zip: 10115),
        role: .admin,
        level: .high,
        tags: ["math", "engines"],
        scores: ["analysis": 9.5, "poetry": 7]
    )

    static let adaRecord: Record = [
        "name": "Ada", "age": 36, "email": "ada@example.com",
        "address": ["street": "12 St James's Square", "zip": 10115],
        "role": "admin", "level": 3, "tags": ["math", "engines"],
        "scores": ["analysis": 9.5, "poetry": 7.0],
    ]

    /// Encodes and decodes a value with default coders.
    func roundTrip<T: Codable>(_ value: T) throws -> T {
        try ValueDecoder().decode(T.self, from: try ValueEncoder().encode(value))
    }

    /// Expects `body` to throw a `DictDBError` with `code`.
    func expectError<R>(
        _ code: DictDBError.Code,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> R
    ) {
        let error = #expect(throws: DictDBError.self, sourceLocation: sourceLocation) { try body() }
        #expect(error?.code == code, sourceLocation: sourceLocation)
    }

    // MARK: - Round trips

    @Test func roundTripsNestedStructs() throws {
        let record = try ValueEncoder().encodeRecord(Self.ada)
        #expect(record == Self.adaRecord)
        #expect(try ValueDecoder().decode(Person.self, from: record) == Self.ada)
    }

    @Test func keepsFieldsInTheOrderTheTypeEncodesThem() throws {
        let person = try ValueEncoder().encodeRecord(Self.ada)
        #expect(person.fieldNames == ["name", "age", "email", "address", "role", "level", "tags", "scores"])
        let unsorted = try ValueEncoder().encodeRecord(Unsorted(zeta: 1, alpha: 2, mid: 3))
        #expect(unsorted.fieldNames == ["zeta", "alpha", "mid"])
        #expect(unsorted.description == #"{"zeta":1,"alpha":2,"mid":3}"#)
    }

    @Test func encodesEnumsByTheirRawValues() throws {
        let record = try ValueEncoder().encodeRecord(Self.ada)
        #expect(record["role"] == "admin")
        #expect(record["level"] == 3)
        #expect(try roundTrip([Role.member, .admin]) == [.member, .admin])
        #expect(try roundTrip([Level.low: "one"]) == [.low: "one"])
    }

    @Test func roundTripsArraysAndDictionaries() throws {
        let grid = [[1, 2], [], [3]]
        #expect(try ValueEncoder().encode(grid) == [[1, 2], [], [3]])
        #expect(try roundTrip(grid) == grid)

        let byName: [String: [Int]] = ["a": [1], "b": [2, 3]]
        let encoded = try ValueEncoder().encode(byName)
        #expect(encoded == ["a": [1], "b": [2, 3]] as Value)
        #expect(try roundTrip(byName) == byName)

        let byNumber: [Int: String] = [1: "one", 20: "twenty"]
        #expect(try roundTrip(byNumber) == byNumber)

        let addresses = [Address(street: "a", zip: 1), Address(street: "b", zip: 2)]
        #expect(try roundTrip(addresses) == addresses)
        #expect(try roundTrip(Order(items: [])) == Order(items: []))
    }

    @Test func roundTripsLargeDictionaries() throws {
        let table = Dictionary(uniqueKeysWithValues: (0..<500).map { ("key\($0)", $0) })
        let record = try ValueEncoder().encodeRecord(table)
        #expect(record.count == 500)
        #expect(try ValueDecoder().decode([String: Int].self, from: record) == table)
    }

    @Test func omitsNilOptionalsAndKeepsPresentOnes() throws {
        var person = Self.ada
        person.email = nil
        let record = try ValueEncoder().encodeRecord(person)
        #expect(!record.hasField("email"))
        #expect(try ValueDecoder().decode(Person.self, from: record) == person)

        let withEmail = try ValueEncoder().encodeRecord(Self.ada)
        #expect(withEmail["email"] == "ada@example.com")
    }

    @Test func decodesNullAndMissingFieldsAsNilOptionals() throws {
        var record = Self.adaRecord
        record["email"] = .null
        #expect(try ValueDecoder().decode(Person.self, from: record).email == nil)
        record["email"] = nil
        #expect(try ValueDecoder().decode(Person.self, from: record).email == nil)
    }

    @Test func keepsNilElementsOfArraysAsNull() throws {
        let values: [Int?] = [1, nil, 3]
        #expect(try ValueEncoder().encode(values) == [1, nil, 3])
        #expect(try roundTrip(values) == values)
    }

    @Test func roundTripsAllIntegerWidthsAtTheirBounds() throws {
        let lowest = Widths(
            int: .min, int8: .min, int16: .min, int32: .min, int64: .min,
            uint: .min, uint8: .min, uint16: .min, uint32: .min, uint64: .min
        )
        let highest = Widths(
            int: .max, int8: .max, int16: .max, int32: .max, int64: .max,
            uint: UInt(Int64.max), uint8: .max, uint16: .max, uint32: .max, uint64: UInt64(Int64.max)
        )
        #expect(try roundTrip(lowest) == lowest)
        #expect(try roundTrip(highest) == highest)
        let record = try ValueEncoder().encodeRecord(highest)
        #expect(record["int8"] == .int(127))
        #expect(record["uint32"] == .int(Int64(UInt32.max)))
        #expect(record["uint64"] == .int(.max))
    }

    @Test func keepsWholeDoublesAsDoubles() throws {
        let value = try ValueEncoder().encode(30103.0)
        #expect(value.typeName == "double")
        let record = try ValueEncoder().encodeRecord(Measurement(value: 30103.0))
        #expect(record["value"].typeName == "double")
        #expect(record.description == #"{"value":30103.0}"#)
        #expect(try roundTrip(Measurement(value: -0.5)) == Measurement(value: -0.5))
    }

    @Test func encodesFloatsByTheirShortestText() throws {
        #expect(try ValueEncoder().encode(Float(0.1)).doubleValue == 0.1)
        #expect(try roundTrip(Float(0.1)) == Float(0.1))
        #expect(try roundTrip([Float(1.5), 3]) == [1.5, 3])
    }

    // MARK: - Number conversions when decoding

    @Test func decodesDoubleFieldFromInt() throws {
        let measurement = try ValueDecoder().decode(Measurement.self, from: ["value": 42] as Record)
        #expect(measurement.value == 42.0)
        #expect(try ValueDecoder().decode(Float.self, from: 7) == 7)
    }

    @Test func decodesIntFieldFromWholeDouble() throws {
        let count = try ValueDecoder().decode(Count.self, from: ["value": 3.0] as Record)
        #expect(count.value == 3)
        #expect(try ValueDecoder().decode([UInt8].self, from: [1.0, 255.0]) == [1, 255])
    }

    @Test func rejectsFractionalDoubleForIntField() {
        let error = #expect(throws: DictDBError.self) {
            try ValueDecoder().decode(Count.self, from: ["value": 3.5] as Record)
        }
        #expect(error?.code == .conversionFailed)
        #expect(error?.context.field == "value")
        #expect(error?.context.expected == "Int")
        #expect(error?.context.found == "double")
    }

    // MARK: - Dates and other Foundation types

    @Test func encodesDatesAsSecondsSince1970ByDefault() throws {
        let stamp = Stamp(at: Date(timeIntervalSince1970: 1_714_566_600.25))
        let record = try ValueEncoder().encodeRecord(stamp)
        #expect(record["at"] == .double(1_714_566_600.25))
        #expect(record["at"].typeName == "double")
        #expect(try ValueDecoder().decode(Stamp.self, from: record) == stamp)
        #expect(try ValueDecoder().decode(Stamp.self, from: ["at": 0] as Record).at.timeIntervalSince1970 == 0)
    }

    @Test func encodesDatesAsMillisecondsSince1970() throws {
        let stamp = Stamp(at: Date(timeIntervalSince1970: 1_714_566_600.25))
        let record = try ValueEncoder(dateEncodingStrategy: .millisecondsSince1970).encodeRecord(stamp)
        #expect(record["at"] == .double(1_714_566_600_250))
        let decoded = try ValueDecoder(dateDecodingStrategy: .millisecondsSince1970).decode(Stamp.self, from: record)
        #expect(decoded == stamp)
    }

    @Test func encodesDatesAsISO8601Strings() throws {
        let encoder = ValueEncoder(dateEncodingStrategy: .iso8601)
        #expect(try encoder.encode(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(try encoder.encode(Date(timeIntervalSince1970: 1_714_566_600.25)) == "2024-05-01T12:30:00.250Z")
        #expect(try encoder.encode(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(try encoder.encode(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(try encoder.encode(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00Z")
        #expect(try encoder.encode(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")

        let error = #expect(throws: DictDBError.self) {
            try encoder.encodeRecord(Stamp(at: Date(timeIntervalSince1970: 253_402_300_800)))
        }
        #expect(error?.code == .conversionFailed)
        #expect(error?.context.field == "at")
    }

    @Test func decodesISO8601StringsWithOffsetsAndFractions() throws {
        let decoder = ValueDecoder(dateDecodingStrategy: .iso8601)
        func seconds(_ text: Value) throws -> Double {
            try decoder.decode(Date.self, from: text).timeIntervalSince1970
        }
        #expect(try seconds("2024-05-01T12:30:00Z") == 1_714_566_600)
        #expect(try seconds("2024-05-01T14:30:00+02:00") == 1_714_566_600)
        #expect(try seconds("2024-05-01T07:00:00-0530") == 1_714_566_600)
        #expect(try abs(seconds("2024-05-01T12:30:00.123456Z") - 1_714_566_600.123456) < 1e-6)
        #expect(try seconds("1969-12-31T23:59:59.5Z") == -0.5)

        for bad: Value in ["2024-02-30T00:00:00Z", "2024-05-01T12:30:00", "2024-05-01 12:30", "yesterday", 12] {
            let error = #expect(throws: DictDBError.self) { try seconds(bad) }
            #expect(error?.code == .conversionFailed)
            #expect(error?.context.expected == "Date (ISO 8601 string)")
        }
    }

    @Test func roundTripsDatesThroughEveryStrategy() throws {
        let stamp = Stamp(at: Date(timeIntervalSince1970: 1_700_000_000.125))
        let pairs: [(ValueEncoder.DateEncodingStrategy, ValueDecoder.DateDecodingStrategy)] = [
            (.secondsSince1970, .secondsSince1970),
            (.millisecondsSince1970, .millisecondsSince1970),
            (.iso8601, .iso8601),
        ]
        for (encoding, decoding) in pairs {
            let record = try ValueEncoder(dateEncodingStrategy: encoding).encodeRecord(stamp)
            let decoded = try ValueDecoder(dateDecodingStrategy: decoding).decode(Stamp.self, from: record)
            #expect(decoded == stamp)
        }
    }

    @Test func encodesUUIDsURLsAndDataAsStrings() throws {
        struct Attachment: Codable, Equatable {
            var id: UUID
            var link: URL
            var bytes: Data
        }
        let id = UUID()
        let link = try #require(URL(string: "https://example.com/files/a?b=c"))
        let attachment = Attachment(id: id, link: link, bytes: Data([0, 1, 2, 254, 255]))
        let record = try ValueEncoder().encodeRecord(attachment)
        #expect(record["id"] == .string(id.uuidString))
        #expect(record["link"] == "https://example.com/files/a?b=c")
        #expect(record["bytes"] == "AAEC/v8=")
        #expect(try ValueDecoder().decode(Attachment.self, from: record) == attachment)

        var bytesAsArray = record
        bytesAsArray["bytes"] = [0, 1, 2, 254, 255]
        #expect(try ValueDecoder().decode(Attachment.self, from: bytesAsArray) == attachment)
    }

    // MARK: - Custom coding

    struct Point: Codable, Equatable {
        var x: Double
        var y: Double
        var labels: [String]

        enum Keys: String, CodingKey {
            case coords
            case meta
            case labels
        }

        init(x: Double, y: Double, labels: [String]) {
            self.x = x
            self.y = y
            self.labels = labels
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            var coords = try container.nestedUnkeyedContainer(forKey: .coords)
            x = try coords.decode(Double.self)
            y = try coords.decode(Double.self)
            let meta = try container.nestedContainer(keyedBy: Keys.self, forKey: .meta)
            labels = try meta.decode([String].self, forKey: .labels)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var coords = container.nestedUnkeyedContainer(forKey: .coords)
            try coords.encode(x)
            try coords.encode(y)
            var meta = container.nestedContainer(keyedBy: Keys.self, forKey: .meta)
            try meta.encode(labels, forKey: .labels)
        }
    }

    class Animal: Codable {
        let name: String
        init(name: String) { self.name = name }
    }

    final class Dog: Animal {
        let breed: String

        enum CodingKeys: CodingKey {
            case breed
        }

        init(name: String, breed: String) {
            self.breed = breed
            super.init(name: name)
        }

        required init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            breed = try container.decode(String.self, forKey: .breed)
            try super.init(from: container.superDecoder())
        }

        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(breed, forKey: .breed)
            try super.encode(to: container.superEncoder())
        }
    }

    @Test func encodesNestedContainers() throws {
        let point = Point(x: 1.5, y: -2, labels: ["origin"])
        let value = try ValueEncoder().encode(point)
        #expect(value == ["coords": [1.5, -2.0], "meta": ["labels": ["origin"]]])
        #expect(try roundTrip(point) == point)
    }

    @Test func encodesSuperclassesUnderTheSuperKey() throws {
        let record = try ValueEncoder().encodeRecord(Dog(name: "Rex", breed: "collie"))
        #expect(record == ["breed": "collie", "super": ["name": "Rex"]])
        let dog = try ValueDecoder().decode(Dog.self, from: record)
        #expect(dog.name == "Rex")
        #expect(dog.breed == "collie")
    }

    @Test func handsUserInfoToTheCodedTypes() throws {
        struct Versioned: Codable, Equatable {
            static let key = CodingUserInfoKey(rawValue: "version")
            var version: Int

            init(version: Int) { self.version = version }

            init(from decoder: any Decoder) throws {
                version = Self.key.flatMap { decoder.userInfo[$0] as? Int } ?? -1
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(Self.key.flatMap { encoder.userInfo[$0] as? Int } ?? -1)
            }
        }
        let key = try #require(Versioned.key)
        #expect(try ValueEncoder(userInfo: [key: 7]).encode(Versioned(version: 0)) == 7)
        #expect(try ValueDecoder(userInfo: [key: 9]).decode(Versioned.self, from: .null) == Versioned(version: 9))
    }

    // MARK: - Errors

    @Test func reportsMissingKeyWithItsPath() {
        var record = Self.adaRecord
        record["address"] = ["street": "Main"]
        let error = #expect(throws: DictDBError.self) {
            try ValueDecoder().decode(Person.self, from: record)
        }
        #expect(error?.code == .conversionFailed)
        #expect(error?.context.field == "address.zip")
        #expect(error?.context.expected == "Int")
        #expect(error?.context.found == "missing")
        #expect(error?.message.contains("address.zip") == true)
    }

    @Test func reportsTypeMismatchWithItsPath() {
        var record = Self.adaRecord
        record["address"] = ["street": "Main", "zip": "10115"]
        let error = #expect(throws: DictDBError.self) {
            try ValueDecoder().decode(Person.self, from: record)
        }
        #expect(error?.code == .conversionFailed)
        #expect(error?.context.field == "address.zip")
        #expect(error?.context.expected == "Int")
        #expect(error?.context.found == "string")
        #expect(error?.message == #"field address.zip: expected Int, found string "10115""#)
    }

    @Test func namesArrayPositionsInPaths() {
        let record: Record = ["items": [["name": "a", "quantity": 1], ["name": "b", "quantity": true]]]
        let error = #expect(throws: DictDBError.self) {
            try ValueDecoder().decode(Order.self, from: record)
        }
        #expect(error?.context.field == "items[1].quantity")
        #expect(error?.context.found == "bool")
    }

    @Test func rejectsInt8Overflow() {
        let record: Record = ["items": [["name": "a", "quantity": 300]]]
        let error = #expect(throws: DictDBError.self) {
            try ValueDecoder().decode(Order.self, from: record)
        }
        #expect(error?.code == .conversionFailed)
        #expect(error?.context.field == "items[0].quantity")
        #expect(error?.context.expected == "Int8")
        #expect(error?.message.contains("300") == true)
        expectError(.conversionFailed) { try ValueDecoder().decode(UInt8.self, from: -1) }
        expectError(.conversionFailed) { try ValueDecoder().decode(Int32.self, from: 1e10) }
    }

    @Test func rejectsUInt64AboveInt64Max() {
        struct Counter: Codable {
            var hits: UInt64
        }
        let error = #expect(throws: DictDBError.self) {
            try ValueEncoder().encodeRecord(Counter(hits: UInt64(Int64.max) + 1))
        }
        #expect(error?.code == .conversionFailed)
        #expect(error?.context.field == "hits")
        #expect(error?.message.contains("9223372036854775808") == true)
        expectError(.conversionFailed) { try ValueEncoder().encode([UInt.max]) }
    }

    @Test func rejectsNonFiniteNumbers() {
        let error = #expect(throws: DictDBError.self) {
            try ValueEncoder().encodeRecord(Measurement(value: .nan))
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.context.field == "value")
        expectError(.invalidValue) { try ValueEncoder().encode([1, Double.infinity]) }
        expectError(.invalidValue) { try ValueEncoder().encode(-Float.infinity) }
        expectError(.invalidValue) {
            try ValueEncoder().encode(Stamp(at: Date(timeIntervalSince1970: .nan)))
        }
    }

    @Test func rejectsNonObjectsAsRecords() {
        let error = #expect(throws: DictDBError.self) { try ValueEncoder().encodeRecord([1, 2]) }
        #expect(error?.code == .conversionFailed)
        #expect(error?.context.found == "array")
        expectError(.conversionFailed) { try ValueEncoder().encodeRecord("text") }
        expectError(.conversionFailed) { try ValueDecoder().decode(Person.self, from: [1, 2]) }
    }

    @Test func rejectsUnknownRawValuesNamingThePath() {
        var record = Self.adaRecord
        record["role"] = "owner"
        let error = #expect(throws: DictDBError.self) {
            try ValueDecoder().decode(Person.self, from: record)
        }
        #expect(error?.code == .conversionFailed)
        #expect(error?.context.field == "role")
        #expect(error?.underlying is DecodingError)
    }

    @Test func wrapsErrorsThrownByTheTypeItself() {
        struct Refuses: Encodable {
            struct Failure: Error {}
            func encode(to encoder: any Encoder) throws { throw Failure() }
        }
        let error = #expect(throws: DictDBError.self) { try ValueEncoder().encode(Refuses()) }
        #expect(error?.code == .conversionFailed)
        #expect(error?.underlying is Refuses.Failure)
    }

    @Test func rejectsTypesThatEncodeNothing() throws {
        struct Silent: Encodable {
            func encode(to encoder: any Encoder) throws {}
        }
        expectError(.conversionFailed) { try ValueEncoder().encode(Silent()) }
        #expect(try ValueEncoder().encode([Silent()]) == [[:]])
    }

    // MARK: - Property

    struct Sample: Codable, Equatable {
        var id: Int
        var name: String
        var active: Bool
        var tags: [String]
        var ratio: Double
        var note: String?
        var small: Int8
        var counts: [UInt32]
    }

    @Test func roundTripsRandomStructs() async {
        let texts = Gen.letterOrNumber.string(of: 0...10)
        await propertyCheck(
            count: 200,
            input: Gen.int(), texts, Gen.bool, texts.array(of: 0...4), Gen.double(in: -1e12...1e12),
            texts.optional, Gen.int8(), Gen.uint32().array(of: 0...3)
        ) { id, name, active, tags, ratio, note, small, counts in
            let sample = Sample(
                id: id, name: name, active: active, tags: tags, ratio: ratio, note: note, small: small,
                counts: counts
            )
            let record = try ValueEncoder().encodeRecord(sample)
            #expect(record.hasField("note") == (note != nil))
            #expect(record.fieldNames.first == "id")
            #expect(try ValueDecoder().decode(Sample.self, from: record) == sample)
        }
    }
}
