#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Reading one Value as a Swift type: the conversions every decoding container shares.

/// Converts values to Swift types at a coding path, throwing ``DictDBError/Code/conversionFailed`` errors
/// that name the path.
///
/// Paths are taken as autoclosures so that the common, successful case builds no path.
struct DecodingUnboxer {
    let options: DecodingOptions

    /// Decodes any type: Foundation types in their natural form, anything else through its `init(from:)`.
    func unbox<T: Decodable>(_ value: Value, as type: T.Type, at codingPath: [any CodingKey]) throws -> T {
        if T.self == Date.self { return try cast(date(value, at: codingPath), at: codingPath) }
        if T.self == Data.self { return try cast(data(value, at: codingPath), at: codingPath) }
        if T.self == URL.self { return try cast(url(value, at: codingPath), at: codingPath) }
        if T.self == UUID.self { return try cast(uuid(value, at: codingPath), at: codingPath) }
        return try T(from: ValueDecoderImpl(value: value, codingPath: codingPath, unboxer: self))
    }

    func bool(_ value: Value, at codingPath: @autoclosure () -> [any CodingKey]) throws(DictDBError) -> Bool {
        guard case .bool(let bool) = value else {
            throw CodingFailure.typeMismatch(expected: "Bool", found: value, at: codingPath())
        }
        return bool
    }

    func string(_ value: Value, at codingPath: @autoclosure () -> [any CodingKey]) throws(DictDBError) -> String {
        guard case .string(let string) = value else {
            throw CodingFailure.typeMismatch(expected: "String", found: value, at: codingPath())
        }
        return string
    }

    /// An integer from an ``Value/int(_:)``, or from a ``Value/double(_:)`` with an exact integer value.
    func integer<I: FixedWidthInteger>(
        _ value: Value,
        as type: I.Type,
        at codingPath: @autoclosure () -> [any CodingKey]
    ) throws(DictDBError) -> I {
        switch value {
        case .int(let int):
            guard let result = I(exactly: int) else {
                throw CodingFailure.outOfRange(value, type: "\(I.self)", at: codingPath())
            }
            return result
        case .double(let double) where double.isFinite && double.rounded(.towardZero) == double:
            guard let result = I(exactly: double) else {
                throw CodingFailure.outOfRange(value, type: "\(I.self)", at: codingPath())
            }
            return result
        default:
            throw CodingFailure.typeMismatch(expected: "\(I.self)", found: value, at: codingPath())
        }
    }

    /// A double from either kind of number.
    func double(_ value: Value, at codingPath: @autoclosure () -> [any CodingKey]) throws(DictDBError) -> Double {
        switch value {
        case .int(let int): return Double(int)
        case .double(let double): return double
        default: throw CodingFailure.typeMismatch(expected: "Double", found: value, at: codingPath())
        }
    }

    /// A float from either kind of number, rounded to the nearest float.
    ///
    /// - Throws: ``DictDBError/Code/conversionFailed`` for a number beyond the range of `Float`.
    func float(_ value: Value, at codingPath: @autoclosure () -> [any CodingKey]) throws(DictDBError) -> Float {
        switch value {
        case .int(let int):
            return Float(int)
        case .double(let double):
            let float = Float(double)
            guard float.isFinite || !double.isFinite else {
                throw CodingFailure.outOfRange(value, type: "Float", at: codingPath())
            }
            return float
        default:
            throw CodingFailure.typeMismatch(expected: "Float", found: value, at: codingPath())
        }
    }

    /// A date read as ``ValueDecoder/dateDecodingStrategy`` says.
    func date(_ value: Value, at codingPath: @autoclosure () -> [any CodingKey]) throws(DictDBError) -> Date {
        switch options.dateStrategy {
        case .secondsSince1970:
            guard let seconds = value.doubleValue else {
                throw CodingFailure.typeMismatch(
                    expected: "Date (seconds since 1970)", found: value, at: codingPath())
            }
            return Date(timeIntervalSince1970: seconds)
        case .millisecondsSince1970:
            guard let milliseconds = value.doubleValue else {
                throw CodingFailure.typeMismatch(
                    expected: "Date (milliseconds since 1970)", found: value, at: codingPath())
            }
            return Date(timeIntervalSince1970: milliseconds / 1000)
        case .iso8601:
            guard case .string(let text) = value, let seconds = ISO8601Text.parse(text) else {
                throw CodingFailure.typeMismatch(expected: "Date (ISO 8601 string)", found: value, at: codingPath())
            }
            return Date(timeIntervalSince1970: seconds)
        }
    }

    /// Bytes from a base64 string, or from an array of integers from 0 to 255.
    func data(_ value: Value, at codingPath: @autoclosure () -> [any CodingKey]) throws(DictDBError) -> Data {
        switch value {
        case .string(let text):
            guard let data = Data(base64Encoded: text) else {
                throw CodingFailure.typeMismatch(expected: "Data (base64 string)", found: value, at: codingPath())
            }
            return data
        case .array(let elements):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                bytes.append(try integer(element, as: UInt8.self, at: codingPath() + [CodingIndexKey(index)]))
            }
            return Data(bytes)
        default:
            throw CodingFailure.typeMismatch(expected: "Data (base64 string)", found: value, at: codingPath())
        }
    }

    func url(_ value: Value, at codingPath: @autoclosure () -> [any CodingKey]) throws(DictDBError) -> URL {
        guard case .string(let text) = value, let url = URL(string: text) else {
            throw CodingFailure.typeMismatch(expected: "URL", found: value, at: codingPath())
        }
        return url
    }

    func uuid(_ value: Value, at codingPath: @autoclosure () -> [any CodingKey]) throws(DictDBError) -> UUID {
        guard case .string(let text) = value, let uuid = UUID(uuidString: text) else {
            throw CodingFailure.typeMismatch(expected: "UUID", found: value, at: codingPath())
        }
        return uuid
    }

    /// Returns a value decoded for a type known to be `T`, without a force cast.
    private func cast<T>(_ value: Any, at codingPath: [any CodingKey]) throws(DictDBError) -> T {
        guard let result = value as? T else {
            throw CodingFailure.other("internal error: \(type(of: value)) is not \(T.self)", at: codingPath)
        }
        return result
    }
}
