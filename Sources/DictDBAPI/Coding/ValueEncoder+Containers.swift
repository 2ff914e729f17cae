// The Encoder that ValueEncoder hands to `encode(to:)`, and its three kinds of containers.
//
// Swift's container protocols throw untyped errors; everything thrown here is a DictDBError already, or
// comes from a type's own `encode(to:)` and is converted by ValueEncoder.encode at the public boundary.

/// Encodes one value into an ``EncodingNode``.
struct ValueEncoderImpl: Encoder {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    let options: EncodingOptions

    var userInfo: [CodingUserInfoKey: Any] { options.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.become(.keyed, at: codingPath)
        return KeyedEncodingContainer(KeyedValueEncodingContainer(node: node, codingPath: codingPath, options: options))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.become(.unkeyed, at: codingPath)
        return UnkeyedValueEncodingContainer(node: node, codingPath: codingPath, options: options)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueEncodingContainerImpl(node: node, codingPath: codingPath, options: options)
    }
}

/// Writes the fields of an object.
struct KeyedValueEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    let options: EncodingOptions

    mutating func encodeNil(forKey key: Key) throws { node.setField(key.stringValue, .value(.null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        set(try EncodingSlot.double(value, at: codingPath + [key]), key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        set(try EncodingSlot.float(value, at: codingPath + [key]), key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        set(try EncodingSlot.integer(value, at: codingPath + [key]), key)
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        set(try EncodingSlot.integer(value, at: codingPath + [key]), key)
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func encode(_ value: Int128, forKey key: Key) throws {
        set(try EncodingSlot.integer(value, at: codingPath + [key]), key)
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func encode(_ value: UInt128, forKey key: Key) throws {
        set(try EncodingSlot.integer(value, at: codingPath + [key]), key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.setField(key.stringValue, try EncodingSlot.box(value, at: codingPath + [key], options: options))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = EncodingNode()
        child.become(.keyed, at: codingPath + [key])
        node.setField(key.stringValue, .node(child))
        return KeyedEncodingContainer(
            KeyedValueEncodingContainer<NestedKey>(node: child, codingPath: codingPath + [key], options: options)
        )
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = EncodingNode()
        child.become(.unkeyed, at: codingPath + [key])
        node.setField(key.stringValue, .node(child))
        return UnkeyedValueEncodingContainer(node: child, codingPath: codingPath + [key], options: options)
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(named: CodingNameKey.superKey)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(named: key)
    }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        let child = EncodingNode()
        node.setField(key.stringValue, .node(child))
        return ValueEncoderImpl(node: child, codingPath: codingPath + [key], options: options)
    }

    private func set(_ value: Value, _ key: Key) {
        node.setField(key.stringValue, .value(value))
    }
}

/// Appends the elements of an array.
struct UnkeyedValueEncodingContainer: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    let options: EncodingOptions

    var count: Int { node.count }

    /// The coding path of the next element.
    private var nextPath: [any CodingKey] { codingPath + [CodingIndexKey(node.count)] }

    mutating func encodeNil() throws { node.append(.value(.null)) }
    mutating func encode(_ value: Bool) throws { node.append(.value(.bool(value))) }
    mutating func encode(_ value: String) throws { node.append(.value(.string(value))) }
    mutating func encode(_ value: Double) throws { node.append(.value(try EncodingSlot.double(value, at: nextPath))) }
    mutating func encode(_ value: Float) throws { node.append(.value(try EncodingSlot.float(value, at: nextPath))) }
    mutating func encode(_ value: Int) throws { node.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: Int8) throws { node.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: Int16) throws { node.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: Int32) throws { node.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: Int64) throws { node.append(.value(.int(value))) }
    mutating func encode(_ value: UInt8) throws { node.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: UInt16) throws { node.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: UInt32) throws { node.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: UInt) throws { node.append(.value(try EncodingSlot.integer(value, at: nextPath))) }
    mutating func encode(_ value: UInt64) throws {
        node.append(.value(try EncodingSlot.integer(value, at: nextPath)))
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func encode(_ value: Int128) throws {
        node.append(.value(try EncodingSlot.integer(value, at: nextPath)))
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func encode(_ value: UInt128) throws {
        node.append(.value(try EncodingSlot.integer(value, at: nextPath)))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.append(try EncodingSlot.box(value, at: nextPath, options: options))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        let child = EncodingNode()
        child.become(.keyed, at: path)
        node.append(.node(child))
        return KeyedEncodingContainer(
            KeyedValueEncodingContainer<NestedKey>(node: child, codingPath: path, options: options))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        let child = EncodingNode()
        child.become(.unkeyed, at: path)
        node.append(.node(child))
        return UnkeyedValueEncodingContainer(node: child, codingPath: path, options: options)
    }

    mutating func superEncoder() -> any Encoder {
        let path = nextPath
        let child = EncodingNode()
        node.append(.node(child))
        return ValueEncoderImpl(node: child, codingPath: path, options: options)
    }
}

/// Writes one value.
struct SingleValueEncodingContainerImpl: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    let options: EncodingOptions

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try EncodingSlot.double(value, at: codingPath)) }
    mutating func encode(_ value: Float) throws { set(try EncodingSlot.float(value, at: codingPath)) }
    mutating func encode(_ value: Int) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { set(.int(value)) }
    mutating func encode(_ value: UInt8) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt) throws { set(try EncodingSlot.integer(value, at: codingPath)) }
    mutating func encode(_ value: UInt64) throws { set(try EncodingSlot.integer(value, at: codingPath)) }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func encode(_ value: Int128) throws { set(try EncodingSlot.integer(value, at: codingPath)) }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func encode(_ value: UInt128) throws { set(try EncodingSlot.integer(value, at: codingPath)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.setSingle(try EncodingSlot.box(value, at: codingPath, options: options), at: codingPath)
    }

    private func set(_ value: Value) {
        node.setSingle(.value(value), at: codingPath)
    }
}
