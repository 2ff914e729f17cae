#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Converts `Encodable` Swift values to ``Value``s and ``Record``s.
///
/// A struct or class becomes an object whose fields keep the order in which the type encodes them (the
/// declaration order, for synthesized conformances). Arrays become arrays and `[String: X]` dictionaries
/// become objects. Every integer type becomes ``Value/int(_:)``, `Float` and `Double` become
/// ``Value/double(_:)`` (even when whole: `30103.0` stays a double), and `nil` optionals are left out of
/// their object, as Swift's `encodeIfPresent` does.
///
/// Some Foundation types get a natural form: a `Date` follows ``dateEncodingStrategy`` (seconds since
/// 1970 by default), `Data` becomes a base64 string, a `URL` its absolute string and a `UUID` its
/// `uuidString`.
///
/// ```swift
/// struct Person: Codable {
///     var name: String
///     var age: Int
///     var email: String?
/// }
///
/// let record = try ValueEncoder().encodeRecord(Person(name: "Ada", age: 36, email: nil))
/// print(record)  // {"name":"Ada","age":36}
/// ```
///
/// ``ValueDecoder`` converts back.
public struct ValueEncoder: Sendable {
    /// How a `Date` is written.
    ///
    /// ```swift
    /// let encoder = ValueEncoder(dateEncodingStrategy: .iso8601)
    /// try encoder.encode(Date(timeIntervalSince1970: 0))  // "1970-01-01T00:00:00Z"
    /// ```
    public enum DateEncodingStrategy: Sendable, Hashable {
        /// A double of seconds since 1970-01-01T00:00:00Z: `1714566600.25`. The default.
        case secondsSince1970
        /// A double of milliseconds since 1970-01-01T00:00:00Z: `1714566600250.0`.
        case millisecondsSince1970
        /// An ISO 8601 string in UTC with millisecond precision: `"2024-05-01T12:30:00.250Z"`.
        ///
        /// Milliseconds are written only when the date has them, and only dates in the years 0000 through
        /// 9999 can be written; others throw ``DictDBError/Code/conversionFailed``.
        case iso8601
    }

    /// How a `Date` is written; ``DateEncodingStrategy/secondsSince1970`` by default.
    ///
    /// ```swift
    /// var encoder = ValueEncoder()
    /// encoder.dateEncodingStrategy = .millisecondsSince1970
    /// ```
    public var dateEncodingStrategy: DateEncodingStrategy

    /// Information handed to the encoded types through `Encoder.userInfo`.
    ///
    /// ```swift
    /// var encoder = ValueEncoder()
    /// if let versionKey = CodingUserInfoKey(rawValue: "version") {
    ///     encoder.userInfo[versionKey] = 2
    /// }
    /// ```
    public var userInfo: [CodingUserInfoKey: any Sendable]

    /// Creates an encoder.
    ///
    /// ```swift
    /// let encoder = ValueEncoder(dateEncodingStrategy: .iso8601)
    /// ```
    public init(
        dateEncodingStrategy: DateEncodingStrategy = .secondsSince1970,
        userInfo: [CodingUserInfoKey: any Sendable] = [:]
    ) {
        self.dateEncodingStrategy = dateEncodingStrategy
        self.userInfo = userInfo
    }

    /// Encodes a value of any `Encodable` type.
    ///
    /// ```swift
    /// try ValueEncoder().encode([1, 2, 3])          // [1,2,3]
    /// try ValueEncoder().encode(["a": 1.5])         // {"a":1.5}
    /// try ValueEncoder().encode(Person(name: "Ada", age: 36, email: nil))
    /// ```
    ///
    /// - Throws: ``DictDBError/Code/conversionFailed`` when an integer does not fit in `Int64`, a date cannot
    ///   be written, the type encodes nothing at all, or its `encode(to:)` throws (the message names the
    ///   coding path, such as `address.zip`); ``DictDBError/Code/invalidValue`` for a NaN or infinity.
    public func encode<T: Encodable>(_ value: T) throws(DictDBError) -> Value {
        do {
            let options = EncodingOptions(dateStrategy: dateEncodingStrategy, userInfo: userInfo)
            let slot = try EncodingSlot.box(value, at: [], options: options)
            if case .node(let node) = slot, node.isEmpty {
                throw DictDBError(.conversionFailed, "cannot encode \(T.self): it encoded no value at all")
            }
            return try slot.resolve()
        } catch {
            throw CodingFailure.wrap(error, converting: "\(T.self)", encoding: true)
        }
    }

    /// Encodes a value that encodes as an object, such as a struct, a class or a `[String: X]` dictionary.
    ///
    /// ```swift
    /// let record = try ValueEncoder().encodeRecord(Person(name: "Ada", age: 36, email: "ada@example.com"))
    /// record.fieldNames  // ["name", "age", "email"]
    /// ```
    ///
    /// - Throws: ``DictDBError/Code/conversionFailed`` when the value does not encode as an object (an
    ///   array, a string...), and whatever ``encode(_:)`` throws.
    public func encodeRecord<T: Encodable>(_ value: T) throws(DictDBError) -> Record {
        let encoded = try encode(value)
        guard case .object(let record) = encoded else {
            throw DictDBError(
                .conversionFailed,
                "cannot encode \(T.self) as a record: it encodes as \(encoded.typeName), not as an object "
                    + "(use a type that encodes through a keyed container, such as a struct)",
                context: .init(expected: "object", found: encoded.typeName)
            )
        }
        return record
    }
}

/// The settings every part of one encoding shares.
struct EncodingOptions {
    var dateStrategy: ValueEncoder.DateEncodingStrategy
    var userInfo: [CodingUserInfoKey: any Sendable]
}
