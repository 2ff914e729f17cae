// The Decoder that ValueDecoder hands to `init(from:)`, and its three kinds of containers.
//
// Swift's container protocols throw untyped errors; everything thrown here is a DictDBError already, or
// comes from a type's own `init(from:)` and is converted by ValueDecoder.decode at the public boundary.

/// Decodes one ``Value``.
struct ValueDecoderImpl: Decoder {
    let value: Value
    let codingPath: [any CodingKey]
    let unboxer: DecodingUnboxer

    var userInfo: [CodingUserInfoKey: Any] { unboxer.options.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let record) = value else {
            throw CodingFailure.typeMismatch(expected: "object", found: value, at: codingPath)
        }
        return KeyedDecodingContainer(
            KeyedValueDecodingContainer(record: record, codingPath: codingPath, unboxer: unboxer)
        )
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw CodingFailure.typeMismatch(expected: "array", found: value, at: codingPath)
        }
        return UnkeyedValueDecodingContainer(elements: elements, codingPath: codingPath, unboxer: unboxer)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueDecodingContainerImpl(value: value, codingPath: codingPath, unboxer: unboxer)
    }
}

/// Reads the fields of an object. A missing field reads as `nil` through `decodeNil(forKey:)`.
struct KeyedValueDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let record: Record
    let codingPath: [any CodingKey]
    let unboxer: DecodingUnboxer
    /// Field positions by name for large records (dictionaries), where a linear search per key would be slow.
    private let positions: [String: Int]?

    init(record: Record, codingPath: [any CodingKey], unboxer: DecodingUnboxer) {
        self.record = record
        self.codingPath = codingPath
        self.unboxer = unboxer
        if record.count > 16 {
            var positions: [String: Int] = [:]
            positions.reserveCapacity(record.count)
            for (index, name) in record.fieldNames.enumerated() { positions[name] = index }
            self.positions = positions
        } else {
            self.positions = nil
        }
    }

    var allKeys: [Key] { record.fieldNames.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { field(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { field(key)?.isNull ?? true }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try unboxer.bool(try require(key, "Bool"), at: codingPath + [key])
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try unboxer.string(try require(key, "String"), at: codingPath + [key])
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try unboxer.double(try require(key, "Double"), at: codingPath + [key])
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try unboxer.float(try require(key, "Float"), at: codingPath + [key])
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(key) }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 { try integer(key) }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 { try integer(key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try unboxer.unbox(try require(key, "\(T.self)"), as: T.self, at: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(for: try require(key, "object"), at: key).container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(for: try require(key, "array"), at: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = CodingNameKey.superKey
        return decoder(for: record[field: key.stringValue] ?? .null, at: key)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        decoder(for: field(key) ?? .null, at: key)
    }

    private func field(_ key: Key) -> Value? {
        if let positions {
            return positions[key.stringValue].map { record.values[$0] }
        }
        return record[field: key.stringValue]
    }

    /// The field's value, or a `.conversionFailed` error naming the field when the record lacks it.
    private func require(_ key: Key, _ expected: @autoclosure () -> String) throws(DictDBError) -> Value {
        guard let value = field(key) else {
            throw CodingFailure.missingField(expected: expected(), at: codingPath + [key])
        }
        return value
    }

    private func integer<I: FixedWidthInteger>(_ key: Key) throws(DictDBError) -> I {
        try unboxer.integer(try require(key, "\(I.self)"), as: I.self, at: codingPath + [key])
    }

    private func decoder(for value: Value, at key: any CodingKey) -> ValueDecoderImpl {
        ValueDecoderImpl(value: value, codingPath: codingPath + [key], unboxer: unboxer)
    }
}

/// Reads the elements of an array in order; a failed read leaves the position unchanged.
struct UnkeyedValueDecodingContainer: UnkeyedDecodingContainer {
    let elements: [Value]
    let codingPath: [any CodingKey]
    let unboxer: DecodingUnboxer
    private(set) var currentIndex = 0

    init(elements: [Value], codingPath: [any CodingKey], unboxer: DecodingUnboxer) {
        self.elements = elements
        self.codingPath = codingPath
        self.unboxer = unboxer
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// The coding path of the current element.
    private var currentPath: [any CodingKey] { codingPath + [CodingIndexKey(currentIndex)] }

    mutating func decodeNil() throws -> Bool {
        guard try peek("null").isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let result = try unboxer.bool(try peek("Bool"), at: currentPath)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: String.Type) throws -> String {
        let result = try unboxer.string(try peek("String"), at: currentPath)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
        let result = try unboxer.double(try peek("Double"), at: currentPath)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
        let result = try unboxer.float(try peek("Float"), at: currentPath)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer() }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer() }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func decode(_ type: Int128.Type) throws -> Int128 { try integer() }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func decode(_ type: UInt128.Type) throws -> UInt128 { try integer() }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let result = try unboxer.unbox(try peek("\(T.self)"), as: T.self, at: currentPath)
        currentIndex += 1
        return result
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let result = try currentDecoder("object").container(keyedBy: NestedKey.self)
        currentIndex += 1
        return result
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let result = try currentDecoder("array").unkeyedContainer()
        currentIndex += 1
        return result
    }

    mutating func superDecoder() throws -> any Decoder {
        let result = try currentDecoder("a value")
        currentIndex += 1
        return result
    }

    /// The current element, or a `.conversionFailed` error when the array has no more elements.
    private func peek(_ expected: @autoclosure () -> String) throws(DictDBError) -> Value {
        guard currentIndex < elements.count else {
            throw CodingFailure.endOfArray(expected: expected(), count: elements.count, at: currentPath)
        }
        return elements[currentIndex]
    }

    private mutating func integer<I: FixedWidthInteger>() throws(DictDBError) -> I {
        let result = try unboxer.integer(try peek("\(I.self)"), as: I.self, at: currentPath)
        currentIndex += 1
        return result
    }

    private func currentDecoder(_ expected: String) throws(DictDBError) -> ValueDecoderImpl {
        ValueDecoderImpl(value: try peek(expected), codingPath: currentPath, unboxer: unboxer)
    }
}

/// Reads one value.
struct SingleValueDecodingContainerImpl: SingleValueDecodingContainer {
    let value: Value
    let codingPath: [any CodingKey]
    let unboxer: DecodingUnboxer

    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try unboxer.bool(value, at: codingPath) }
    func decode(_ type: String.Type) throws -> String { try unboxer.string(value, at: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try unboxer.double(value, at: codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try unboxer.float(value, at: codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try integer() }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
    func decode(_ type: UInt.Type) throws -> UInt { try integer() }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decode(_ type: Int128.Type) throws -> Int128 { try integer() }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decode(_ type: UInt128.Type) throws -> UInt128 { try integer() }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try unboxer.unbox(value, as: T.self, at: codingPath)
    }

    private func integer<I: FixedWidthInteger>() throws(DictDBError) -> I {
        try unboxer.integer(value, as: I.self, at: codingPath)
    }
}
