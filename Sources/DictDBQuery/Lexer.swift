import DictDBAPI

/// Splits query text into tokens, one at a time.
///
/// Works on the UTF-8 bytes: keywords, identifiers, numbers and punctuation are ASCII, and strings and
/// quoted identifiers are cut at ASCII quotes, so every slice it decodes is whole UTF-8. Whitespace is
/// ASCII whitespace; `--` starts a comment that runs to the end of the line.
struct Lexer {
    /// The whole text.
    let bytes: [UInt8]
    /// The offset of the next unread byte.
    var position = 0
    /// How deeply JSON literals may nest.
    let maximumDepth: Int

    /// Prepares to lex `text`.
    init(_ text: String, maximumDepth: Int) {
        bytes = Array(text.utf8)
        self.maximumDepth = maximumDepth
    }

    /// Reads the next token; at the end of the text, returns ``Token/Kind/end`` again and again.
    /// - Throws: ``DictDBError/Code/invalidQuery`` for a malformed token, at its offset.
    mutating func next() throws(DictDBError) -> Token {
        skipTrivia()
        let start = position
        guard start < bytes.count else { return Token(kind: .end, offset: start, end: start) }
        let byte = bytes[start]
        let kind: Token.Kind
        if Self.isLetter(byte) {
            kind = word()
        } else if Self.isDigit(byte) || (byte == UInt8(ascii: "-") && peekIsDigit(at: start + 1)) {
            kind = try number()
        } else {
            switch byte {
            case UInt8(ascii: "\""):
                kind = .quotedIdentifier(try quoted(by: byte, what: "quoted identifier"))
                if case .quotedIdentifier("") = kind {
                    throw SyntaxError.invalid("an empty quoted identifier names nothing", at: start, found: "\"\"")
                }
            case UInt8(ascii: "'"):
                kind = .string(try quoted(by: byte, what: "string"))
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                kind = .json(try jsonLiteral())
            default:
                kind = .symbol(try symbol())
            }
        }
        return Token(kind: kind, offset: start, end: position)
    }

    /// The text of `range`, decoded.
    func text(_ range: Range<Int>) -> String {
        let clamped = range.clamped(to: 0..<bytes.count)
        return String(decoding: bytes[clamped], as: UTF8.self)
    }

    // MARK: Trivia

