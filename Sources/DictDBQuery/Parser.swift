import DictDBAPI

/// A recursive-descent parser over a ``Lexer``, with a few tokens of lookahead.
///
/// The statement forms live in `Parser+Statements.swift` and `Parser+Select.swift`, conditions in
/// `Parser+Expressions.swift`; this file holds the token plumbing and the small shared pieces (names,
/// literals, integers, the end of a statement). Errors carry UTF-8 offsets (see ``SyntaxError``).
struct Parser {
    private var lexer: Lexer
    private var lookahead: [Token] = []
    /// How deeply parentheses, `NOT`s and JSON literals may nest.
    let maximumDepth: Int

    /// Prepares to parse `text`.
    init(_ text: String, maximumDepth: Int) {
        lexer = Lexer(text, maximumDepth: maximumDepth)
        self.maximumDepth = maximumDepth
    }

    // MARK: Tokens

    /// The token `distance` places ahead, without consuming it.
    mutating func peek(_ distance: Int = 0) throws(DictDBError) -> Token {
        while lookahead.count <= distance { lookahead.append(try lexer.next()) }
        return lookahead[distance]
    }

    /// Consumes and returns the next token.
    @discardableResult
    mutating func advance() throws(DictDBError) -> Token {
        let token = try peek()
        lookahead.removeFirst()
        return token
    }

    /// Consumes the next token if it is the word `keyword` (upper case).
    mutating func accept(keyword: String) throws(DictDBError) -> Bool {
        guard try peek().isKeyword(keyword) else { return false }
        try advance()
        return true
    }

    /// Consumes the next token if it is `symbol`.
    mutating func accept(_ symbol: Symbol) throws(DictDBError) -> Bool {
        guard try peek().isSymbol(symbol) else { return false }
        try advance()
        return true
    }

    /// Consumes the word `keyword`, or throws "expected KEYWORD \(context), found ...".
    mutating func expect(keyword: String, _ context: String) throws(DictDBError) {
        let token = try peek()
        guard token.isKeyword(keyword) else { throw unexpected(token, expected: "\(keyword) \(context)") }
        try advance()
    }

    /// Consumes `symbol`, or throws "expected 'symbol' \(context), found ...".
    @discardableResult
    mutating func expect(_ symbol: Symbol, _ context: String) throws(DictDBError) -> Token {
        let token = try peek()
        guard token.isSymbol(symbol) else { throw unexpected(token, expected: "'\(symbol.rawValue)' \(context)") }
        return try advance()
    }

    // MARK: Errors

    /// How a message names a token: `'FORM'`, `the string 'x'`, `the end of the input`...
    func describe(_ token: Token) -> String {
        switch token.kind {
        case .word, .symbol: return "'\(source(of: token))'"
        case .quotedIdentifier: return source(of: token)
        case .string: return "the string \(source(of: token))"
        case .integer, .double: return "the number \(source(of: token))"
        case .json(let value): return value.arrayValue != nil ? "a JSON array" : "a JSON object"
        case .end: return "the end of the input"
        }
    }

    /// The token's text as written (cut when long), or `end of input`.
    func source(of token: Token) -> String {
        if token.kind == .end { return "end of input" }
        return SyntaxError.abbreviated(lexer.text(token.offset..<token.end))
    }

    /// "expected \(expected), found \(token)" at the token.
    func unexpected(_ token: Token, expected: String, hint: String = "") -> DictDBError {
        SyntaxError.invalid(
            "expected \(expected), found \(describe(token))\(hint)", at: token.offset, found: source(of: token),
            expected: expected)
    }

    // MARK: Shared pieces

    /// Reads a name: an unquoted word that is not a reserved keyword, or a quoted identifier.
    /// - Parameters:
    ///   - what: what the name is, for messages (`"a table name"`).
    ///   - context: where it stands (`"after FROM"`).
    mutating func name(_ what: String, _ context: String) throws(DictDBError) -> String {
        let token = try peek()
        switch token.kind {
        case .word(let word, let upper) where !Keywords.reserved.contains(upper):
            try advance()
            return word
        case .quotedIdentifier(let name):
            try advance()
            return name
        case .word(let word, _):
            throw unexpected(
                token, expected: "\(what) \(context)",
                hint: " (\(word) is a keyword; write \"\(word)\" to use it as a name)")
        default:
            throw unexpected(token, expected: "\(what) \(context)")
        }
    }

    /// Reads names separated by commas, rejecting repeats.
    /// - Parameter list: the list's name for messages (`"GROUP BY"`, `"the column list"`).
    mutating func nameList(_ what: String, _ context: String, list: String) throws(DictDBError) -> [String] {
        var names: [String] = []
        var seen = Set<String>()
        repeat {
            let token = try peek()
            let name = try name(what, names.isEmpty ? context : "after ','")
            guard seen.insert(name).inserted else {
                throw SyntaxError.invalid("'\(name)' is listed twice in \(list)", at: token.offset, found: name)
            }
            names.append(name)
        } while try accept(.comma)
        return names
    }

    /// Reads a literal: a string, a number, `TRUE`, `FALSE`, `NULL`, or a JSON array or object.
    mutating func literal(_ context: String) throws(DictDBError) -> Value {
        let token = try peek()
        let value: Value
        switch token.kind {
        case .string(let s): value = .string(s)
        case .integer(let i): value = .int(i)
        case .double(let d): value = .double(d)
        case .json(let v): value = v
        case .word(let word, let upper):
            switch upper {
            case "TRUE": value = .bool(true)
            case "FALSE": value = .bool(false)
            case "NULL": value = .null
            default:
                throw unexpected(
                    token, expected: "a value \(context)", hint: " (write text in single quotes: '\(word)')")
            }
        default:
            throw unexpected(token, expected: "a value \(context)")
        }
        try advance()
        return value
    }

    /// Reads an integer literal (negative allowed).
    mutating func integer(_ context: String) throws(DictDBError) -> Int {
        let token = try peek()
        guard case .integer(let value) = token.kind, let int = Int(exactly: value) else {
            throw unexpected(token, expected: "an integer \(context)")
        }
        try advance()
        return int
    }

    /// An aggregate function as the language writes it: `COUNT(*)`, `SUM(salary)`.
    func sql(_ function: AggregateFunction) -> String {
        switch function {
        case .count: return "COUNT(*)"
        case .countField(let f): return "COUNT(\(f))"
        case .sum(let f): return "SUM(\(f))"
        case .average(let f): return "AVG(\(f))"
        case .min(let f): return "MIN(\(f))"
        case .max(let f): return "MAX(\(f))"
        }
    }

    /// Checks that the statement ends here (at `;` or the end of the input), without consuming anything.
    /// - Parameter alternatives: what else could have come next, for the message (`["WHERE"]`).
    mutating func expectEndOfStatement(orOneOf alternatives: [String]) throws(DictDBError) {
        let token = try peek()
        guard token.endsStatement else {
            let expected =
                alternatives.isEmpty
                ? "the end of the statement" : "\(alternatives.joined(separator: ", ")) or the end of the statement"
            throw unexpected(token, expected: expected)
        }
    }
}
