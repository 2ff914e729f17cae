// A readable, SQL-like form of conditions for plans, logs and error messages:
// `age > 30 AND (name LIKE 'A%' OR dept IN ('eng', 'ops'))`.

extension Condition: CustomStringConvertible {
    /// The condition in the query language's syntax.
    public var description: String { render(parenthesized: false) }

    private func render(parenthesized: Bool) -> String {
        switch self {
        case .all:
            return "TRUE"
        case .comparison(let field, let op, let value):
            if value.isNull && (op == .equal || op == .notEqual) {
                return "\(Self.quote(field)) \(op == .equal ? "IS NULL" : "IS NOT NULL")"
            }
            let symbol = op == .equal ? "=" : op.rawValue
            return "\(Self.quote(field)) \(symbol) \(Self.literal(value))"
        case .isIn(let field, let values):
            return "\(Self.quote(field)) IN (\(values.map(Self.literal).joined(separator: ", ")))"
        case .between(let field, let lower, let upper):
            return "\(Self.quote(field)) BETWEEN \(Self.literal(lower)) AND \(Self.literal(upper))"
        case .like(let field, let pattern, let escape, let caseInsensitive):
            let keyword = caseInsensitive ? "ILIKE" : "LIKE"
            let escapeClause = escape.map { " ESCAPE \(Self.literal(.string(String($0))))" } ?? ""
            return "\(Self.quote(field)) \(keyword) \(Self.literal(.string(pattern)))\(escapeClause)"
        case .stringMatch(let field, let match, let text, let caseInsensitive):
            let name = match == .prefix ? "STARTS_WITH" : "ENDS_WITH"
            return "\(name)(\(Self.quote(field)), \(Self.literal(.string(text)))\(caseInsensitive ? ", NOCASE" : ""))"
        case .contains(let field, let element, let caseInsensitive):
            return "CONTAINS(\(Self.quote(field)), \(Self.literal(element))\(caseInsensitive ? ", NOCASE" : ""))"
        case .isNull(let field):
            return "\(Self.quote(field)) IS NULL"
        case .isNotNull(let field):
            return "\(Self.quote(field)) IS NOT NULL"
        case .and(let parts):
            if parts.isEmpty { return "TRUE" }
            let text = parts.map { $0.render(parenthesized: true) }.joined(separator: " AND ")
            return parenthesized && parts.count > 1 ? "(\(text))" : text
        case .or(let parts):
            if parts.isEmpty { return "FALSE" }
            let text = parts.map { $0.render(parenthesized: true) }.joined(separator: " OR ")
            return parenthesized && parts.count > 1 ? "(\(text))" : text
        case .not(let inner):
            return "NOT \(inner.render(parenthesized: true))"
        }
    }

    /// A field name, double-quoted when it is not a plain identifier.
    static func quote(_ field: String) -> String {
        let isPlain =
            !field.isEmpty
            && field.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || $0 == "_")) || ("0"..."9").contains($0)
            }
            && !(field.first?.isNumber ?? true)
        if isPlain { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }

    /// A value as a literal: strings in single quotes (quotes doubled), everything else as JSON.
    static func literal(_ value: Value) -> String {
        if case .string(let s) = value { return "'" + s.replacingAll("'", with: "''") + "'" }
        return value.description
    }
}

extension String {
    /// The string with every occurrence of one code point replaced by a string (code point by code point, so
    /// a quote followed by a combining mark is still doubled).
    fileprivate func replacingAll(_ character: Unicode.Scalar, with replacement: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if scalar == character {
                out.append(contentsOf: replacement.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
