import DictDBAPI

// Conditions: `OR` binds loosest, then `AND`, then `NOT`; parentheses group. Leaves are a field followed by
// an operator (`= != <> < <= > >=`, `IS [NOT] NULL`, `[NOT] IN (...)`, `[NOT] BETWEEN x AND y`,
// `[NOT] LIKE|ILIKE 'p' [ESCAPE 'c']`), the functions `STARTS_WITH`, `ENDS_WITH`, `CONTAINS`, and the
// constants `TRUE` and `FALSE`. Every leaf maps onto one `Condition` case, the very values the Swift DSL builds.
//
// The grammar is read with an operator stack rather than by recursion, so `((((...` and `NOT NOT NOT ...`
// cannot exhaust the stack; their nesting is limited to `maximumDepth` with a typed error.
//
// A chain `a AND b AND c` becomes one flat `.and([a, b, c])`; parentheses keep their grouping, so
// `(a AND b) AND c` is `.and([.and([a, b]), c])`, exactly as `Condition.description` prints that value.

extension Parser {
    /// An operator waiting for its right operand.
    private enum Pending {
        case not
        case and
        case or
        case open

        /// Binding strength; an open parenthesis is a barrier.
        var precedence: Int {
            switch self {
            case .not: return 3
            case .and: return 2
            case .or: return 1
            case .open: return 0
            }
        }
    }

    /// A parsed condition, or an unparenthesized `a AND b AND ...` / `a OR b OR ...` chain still growing.
    ///
    /// A chain keeps its parts in an array it owns alone, so appending to a chain of n parts is O(1) and a
    /// long chain parses in linear time.
    private struct Operand {
        /// The condition, when ``chain`` is `nil`.
        var condition: Condition
        /// The kind of chain being built, if any.
        var chain: Chain?
        /// The chain's parts, when ``chain`` is set.
        var parts: [Condition] = []

        enum Chain { case and, or }

        init(_ condition: Condition) {
            self.condition = condition
            chain = nil
        }

        init(chain: Chain, parts: [Condition]) {
            condition = .all
            self.chain = chain
            self.parts = parts
        }

        /// The condition this operand stands for.
        var finished: Condition {
            switch chain {
            case nil: return condition
            case .and: return .and(parts)
            case .or: return .or(parts)
            }
        }
    }

    /// Reads a condition and stops before the first token that cannot continue it.
    /// - Parameter context: where the condition starts, for messages (`"after WHERE"`).
    mutating func condition(_ context: String) throws(DictDBError) -> Condition {
        var operands: [Operand] = []
        var pending: [Pending] = []
        var depth = 0
        var openParentheses = 0
        var after = context
        while true {
            // Expecting an operand: a leaf, or a prefix `(` or `NOT` to push.
            let token = try peek()
            let leafCondition: Condition?
            if token.isSymbol(.leftParenthesis) {
                leafCondition = nil
            } else if token.isKeyword("NOT") {
                leafCondition = try notAsField(after)
            } else {
                leafCondition = try leaf(after)
            }
            guard let leafCondition else {
                depth += 1
                guard depth <= maximumDepth else {
                    throw SyntaxError.limit(
                        "the condition nests parentheses and NOTs deeper than \(maximumDepth) levels", at: token.offset)
                }
                try advance()
                let isParenthesis = token.isSymbol(.leftParenthesis)
                if isParenthesis { openParentheses += 1 }
                pending.append(isParenthesis ? .open : .not)
                after = isParenthesis ? "after '('" : "after NOT"
                continue
            }
            operands.append(Operand(leafCondition))

            // After an operand: closing parentheses, then a binary operator or the end.
            while true {
                let next = try peek()
                if next.isSymbol(.rightParenthesis) && openParentheses > 0 {
                    depth -= try reduce(&operands, &pending, down: 1)
                    guard case .open = pending.popLast() else { throw internalError(at: next) }
                    depth -= 1
                    openParentheses -= 1
                    if let closed = operands.popLast() { operands.append(Operand(closed.finished)) }
                    try advance()
                    continue
                }
                if next.isKeyword("AND") || next.isKeyword("OR") {
                    let isAnd = next.isKeyword("AND")
                    depth -= try reduce(&operands, &pending, down: isAnd ? 2 : 1)
                    pending.append(isAnd ? .and : .or)
                    after = isAnd ? "after AND" : "after OR"
                    try advance()
                    break
                }
                if openParentheses > 0 { throw unexpected(next, expected: "')', AND or OR") }
                _ = try reduce(&operands, &pending, down: 1)
                guard operands.count == 1, let result = operands.first else { throw internalError(at: next) }
                return result.finished
            }
        }
    }

