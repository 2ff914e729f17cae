/// A key the line editor acts on, decoded from the bytes a terminal sends.
enum EditKey: Equatable {
    /// A character to insert (one Unicode scalar; combining marks join the character before).
    case insert(Unicode.Scalar)
    /// Enter (CR or LF): submit the line.
    case enter
    /// Backspace (DEL or Ctrl-H): delete the character before the cursor.
    case backspace
    /// Delete (`ESC [3~`): delete the character under the cursor.
    case delete
    /// Left arrow or Ctrl-B.
    case left
    /// Right arrow or Ctrl-F.
    case right
    /// Home or Ctrl-A.
    case home
    /// End or Ctrl-E.
    case end
    /// Ctrl-Left or Alt-B: to the start of the word.
    case wordLeft
    /// Ctrl-Right or Alt-F: past the end of the word.
    case wordRight
    /// Up arrow or Ctrl-P: the previous history entry.
    case up
    /// Down arrow or Ctrl-N: the next history entry.
    case down
    /// Ctrl-K: delete from the cursor to the end.
    case killToEnd
    /// Ctrl-U: delete from the start to the cursor.
    case killToStart
    /// Ctrl-W or Alt-Backspace: delete the whitespace-separated word before the cursor.
    case deleteWordBackward
    /// Ctrl-L: clear the screen.
    case clearScreen
    /// Ctrl-C: drop the line.
    case interrupt
    /// Ctrl-D: end of input on an empty line, else delete the character under the cursor.
    case endOfFile
}

/// Turns the bytes a terminal in raw mode sends into ``EditKey``s: UTF-8 sequences into scalars, control
/// bytes and escape sequences into editing keys.
///
/// It is a state machine fed one byte at a time, so a key split across reads decodes the same. Unknown
/// control bytes and escape sequences are consumed whole and ignored: a CSI sequence (`ESC [`) ends at its
/// first byte in `0x40...0x7E`, an SS3 sequence (`ESC O`) after one byte. A control byte inside a
/// sequence abandons it and counts as a key of its own. Malformed UTF-8 is dropped. A LF right after a CR
/// is dropped too, so a pasted CRLF is one line break.
///
/// ```swift
/// var decoder = KeyDecoder()
/// decoder.feed(0x1B)  // nil
/// decoder.feed(0x5B)  // nil
/// decoder.feed(0x44)  // .left
/// ```
struct KeyDecoder {
    private enum State {
        case ground
        case utf8(bytes: [UInt8], needed: Int)
        case escape
        case csi(parameters: [UInt8])
        case ss3
    }

    /// The longest CSI parameter text kept; longer sequences are still consumed, then ignored.
    private static let maximumParameters = 16

    private var state = State.ground
    private var afterCarriageReturn = false

    /// Consumes one byte; returns the key it completes, or `nil` when the key is unfinished or ignored.
    mutating func feed(_ byte: UInt8) -> EditKey? {
        let skipsLineFeed = afterCarriageReturn
        afterCarriageReturn = false
        switch state {
        case .ground:
            if byte == 0x0A && skipsLineFeed { return nil }
            return ground(byte)
        case .utf8(var bytes, let needed):
            guard (0x80...0xBF).contains(byte) else {
                state = .ground
                return ground(byte)
            }
            bytes.append(byte)
            guard bytes.count == needed else {
                state = .utf8(bytes: bytes, needed: needed)
                return nil
            }
            state = .ground
            return Self.decode(bytes)
        case .escape:
            return escape(byte)
        case .csi(var parameters):
            switch byte {
            case 0x20...0x3F:
                if parameters.count < Self.maximumParameters { parameters.append(byte) }
                state = .csi(parameters: parameters)
                return nil
            case 0x40...0x7E:
                state = .ground
                return Self.csi(parameters: parameters, final: byte)
            default:
                state = .ground
                return ground(byte)
            }
        case .ss3:
            state = .ground
            switch byte {
            case UInt8(ascii: "A"): return .up
            case UInt8(ascii: "B"): return .down
            case UInt8(ascii: "C"): return .right
            case UInt8(ascii: "D"): return .left
            case UInt8(ascii: "H"): return .home
            case UInt8(ascii: "F"): return .end
            case 0x40...0x7E: return nil
            default: return ground(byte)
            }
        }
    }

    /// A byte outside any sequence.
    private mutating func ground(_ byte: UInt8) -> EditKey? {
        switch byte {
        case 0x01: return .home
        case 0x02: return .left
        case 0x03: return .interrupt
        case 0x04: return .endOfFile
        case 0x05: return .end
        case 0x06: return .right
        case 0x08, 0x7F: return .backspace
        case 0x09: return .insert(" ")
        case 0x0A: return .enter
        case 0x0B: return .killToEnd
        case 0x0C: return .clearScreen
        case 0x0D:
            afterCarriageReturn = true
            return .enter
        case 0x0E: return .down
        case 0x10: return .up
        case 0x15: return .killToStart
        case 0x17: return .deleteWordBackward
        case 0x1B:
            state = .escape
            return nil
        case 0x20...0x7E: return .insert(Unicode.Scalar(byte))
        case 0xC2...0xDF:
            state = .utf8(bytes: [byte], needed: 2)
            return nil
        case 0xE0...0xEF:
            state = .utf8(bytes: [byte], needed: 3)
            return nil
        case 0xF0...0xF4:
            state = .utf8(bytes: [byte], needed: 4)
            return nil
        default:
            return nil
        }
    }

    /// The byte after an ESC: a sequence introducer or an Alt-modified key.
    private mutating func escape(_ byte: UInt8) -> EditKey? {
        state = .ground
        switch byte {
        case UInt8(ascii: "["):
            state = .csi(parameters: [])
            return nil
        case UInt8(ascii: "O"):
            state = .ss3
            return nil
        case UInt8(ascii: "b"): return .wordLeft
        case UInt8(ascii: "f"): return .wordRight
        case 0x7F: return .deleteWordBackward
        case 0x00...0x1F: return ground(byte)
        default: return nil
        }
    }

    /// The key a complete CSI sequence names, if any.
    private static func csi(parameters: [UInt8], final: UInt8) -> EditKey? {
        // Only plain sequences: digits and ';' (private markers such as '?' or '<' and intermediates are not keys).
        guard parameters.allSatisfy({ (0x30...0x39).contains($0) || $0 == UInt8(ascii: ";") }) else { return nil }
        let fields = String(decoding: parameters, as: UTF8.self).split(separator: ";", omittingEmptySubsequences: false)
        let first = fields.first.flatMap { Int($0) } ?? 1
        let modifier = fields.count > 1 ? Int(fields[1]) ?? 1 : 1
        // Modifier 3 is Alt, 5 is Ctrl: with an arrow they move by words.
        let byWord = modifier == 3 || modifier == 5
        switch final {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return byWord ? .wordRight : .right
        case UInt8(ascii: "D"): return byWord ? .wordLeft : .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "~"):
            switch first {
            case 1, 7: return .home
            case 4, 8: return .end
            case 3: return .delete
            default: return nil
            }
        default:
            return nil
        }
    }

    /// The scalar a complete UTF-8 sequence encodes; `nil` for an invalid one (overlong, a surrogate) or a
    /// control character.
    private static func decode(_ bytes: [UInt8]) -> EditKey? {
        var iterator = bytes.makeIterator()
        var codec = UTF8()
        guard case .scalarValue(let scalar) = codec.decode(&iterator) else { return nil }
        guard scalar.properties.generalCategory != .control else { return nil }
        return .insert(scalar)
    }
}
