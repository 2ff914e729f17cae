/// SQL `LIKE` matching over characters: `%` matches any run (including none), `_` exactly one character,
/// and the escape character makes the character after it literal.
package enum LikePattern {
    private enum Token: Equatable {
        case literal(Unicode.Scalar)
        case one
        case any
    }

    /// Whether `subject` matches `pattern`.
    ///
    /// - Complexity: O(*n* × *m*) in the worst case, with the usual greedy backtracking on `%`.
    package static func matches(_ subject: String, pattern: String, escape: Character?, caseInsensitive: Bool) -> Bool {
        let tokens = tokenize(caseInsensitive ? pattern.lowercased() : pattern, escape: escape)
        let text = Array((caseInsensitive ? subject.lowercased() : subject).unicodeScalars)
        var t = 0
        var p = 0
        var starP = -1
        var starT = 0
        while t < text.count {
            if p < tokens.count {
                switch tokens[p] {
                case .any:
                    starP = p
                    starT = t
                    p += 1
                    continue
                case .one:
                    t += 1
                    p += 1
                    continue
                case .literal(let c) where c == text[t]:
                    t += 1
                    p += 1
                    continue
                default:
                    break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < tokens.count, tokens[p] == .any { p += 1 }
        return p == tokens.count
    }

    /// The literal text before the first wildcard, and whether the pattern is exactly that text followed by
    /// a single trailing `%` (so a prefix search answers it exactly).
    package static func literalPrefix(_ pattern: String, escape: Character?) -> (prefix: String, isPurePrefix: Bool) {
        let tokens = tokenize(pattern, escape: escape)
        var prefix = String.UnicodeScalarView()
        var index = 0
        while index < tokens.count, case .literal(let c) = tokens[index] {
            prefix.append(c)
            index += 1
        }
        let pure = index == tokens.count - 1 && tokens.last == .any
        return (String(prefix), pure)
    }

    /// The longest run of literal characters in the pattern (the first of equal length), which every
    /// matching string contains: `%ab_cde%` gives `cde`.
    package static func longestLiteralRun(_ pattern: String, escape: Character?) -> String {
        var longest = String.UnicodeScalarView()
        var current = String.UnicodeScalarView()
        for token in tokenize(pattern, escape: escape) {
            if case .literal(let c) = token {
                current.append(c)
                continue
            }
            if current.count > longest.count { longest = current }
            current = String.UnicodeScalarView()
        }
        if current.count > longest.count { longest = current }
        return String(longest)
    }

    /// Whether the pattern's last character is an escape with nothing after it to quote.
    package static func endsWithDanglingEscape(_ pattern: String, escape: Character) -> Bool {
        guard let escape = escape.unicodeScalars.first else { return false }
        var escaped = false
        for c in pattern.unicodeScalars {
            if escaped {
                escaped = false
            } else if c == escape {
                escaped = true
            }
        }
        return escaped
    }

    private static func tokenize(_ pattern: String, escape: Character?) -> [Token] {
        let escape = escape?.unicodeScalars.first
        var tokens: [Token] = []
        var escaped = false
        for c in pattern.unicodeScalars {
            if escaped {
                tokens.append(.literal(c))
                escaped = false
            } else if let escape, c == escape {
                escaped = true
            } else if c == "%" {
                if tokens.last != .any { tokens.append(.any) }
            } else if c == "_" {
                tokens.append(.one)
            } else {
                tokens.append(.literal(c))
            }
        }
        if escaped, let escape { tokens.append(.literal(escape)) }
        return tokens
    }
}
