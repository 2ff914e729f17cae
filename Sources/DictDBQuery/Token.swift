import DictDBAPI

/// One lexical unit of the query language and where it sits in the text.
///
/// Offsets are UTF-8 byte offsets into the whole text handed to the lexer; ``QueryParser`` turns them into
/// character offsets before an error leaves the module.
struct Token: Sendable {
    /// What the token is.
    var kind: Kind
    /// The byte offset of the token's first byte.
    var offset: Int
    /// The byte offset just past the token's last byte.
    var end: Int

    /// The kinds of token.
    enum Kind: Sendable, Equatable {
        /// An unquoted identifier or keyword: `[A-Za-z_][A-Za-z0-9_]*`, with its upper-cased form.
        case word(String, upper: String)
        /// A double-quoted identifier, unescaped (`"a ""b"""` is `a "b"`).
        case quotedIdentifier(String)
        /// A single-quoted string, unescaped (`'it''s'` is `it's`).
        case string(String)
        /// An integer literal that fits in 64 bits, sign included.
        case integer(Int64)
        /// A finite decimal or exponent literal.
        case double(Double)
        /// A JSON object or array literal.
        case json(Value)
        /// Punctuation or an operator.
        case symbol(Symbol)
        /// The end of the text.
        case end
    }

    /// The upper-cased word, if the token is an unquoted word.
    var keyword: String? {
        if case .word(_, let upper) = kind { return upper }
        return nil
    }

    /// Whether the token is the unquoted word `keyword` (given in upper case), in any letter case.
    func isKeyword(_ keyword: String) -> Bool { self.keyword == keyword }

    /// Whether the token is `symbol`.
    func isSymbol(_ symbol: Symbol) -> Bool { kind == .symbol(symbol) }

    /// Whether the token ends a statement: `;` or the end of the text.
    var endsStatement: Bool { kind == .end || kind == .symbol(.semicolon) }
}

/// Punctuation and operators.
enum Symbol: String, Sendable, Equatable {
    case leftParenthesis = "("
    case rightParenthesis = ")"
    case comma = ","
    case semicolon = ";"
    case star = "*"
    case equal = "="
    case doubleEqual = "=="
    case notEqual = "!="
    case lessOrGreater = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    /// The comparison this symbol stands for, if it is one.
    var comparison: ComparisonOperator? {
        switch self {
        case .equal, .doubleEqual: return .equal
        case .notEqual, .lessOrGreater: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        default: return nil
        }
    }
}

/// Words that cannot be used unquoted as table, field, alias or index names outside conditions, because
/// they start or separate clauses. Inside conditions any word that is followed by an operator is a field,
/// so `Condition.description` (which quotes only non-identifiers) always parses back.
enum Keywords {
    static let reserved: Set<String> = [
        "AND", "AS", "ASC", "BETWEEN", "BY", "CREATE", "DELETE", "DESC", "DISTINCT", "DROP", "ESCAPE", "EXPLAIN",
        "FALSE", "FROM", "GROUP", "IF", "ILIKE", "IN", "INDEX", "INSERT", "INTO", "IS", "KEYS", "LIKE", "LIMIT",
        "NOT", "NULL", "OFFSET", "ON", "OR", "ORDER", "PRIMARY", "SELECT", "SET", "TABLE", "TRUE", "UNIQUE",
        "UPDATE", "USING", "VALUES", "WHERE",
    ]
}
