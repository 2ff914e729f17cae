/// The length-carrying headers (str, bin, array, map) of a well-formed MessagePack file: the places where
/// the `lengthField` mutation makes a declared size lie.
struct MessagePackHeader {
    /// What the length counts.
    enum Kind: String {
        /// A string's bytes.
        case str
        /// A binary blob's bytes.
        case bin
        /// An array's elements.
        case array
        /// A map's entries.
        case map
    }

    /// The offset of the type byte.
    var offset: Int
    /// The header's size in bytes, type byte included (1 for fix forms, else 2, 3 or 5).
    var size: Int
    /// What it declares the length of.
    var kind: Kind
    /// The declared length.
    var length: Int

    /// Walks `bytes` from the start and lists every length header; stops quietly at the first byte that
    /// is not well-formed MessagePack (the corpus files are well-formed, so that means the end).
    static func scan(_ bytes: [UInt8]) -> [MessagePackHeader] {
        var headers: [MessagePackHeader] = []
        var position = 0
        var pending = 1
        var stack: [Int] = []
        while position < bytes.count {
            while pending == 0, let outer = stack.popLast() { pending = outer }
            if pending == 0 { break }
            pending -= 1
            guard let item = item(at: position, in: bytes) else { break }
            if let header = item.header { headers.append(header) }
            position += item.skip
            if item.children > 0 {
                stack.append(pending)
                pending = item.children
            }
        }
        return headers
    }

    /// One encoded item: its header (if it has a length), the bytes to skip to its first child or its
    /// successor, and how many child items follow.
    private struct Item {
        var header: MessagePackHeader?
        var skip: Int
        var children: Int
    }

    private static func item(at offset: Int, in bytes: [UInt8]) -> Item? {
        let type = bytes[offset]
        func length(_ width: Int) -> Int? {
            guard offset + width < bytes.count else { return nil }
            var value = 0
            for i in 1...width { value = value << 8 | Int(bytes[offset + i]) }
            return value
        }
        func sized(_ kind: Kind, width: Int, bodyBytes: Bool) -> Item? {
            guard let count = length(width) else { return nil }
            let header = MessagePackHeader(offset: offset, size: 1 + width, kind: kind, length: count)
            return bodyBytes
                ? Item(header: header, skip: 1 + width + count, children: 0)
                : Item(header: header, skip: 1 + width, children: kind == .map ? 2 * count : count)
        }
        switch type {
        case 0x00...0x7F, 0xC0, 0xC2, 0xC3, 0xE0...0xFF: return Item(skip: 1, children: 0)
        case 0x80...0x8F:
            let count = Int(type & 0x0F)
            return Item(header: .init(offset: offset, size: 1, kind: .map, length: count), skip: 1, children: 2 * count)
        case 0x90...0x9F:
            let count = Int(type & 0x0F)
            return Item(header: .init(offset: offset, size: 1, kind: .array, length: count), skip: 1, children: count)
        case 0xA0...0xBF:
            let count = Int(type & 0x1F)
            return Item(header: .init(offset: offset, size: 1, kind: .str, length: count), skip: 1 + count, children: 0)
        case 0xC4: return sized(.bin, width: 1, bodyBytes: true)
        case 0xC5: return sized(.bin, width: 2, bodyBytes: true)
        case 0xC6: return sized(.bin, width: 4, bodyBytes: true)
        case 0xCA: return Item(skip: 5, children: 0)
        case 0xCB: return Item(skip: 9, children: 0)
        case 0xCC, 0xD0: return Item(skip: 2, children: 0)
        case 0xCD, 0xD1: return Item(skip: 3, children: 0)
        case 0xCE, 0xD2: return Item(skip: 5, children: 0)
        case 0xCF, 0xD3: return Item(skip: 9, children: 0)
        case 0xD9: return sized(.str, width: 1, bodyBytes: true)
        case 0xDA: return sized(.str, width: 2, bodyBytes: true)
        case 0xDB: return sized(.str, width: 4, bodyBytes: true)
        case 0xDC: return sized(.array, width: 2, bodyBytes: false)
        case 0xDD: return sized(.array, width: 4, bodyBytes: false)
        case 0xDE: return sized(.map, width: 2, bodyBytes: false)
        case 0xDF: return sized(.map, width: 4, bodyBytes: false)
        default: return nil  // ext types never appear in DictDB snapshots
        }
    }
}

extension MessagePackHeader {
    /// The bytes of a header of this kind declaring `newLength`, in the smallest form with at least
    /// `minimumWidth` length bytes (0 = a fix form where the length fits).
    static func encode(_ kind: Kind, length newLength: UInt64, minimumWidth: Int) -> [UInt8] {
        let fixLimit: UInt64 = kind == .str ? 31 : 15
        if minimumWidth == 0 && newLength <= fixLimit && kind != .bin {
            let base: UInt8 = kind == .str ? 0xA0 : kind == .array ? 0x90 : 0x80
            return [base | UInt8(newLength)]
        }
        let types: [Kind: [Int: UInt8]] = [
            .str: [1: 0xD9, 2: 0xDA, 4: 0xDB], .bin: [1: 0xC4, 2: 0xC5, 4: 0xC6],
            .array: [2: 0xDC, 4: 0xDD], .map: [2: 0xDE, 4: 0xDF],
        ]
        let widths = [1, 2, 4].filter { width in
            width >= minimumWidth && (width == 4 || newLength < UInt64(1) << (8 * width))
                && types[kind]?[width] != nil
        }
        let width = widths.first ?? 4
        let type = types[kind]?[width] ?? 0xDB
        return [type] + (0..<width).reversed().map { UInt8(truncatingIfNeeded: newLength >> (8 * $0)) }
    }
}