    /// Applies pending operators of at least `minimum` precedence; returns how many `NOT`s it applied.
    private func reduce(
        _ operands: inout [Operand], _ pending: inout [Pending], down minimum: Int
    )
        throws(DictDBError) -> Int
    {
        var nots = 0
        while let top = pending.last, top.precedence >= minimum {
            pending.removeLast()
            guard let right = operands.popLast() else { throw SyntaxError.invalid("internal parser error", at: 0) }
            switch top {
            case .not:
                operands.append(Operand(.not(right.finished)))
                nots += 1
            case .and, .or:
                guard var left = operands.popLast() else {
                    throw SyntaxError.invalid("internal parser error", at: 0)
                }
                let chain: Operand.Chain
                if case .and = top { chain = .and } else { chain = .or }
                if left.chain == chain {
                    left.parts.append(right.finished)
                    operands.append(left)
                } else {
                    operands.append(Operand(chain: chain, parts: [left.finished, right.finished]))
                }
            case .open:
                break
            }
        }
        return nots
    }

    private func internalError(at token: Token) -> DictDBError {
        SyntaxError.invalid("internal parser error", at: token.offset)
    }

    /// Decides what a leading `NOT` is: `nil` for negation, or the leaf it starts as a field named `NOT`.
    ///
    /// `NOT` is a field when an operator follows it (`NOT = 1`, `NOT IN (1)`), except before another `NOT`:
    /// `NOT not IN (1)` negates `not IN (1)` (for a field spelled `NOT` both readings agree). When the
    /// operator is a word that could itself be a field (`NOT IN IN (1)` negates the field `IN`), the field
    /// reading is tried first and negation is taken when it fails and could succeed; otherwise the field
    /// reading's error stands.
    private mutating func notAsField(_ context: String) throws(DictDBError) -> Condition? {
        guard try startsPredicate(at: 1), !(try peek(1).isKeyword("NOT")) else { return nil }
        if case .symbol = try peek(1).kind { return try leaf(context) }
        let saved = self
        do throws(DictDBError) {
            return try leaf(context)
        } catch {
            self = saved
            if try startsPredicate(at: 2) { return nil }
            throw error
        }
    }

    /// Whether the token `distance` ahead starts an operator that follows a field (`=`, `IS`, `NOT IN`...),
    /// which makes the word before it a field name even when it is a keyword.
    private mutating func startsPredicate(at distance: Int) throws(DictDBError) -> Bool {
        let token = try peek(distance)
        if case .symbol(let symbol) = token.kind { return symbol.comparison != nil }
        switch token.keyword {
        case "IS", "IN", "BETWEEN", "LIKE", "ILIKE": return true
        case "NOT":
            switch try peek(distance + 1).keyword {
            case "IN", "BETWEEN", "LIKE", "ILIKE": return true
            default: return false
            }
        default: return false
        }
    }

    // MARK: Leaves

    /// Reads a constant, a function, or a field with its operator.
    private mutating func leaf(_ context: String) throws(DictDBError) -> Condition {
        let token = try peek()
        switch token.kind {
        case .word(let word, let upper):
            let isField = try startsPredicate(at: 1)
            if !isField {
                if upper == "TRUE" || upper == "FALSE" {
                    try advance()
                    return upper == "TRUE" ? .all : .or([])
                }
                if ["STARTS_WITH", "ENDS_WITH", "CONTAINS"].contains(upper), try peek(1).isSymbol(.leftParenthesis) {
                    return try function(upper)
                }
                if Keywords.reserved.contains(upper) {
                    throw unexpected(token, expected: "a condition \(context)")
                }
            }
            try advance()
            return try predicate(field: word, at: token)
        case .quotedIdentifier(let name):
            try advance()
            return try predicate(field: name, at: token)
        default:
            throw unexpected(token, expected: "a condition \(context)")
        }
    }

