#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Converts ``Value``s and ``Record``s to `Decodable` Swift values.
///
/// The mirror of ``ValueEncoder``. Numbers convert where no information is lost: an integer field accepts
/// ``Value/int(_:)`` and a ``Value/double(_:)`` with an exact integer value (`3.0`, not `3.5`) that fits
/// the type; a `Double` or `Float` field accepts either kind of number. A missing field and a `null` both
/// decode as `nil` for an optional property.
///
/// A `Date` is read as ``dateDecodingStrategy`` says, `Data` from a base64 string (or an array of bytes),
/// a `URL` and a `UUID` from their strings.
///
/// ```swift
/// struct Person: Codable {
///     var name: String
///     var age: Int
///     var email: String?
/// }
///
/// let ada = try ValueDecoder().decode(Person.self, from: ["name": "Ada", "age": 36.0] as Record)
/// print(ada.age, ada.email as Any)  // 36 nil
/// ```
///
/// Every failure is a ``DictDBError`` with code ``DictDBError/Code/conversionFailed`` whose message and
/// `context.field` name the place as a dotted path (`address.zip`, `items[2].quantity`), with
/// `context.expected` and `context.found` telling the expected and found types.
public struct ValueDecoder: Sendable {
    /// How a `Date` is read; the mirror of ``ValueEncoder/DateEncodingStrategy``.
    ///
    /// ```swift
    /// let decoder = ValueDecoder(dateDecodingStrategy: .iso8601)
    /// try decoder.decode(Date.self, from: "2024-05-01T12:30:00Z")
    /// ```
    public enum DateDecodingStrategy: Sendable, Hashable {
        /// A number of seconds since 1970-01-01T00:00:00Z. The default.
        case secondsSince1970
        /// A number of milliseconds since 1970-01-01T00:00:00Z.
        case millisecondsSince1970
        /// An ISO 8601 string such as `"2024-05-01T12:30:00.250Z"` or `"2024-05-01T14:30:00+02:00"`:
        /// any number of fraction digits (nanoseconds count), and `Z` or an offset from UTC.
        case iso8601
    }

    /// How a `Date` is read; ``DateDecodingStrategy/secondsSince1970`` by default.
    ///
    /// ```swift
    /// var decoder = ValueDecoder()
    /// decoder.dateDecodingStrategy = .millisecondsSince1970
    /// ```
    public var dateDecodingStrategy: DateDecodingStrategy

    /// Information handed to the decoded types through `Decoder.userInfo`.
    ///
    /// ```swift
    /// var decoder = ValueDecoder()
    /// if let versionKey = CodingUserInfoKey(rawValue: "version") {
    ///     decoder.userInfo[versionKey] = 2
    /// }
    /// ```
    public var userInfo: [CodingUserInfoKey: any Sendable]

    /// Creates a decoder.
    ///
    /// ```swift
    /// let decoder = ValueDecoder(dateDecodingStrategy: .iso8601)
    /// ```
    public init(
        dateDecodingStrategy: DateDecodingStrategy = .secondsSince1970,
        userInfo: [CodingUserInfoKey: any Sendable] = [:]
    ) {
        self.dateDecodingStrategy = dateDecodingStrategy
        self.userInfo = userInfo
    }

    /// Decodes a value of any `Decodable` type.
    ///
    /// ```swift
    /// let numbers = try ValueDecoder().decode([Int].self, from: [1, 2.0, 3])  // [1, 2, 3]
    /// let scores = try ValueDecoder().decode([String: Double].self, from: ["ada": 9, "alan": 8.5] as Value)
    /// ```
    ///
    /// - Throws: ``DictDBError/Code/conversionFailed`` naming the coding path when a field is missing, a
    ///   value has the wrong type, a number does not fit the type, or the type's `init(from:)` throws.
    public func decode<T: Decodable>(_ type: T.Type, from value: Value) throws(DictDBError) -> T {
        do {
            let options = DecodingOptions(dateStrategy: dateDecodingStrategy, userInfo: userInfo)
            return try DecodingUnboxer(options: options).unbox(value, as: T.self, at: [])
        } catch {
            throw CodingFailure.wrap(error, converting: "\(T.self)", encoding: false)
        }
    }

    /// Decodes a value from a record, such as one read from a table.
    ///
    /// ```swift
    /// let record: Record = ["name": "Ada", "age": 36]
    /// let ada = try ValueDecoder().decode(Person.self, from: record)
    /// ```
    ///
    /// - Throws: ``DictDBError/Code/conversionFailed``, as decoding from a ``Value`` does.
    public func decode<T: Decodable>(_ type: T.Type, from record: Record) throws(DictDBError) -> T {
        try decode(type, from: .object(record))
    }
}

/// The settings every part of one decoding shares.
struct DecodingOptions {
    var dateStrategy: ValueDecoder.DateDecodingStrategy
    var userInfo: [CodingUserInfoKey: any Sendable]
}
