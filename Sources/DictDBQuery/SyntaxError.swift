import DictDBAPI

/// The errors the lexer and parser throw. Offsets are UTF-8 byte offsets until ``QueryParser`` converts
/// them to character offsets on the way out.
enum SyntaxError {
    /// A ``DictDBError/Code/invalidQuery`` error at `offset`.
    static func invalid(
        _ message: String, at offset: Int, found: String? = nil, expected: String? = nil
    )
        -> DictDBError
    {
        DictDBError(.invalidQuery, message, context: .init(offset: Int64(offset), expected: expected, found: found))
    }

    /// A ``DictDBError/Code/limitExceeded`` error at `offset`.
    static func limit(_ message: String, at offset: Int) -> DictDBError {
        DictDBError(.limitExceeded, message, context: .init(offset: Int64(offset)))
    }

    /// `text`, cut to `maximum` characters with `...` when longer, for messages.
    static func abbreviated(_ text: String, maximum: Int = 40) -> String {
        if text.count <= maximum { return text }
        return String(text.prefix(maximum - 3)) + "..."
    }
}