    private mutating func skipTrivia() {
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                position += 1
            } else if byte == UInt8(ascii: "-") && position + 1 < bytes.count
                && bytes[position + 1] == UInt8(ascii: "-")
            {
                while position < bytes.count && bytes[position] != 0x0A && bytes[position] != 0x0D { position += 1 }
            } else {
                return
            }
        }
    }

    // MARK: Words and quotes

    private mutating func word() -> Token.Kind {
        let start = position
        while position < bytes.count && (Self.isLetter(bytes[position]) || Self.isDigit(bytes[position])) {
            position += 1
        }
        let text = text(start..<position)
        return .word(text, upper: text.uppercased())
    }

    /// Reads text between `quote`s, where a doubled quote stands for one.
    private mutating func quoted(by quote: UInt8, what: String) throws(DictDBError) -> String {
        let start = position
        position += 1
        var content: [UInt8] = []
        var runStart = position
        while true {
            guard position < bytes.count else {
                throw SyntaxError.invalid(
                    "unterminated \(what): no closing \(Character(Unicode.Scalar(quote))) for this opening one",
                    at: start,
                    found: SyntaxError.abbreviated(text(start..<bytes.count)))
            }
            if bytes[position] == quote {
                content.append(contentsOf: bytes[runStart..<position])
                if position + 1 < bytes.count && bytes[position + 1] == quote {
                    content.append(quote)
                    position += 2
                    runStart = position
                    continue
                }
                position += 1
                return String(decoding: content, as: UTF8.self)
            }
            position += 1
        }
    }

    // MARK: Numbers

    /// Reads `-?digits(.digits)?([eE][+-]?digits)?`: an `.integer` without fraction or exponent, else a
    /// `.double`.
    private mutating func number() throws(DictDBError) -> Token.Kind {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        skipDigits()
        var isDouble = false
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            guard peekIsDigit(at: position + 1) else {
                throw SyntaxError.invalid(
                    "expected a digit after the decimal point in '\(text(start..<position + 1))'", at: start,
                    found: text(start..<position + 1))
            }
            position += 1
            skipDigits()
            isDouble = true
        }
        if position < bytes.count && (bytes[position] | 0x20) == UInt8(ascii: "e") {
            var digitAt = position + 1
            if digitAt < bytes.count && (bytes[digitAt] == UInt8(ascii: "+") || bytes[digitAt] == UInt8(ascii: "-")) {
                digitAt += 1
            }
            guard peekIsDigit(at: digitAt) else {
                throw SyntaxError.invalid(
                    "expected digits in the exponent of '\(text(start..<digitAt))'", at: start,
                    found: text(start..<digitAt))
            }
            position = digitAt
            skipDigits()
            isDouble = true
        }
        if position < bytes.count && Self.isLetter(bytes[position]) {
            var end = position
            while end < bytes.count && (Self.isLetter(bytes[end]) || Self.isDigit(bytes[end])) { end += 1 }
            let found = SyntaxError.abbreviated(text(start..<end))
            throw SyntaxError.invalid("malformed number '\(found)'", at: start, found: found)
        }
        let literal = text(start..<position)
        if isDouble {
            guard let value = Double(literal), value.isFinite else {
                throw SyntaxError.invalid(
                    "number \(SyntaxError.abbreviated(literal)) is out of the range of a double", at: start,
                    found: SyntaxError.abbreviated(literal))
            }
            return .double(value)
        }
        guard let value = Int64(literal) else {
            let shown = SyntaxError.abbreviated(literal)
            throw SyntaxError.invalid(
                "integer \(shown) is out of the 64-bit range; write \(shown).0 for a double", at: start,
                found: shown)
        }
        return .integer(value)
    }

    private mutating func skipDigits() {
        while position < bytes.count && Self.isDigit(bytes[position]) { position += 1 }
    }

    private func peekIsDigit(at index: Int) -> Bool {
        index < bytes.count && Self.isDigit(bytes[index])
    }

    // MARK: Symbols

    private mutating func symbol() throws(DictDBError) -> Symbol {
        let start = position
        let byte = bytes[start]
        let following: UInt8? = start + 1 < bytes.count ? bytes[start + 1] : nil
        let two: Symbol?
        switch (byte, following) {
        case (UInt8(ascii: "="), UInt8(ascii: "=")): two = .doubleEqual
        case (UInt8(ascii: "!"), UInt8(ascii: "=")): two = .notEqual
        case (UInt8(ascii: "<"), UInt8(ascii: "=")): two = .lessOrEqual
        case (UInt8(ascii: "<"), UInt8(ascii: ">")): two = .lessOrGreater
        case (UInt8(ascii: ">"), UInt8(ascii: "=")): two = .greaterOrEqual
        default: two = nil
        }
        if let two {
            position += 2
            return two
        }
        let one: Symbol
        switch byte {
        case UInt8(ascii: "("): one = .leftParenthesis
        case UInt8(ascii: ")"): one = .rightParenthesis
        case UInt8(ascii: ","): one = .comma
        case UInt8(ascii: ";"): one = .semicolon
        case UInt8(ascii: "*"): one = .star
        case UInt8(ascii: "="): one = .equal
        case UInt8(ascii: "<"): one = .less
        case UInt8(ascii: ">"): one = .greater
        default: throw unexpectedCharacter(at: start)
        }
        position += 1
        return one
    }

    /// An error naming the character at `offset` (a scalar boundary) and its code point.
    func unexpectedCharacter(at offset: Int) -> DictDBError {
        let scalar = scalar(at: offset)
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let shown = scalar.properties.generalCategory == .control ? code : "'\(scalar)' (\(code))"
        return SyntaxError.invalid("unexpected character \(shown)", at: offset, found: String(scalar))
    }

    /// The Unicode scalar starting at `offset` (a scalar boundary), or `?` past the end.
    func scalar(at offset: Int) -> Unicode.Scalar {
        text(offset..<min(offset + 4, bytes.count)).unicodeScalars.first ?? "?"
    }

    // MARK: Classes

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_")
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
