#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// What the encoder builds while a type encodes itself: a tree of nodes that containers fill in any order
// (a nested container is handed out before its contents are written), resolved to a Value at the end.

/// One encoded value: finished, or a container that may still be filled.
enum EncodingSlot {
    case value(Value)
    case node(EncodingNode)

    /// The finished value.
    ///
    /// - Throws: the first misuse of containers recorded in the tree (see ``EncodingNode/misuse``).
    func resolve() throws(DictDBError) -> Value {
        switch self {
        case .value(let value): return value
        case .node(let node): return try node.resolve()
        }
    }

    /// Encodes a value at a coding path: Foundation types in their natural form, anything else by calling
    /// its `encode(to:)` with a fresh encoder.
    static func box<T: Encodable>(
        _ value: T,
        at codingPath: [any CodingKey],
        options: EncodingOptions
    ) throws -> EncodingSlot {
        if let date = value as? Date { return .value(try encodeDate(date, at: codingPath, options: options)) }
        if let data = value as? Data { return .value(.string(data.base64EncodedString())) }
        if let url = value as? URL { return .value(.string(url.absoluteString)) }
        if let uuid = value as? UUID { return .value(.string(uuid.uuidString)) }
        let node = EncodingNode()
        try value.encode(to: ValueEncoderImpl(node: node, codingPath: codingPath, options: options))
        return .node(node)
    }

    /// A date written as the options say.
    static func encodeDate(
        _ date: Date,
        at codingPath: [any CodingKey],
        options: EncodingOptions
    ) throws(DictDBError) -> Value {
        let seconds = date.timeIntervalSince1970
        switch options.dateStrategy {
        case .secondsSince1970:
            return try double(seconds, at: codingPath)
        case .millisecondsSince1970:
            return try double(seconds * 1000, at: codingPath)
        case .iso8601:
            guard let text = ISO8601Text.format(secondsSince1970: seconds) else {
                throw CodingFailure.other(
                    "date \(seconds) seconds since 1970 is outside the years 0000 through 9999 that ISO 8601 "
                        + "text can hold",
                    at: codingPath
                )
            }
            return .string(text)
        }
    }

    /// An integer as an ``Value/int(_:)``.
    ///
    /// - Throws: ``DictDBError/Code/conversionFailed`` when it does not fit in `Int64`.
    static func integer<I: BinaryInteger>(
        _ value: I,
        at codingPath: @autoclosure () -> [any CodingKey]
    ) throws(DictDBError) -> Value {
        guard let int = Int64(exactly: value) else {
            throw CodingFailure.integerTooLarge("\(value)", type: "\(I.self)", at: codingPath())
        }
        return .int(int)
    }

    /// A double as a ``Value/double(_:)``.
    ///
    /// - Throws: ``DictDBError/Code/invalidValue`` for a NaN or an infinity.
    static func double(
        _ value: Double,
        at codingPath: @autoclosure () -> [any CodingKey]
    ) throws(DictDBError) -> Value {
        guard value.isFinite else { throw CodingFailure.nonFinite("\(value)", at: codingPath()) }
        return .double(value)
    }

    /// A float as the double its shortest text denotes, so that `Float(0.1)` is stored as `0.1`.
    ///
    /// - Throws: ``DictDBError/Code/invalidValue`` for a NaN or an infinity.
    static func float(
        _ value: Float,
        at codingPath: @autoclosure () -> [any CodingKey]
    ) throws(DictDBError) -> Value {
        guard value.isFinite else { throw CodingFailure.nonFinite("\(value)", at: codingPath()) }
        return .double(Double("\(value)") ?? Double(value))
    }
}

/// A container being filled: nothing yet, one value, named fields or elements.
///
/// Containers share a node by reference, so a nested container written after its parent was created
/// still lands in the parent.
final class EncodingNode {
    enum Shape {
        case empty
        case single
        case keyed
        case unkeyed
    }

    private(set) var shape = Shape.empty
    /// The value of a single-value container.
    private var single: EncodingSlot?
    /// Field names of a keyed container, in the order first written.
    private var names: [String] = []
    /// Field positions by name, built once a keyed container grows past a few fields.
    private var positions: [String: Int] = [:]
    /// Field values of a keyed container, or elements of an unkeyed one.
    private var slots: [EncodingSlot] = []
    /// The first misuse, such as asking for a keyed container after writing a single value; thrown by
    /// ``resolve()`` because `Encoder` cannot throw when a container is requested.
    private var misuse: DictDBError?

    /// Whether nothing was written, not even an empty container.
    var isEmpty: Bool { shape == .empty }

    /// The number of elements of an unkeyed container.
    var count: Int { slots.count }

    /// Makes this node a container of `shape`, recording a misuse if it already holds another kind.
    func become(_ shape: Shape, at codingPath: [any CodingKey]) {
        if self.shape == shape { return }
        if self.shape != .empty && misuse == nil {
            misuse = CodingFailure.other(
                "the type asked for a \(shape) container after writing a \(self.shape) one",
                at: codingPath
            )
        }
        self.shape = shape
        single = nil
        names = []
        positions = [:]
        slots = []
    }

    /// Sets the value of a single-value container.
    func setSingle(_ slot: EncodingSlot, at codingPath: [any CodingKey]) {
        become(.single, at: codingPath)
        single = slot
    }

    /// Sets a field of a keyed container; a field written twice keeps its first place and its last value.
    func setField(_ name: String, _ slot: EncodingSlot) {
        if let index = position(of: name) {
            slots[index] = slot
            return
        }
        names.append(name)
        slots.append(slot)
        if !positions.isEmpty {
            positions[name] = names.count - 1
        } else if names.count == 16 {
            for (index, name) in names.enumerated() { positions[name] = index }
        }
    }

    /// Appends an element to an unkeyed container.
    func append(_ slot: EncodingSlot) {
        slots.append(slot)
    }

    /// The finished value; an empty node, such as a type that encodes nothing, becomes an empty object.
    func resolve() throws(DictDBError) -> Value {
        if let misuse { throw misuse }
        switch shape {
        case .empty:
            return .object(Record())
        case .single:
            return try single?.resolve() ?? .null
        case .keyed:
            var values: [Value] = []
            values.reserveCapacity(slots.count)
            for slot in slots { values.append(try slot.resolve()) }
            return .object(Record(sharedFieldNames: names, values: values))
        case .unkeyed:
            var values: [Value] = []
            values.reserveCapacity(slots.count)
            for slot in slots { values.append(try slot.resolve()) }
            return .array(values)
        }
    }

    private func position(of name: String) -> Int? {
        positions.isEmpty ? names.firstIndex(of: name) : positions[name]
    }
}
