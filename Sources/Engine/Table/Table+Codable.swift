import DictDBAPI

extension Table {
    /// Inserts a Codable value as a record and returns its primary key.
    ///
    /// ```swift
    /// struct User: Codable { var id: Int64?; var name: String; var age: Int }
    /// let id = try users.insert(User(id: nil, name: "Ada", age: 36))   // nil id: a key is generated
    /// ```
    ///
    /// The value is encoded with `encoder` before any lock is taken.
    /// - Throws: `DictDBError.Code.conversionFailed` when the value does not encode to an object, and
    ///   every error of ``insert(_:durability:)``.
    @discardableResult
    public func insert(_ value: some Encodable, encoder: ValueEncoder = ValueEncoder()) throws(DictDBError) -> Value {
        try insert(try encoder.encodeRecord(value))
    }

    /// Inserts Codable values as one all-or-nothing batch and returns their keys in order.
    /// - Throws: as ``insertBatch(_:durability:)``, plus `DictDBError.Code.conversionFailed`.
    @discardableResult
    public func insertBatch<T: Encodable>(
        encoding values: [T], encoder: ValueEncoder = ValueEncoder()
    )
        throws(DictDBError) -> [Value]
    {
        var records: [Record] = []
        records.reserveCapacity(values.count)
        for value in values { records.append(try encoder.encodeRecord(value)) }
        return try insertBatch(records)
    }

    /// The records a query selects, decoded as `type`.
    ///
    /// ```swift
    /// let adults = try users.select(as: User.self, Query(Field("age") >= 18).orderBy("name"))
    /// ```
    /// - Throws: `DictDBError.Code.conversionFailed` naming the field that does not fit, and the errors of
    ///   ``select(_:)``.
    public func select<T: Decodable>(
        as type: T.Type, _ query: Query = Query(), decoder: ValueDecoder = ValueDecoder()
    )
        throws(DictDBError) -> [T]
    {
        let records = try select(query)
        var values: [T] = []
        values.reserveCapacity(records.count)
        for record in records { values.append(try decoder.decode(type, from: record)) }
        return values
    }

    /// The record with primary key `key`, decoded as `type`, or `nil`.
    /// - Throws: `DictDBError.Code.conversionFailed` when the record does not fit `type`.
    public func get<T: Decodable>(
        _ key: Value, as type: T.Type, decoder: ValueDecoder = ValueDecoder()
    )
        throws(DictDBError) -> T?
    {
        guard let record = try get(key) else { return nil }
        return try decoder.decode(type, from: record)
    }
}
