import DictDBAPI

/// How a ``SortedIndex`` holds its entries: as ``NumberEntry`` values while every key is an integer, or
/// every key a double, and as ``SortedIndexEntry`` values otherwise.
///
/// Keys of one numeric spelling map to unsigned integers in the same order (``bits(of:)``), so their entries
/// are 16 bytes that compare as two integers, where a `Value` entry takes 32 and compares through an enum.
/// `-0.0` stays out of the doubles layout: it equals `0.0` but would come back as `0.0`.
enum SortedIndexLayout: Sendable, Equatable {
    /// Every key is an `.int`.
    case integers
    /// Every key is a `.double`, none of them `-0.0` (keys are never NaN).
    case doubles
    /// Any keys, in ``SortedIndexEntry`` values.
    case values

    /// The layout for an empty index whose first key is `key`.
    init(firstKey key: Value) {
        switch key {
        case .int: self = .integers
        case .double(let d) where Self.fitsDoubles(d): self = .doubles
        default: self = .values
        }
    }

    /// Whether the doubles layout can hold `d`.
    @inline(__always)
    private static func fitsDoubles(_ d: Double) -> Bool {
        !d.isNaN && !(d == 0 && d.sign == .minus)
    }

    private static var signBit: UInt64 { 1 << 63 }

    /// `key` as an unsigned integer in the order of the layout's keys, or `nil` when the layout cannot hold
    /// it (always for ``values``).
    @inline(__always)
    func bits(of key: Value) -> UInt64? {
        switch (self, key) {
        case (.integers, .int(let i)):
            return UInt64(bitPattern: i) ^ Self.signBit
        case (.doubles, .double(let d)) where Self.fitsDoubles(d):
            // Positive doubles order as their bit patterns; negative ones in reverse, below them.
            let pattern = d.bitPattern
            return pattern & Self.signBit == 0 ? pattern ^ Self.signBit : ~pattern
        default:
            return nil
        }
    }

    /// The key that ``bits(of:)`` mapped to `bits`.
    /// - Precondition: the layout is ``integers`` or ``doubles``.
    @inline(__always)
    func key(fromBits bits: UInt64) -> Value {
        switch self {
        case .integers: return .int(Int64(bitPattern: bits ^ Self.signBit))
        case .doubles: return .double(Double(bitPattern: bits & Self.signBit != 0 ? bits ^ Self.signBit : ~bits))
        case .values: preconditionFailure("a values layout holds no number entries")
        }
    }

    /// `entry` as the ``SortedIndexEntry`` it stands for.
    @inline(__always)
    func entry(_ entry: NumberEntry) -> SortedIndexEntry {
        SortedIndexEntry(key: key(fromBits: entry.bits), row: entry.row)
    }
}

/// One entry of a ``SortedIndex`` in a numeric ``SortedIndexLayout``: the key's ordered bits and the row,
/// ordered by key, then row, as the ``SortedIndexEntry`` it stands for.
struct NumberEntry: Comparable, Sendable, BPlusTreeElement {
    /// The key, as ``SortedIndexLayout/bits(of:)`` maps it.
    var bits: UInt64
    /// The row holding it.
    var row: RowID

    @inline(__always)
    static func < (lhs: NumberEntry, rhs: NumberEntry) -> Bool {
        lhs.bits != rhs.bits ? lhs.bits < rhs.bits : lhs.row < rhs.row
    }
}