    /// Reads the operator and operands after a field.
    private mutating func predicate(field: String, at fieldToken: Token) throws(DictDBError) -> Condition {
        let token = try peek()
        if case .symbol(let symbol) = token.kind, let op = symbol.comparison {
            try advance()
            return .comparison(field: field, op: op, value: try literal("after '\(symbol.rawValue)'"))
        }
        if try accept(keyword: "IS") {
            let negated = try accept(keyword: "NOT")
            try expect(keyword: "NULL", negated ? "after IS NOT" : "after IS")
            return negated ? .isNotNull(field: field) : .isNull(field: field)
        }
        let negated = token.isKeyword("NOT")
        if negated { try advance() }
        let condition: Condition
        let operatorToken = try peek()
        switch operatorToken.keyword {
        case "IN":
            try advance()
            try expect(.leftParenthesis, "after IN")
            var values: [Value] = []
            if !(try accept(.rightParenthesis)) {
                repeat {
                    values.append(try literal(values.isEmpty ? "in the IN list" : "after ','"))
                } while try accept(.comma)
                try expect(.rightParenthesis, "to close the IN list")
            }
            condition = .isIn(field: field, values: values)
        case "BETWEEN":
            try advance()
            let lower = try literal("after BETWEEN")
            try expect(keyword: "AND", "between the bounds of BETWEEN")
            condition = .between(field: field, lower: lower, upper: try literal("after BETWEEN ... AND"))
        case "LIKE", "ILIKE":
            try advance()
            condition = try like(field: field, caseInsensitive: operatorToken.keyword == "ILIKE")
        default:
            let name = describe(fieldToken)
            throw unexpected(
                operatorToken,
                expected: negated
                    ? "IN, BETWEEN, LIKE or ILIKE after \(name) NOT"
                    : "an operator (=, !=, <>, <, <=, >, >=, IN, BETWEEN, LIKE, ILIKE or IS) after \(name)")
        }
        return negated ? .not(condition) : condition
    }

    /// Reads `'pattern' [ESCAPE 'c']` after LIKE or ILIKE and checks the pattern.
    private mutating func like(field: String, caseInsensitive: Bool) throws(DictDBError) -> Condition {
        let keyword = caseInsensitive ? "ILIKE" : "LIKE"
        let patternToken = try peek()
        guard case .string(let pattern) = patternToken.kind else {
            throw unexpected(patternToken, expected: "a pattern string after \(keyword)")
        }
        try advance()
        var escape: Character?
        if try accept(keyword: "ESCAPE") {
            let escapeToken = try peek()
            guard case .string(let text) = escapeToken.kind else {
                throw unexpected(escapeToken, expected: "a one-character string after ESCAPE")
            }
            guard text.unicodeScalars.count == 1, let character = text.first else {
                throw SyntaxError.invalid(
                    "a LIKE escape must be one character, found \(describe(escapeToken))", at: escapeToken.offset,
                    found: source(of: escapeToken), expected: "one character")
            }
            try advance()
            escape = character
        }
        let condition = Condition.like(field: field, pattern: pattern, escape: escape, caseInsensitive: caseInsensitive)
        do throws(DictDBError) {
            try condition.validate()
        } catch {
            throw SyntaxError.invalid(error.message, at: patternToken.offset, found: source(of: patternToken))
        }
        return condition
    }

    /// Reads `STARTS_WITH(f, 'text'[, NOCASE])`, `ENDS_WITH(...)` or `CONTAINS(f, value[, NOCASE])`.
    private mutating func function(_ name: String) throws(DictDBError) -> Condition {
        try advance()
        try expect(.leftParenthesis, "after \(name)")
        let fieldToken = try peek()
        let field: String
        switch fieldToken.kind {
        case .word(let word, _): field = word
        case .quotedIdentifier(let quoted): field = quoted
        default: throw unexpected(fieldToken, expected: "a field name as the first argument of \(name)")
        }
        try advance()
        try expect(.comma, "after the field of \(name)")
        let condition: Condition
        if name == "CONTAINS" {
            let element = try literal("as the second argument of CONTAINS")
            condition = .contains(field: field, element: element, caseInsensitive: try noCase(name))
        } else {
            let textToken = try peek()
            guard case .string(let text) = textToken.kind else {
                throw unexpected(textToken, expected: "a string as the second argument of \(name)")
            }
            try advance()
            condition = .stringMatch(
                field: field, match: name == "STARTS_WITH" ? .prefix : .suffix, text: text,
                caseInsensitive: try noCase(name))
        }
        try expect(.rightParenthesis, "to close \(name)(...)")
        return condition
    }

    /// Reads an optional `, NOCASE`.
    private mutating func noCase(_ name: String) throws(DictDBError) -> Bool {
        guard try accept(.comma) else { return false }
        let token = try peek()
        guard token.isKeyword("NOCASE") else { throw unexpected(token, expected: "NOCASE after ',' in \(name)") }
        try advance()
        return true
    }
}
