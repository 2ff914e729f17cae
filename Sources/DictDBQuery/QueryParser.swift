import DictDBAPI

/// Parses the DictDB query language into ``Statement`` values and conditions.
///
/// The language is a small SQL. Every statement parses into the values the Swift API takes (`Query`,
/// `AggregateQuery`, `Condition`, `Record`), so text and Swift queries share one evaluator:
///
/// ```swift
/// let statement = try QueryParser.parse("""
///     SELECT name, age AS years FROM users
///     WHERE age >= 18 AND (dept IN ('eng', 'ops') OR name LIKE 'A%')
///     ORDER BY age DESC, name LIMIT 10 OFFSET 20
///     """)
/// let condition = try QueryParser.parseCondition("age BETWEEN 18 AND 65 AND email IS NOT NULL")
/// // condition == Field("age").between(18, 65) && Field("email").isNotNull
/// ```
///
/// Keywords are case-insensitive. Names are `[A-Za-z_][A-Za-z0-9_]*` or double-quoted (`"first name"`,
/// `""` for a quote inside); quote a name that is a keyword (`"order"`) outside conditions. Strings are
/// single-quoted (`'it''s'`). Numbers without fraction or exponent are 64-bit integers (`42`, `-7`); with
/// one they are doubles (`1.0`, `2.5e-3`). `TRUE`, `FALSE`, `NULL`, and JSON arrays and objects
/// (`[1, 2]`, `{"a": 1}`) are values too. `--` starts a comment to the end of the line.
///
/// Errors are `DictDBError` values with code `DictDBError.Code.invalidQuery` (or
/// `DictDBError.Code.limitExceeded` past ``maximumLength`` or ``maximumDepth``), a message naming what
/// was expected and found, and `context.offset` set to the offset of the offending token counted in
/// characters (Swift `Character`s) from the start of the text; ``render(_:in:)`` prints it with a caret.
public struct QueryParser: Sendable {
    /// The longest statement (or condition) accepted, in UTF-8 bytes: 1 MiB.
    public static let maximumLength = 1 << 20

    /// How deeply parentheses, `NOT`s and JSON literals may nest: 256 levels.
    public static let maximumDepth = 256

    /// Parses one statement; a trailing `;` is allowed.
    ///
    /// ```swift
    /// let statement = try QueryParser.parse("DELETE FROM sessions WHERE expires < 1700000000")
    /// // .delete(table: "sessions", condition: Field("expires") < 1700000000)
    /// ```
    ///
    /// - Throws: `DictDBError.Code.invalidQuery` for malformed text, `DictDBError.Code.limitExceeded`
    ///   past ``maximumLength`` or ``maximumDepth``; `context.offset` is the character offset of the problem.
    public static func parse(_ text: String) throws(DictDBError) -> Statement {
        do throws(DictDBError) {
            try checkLength(of: text)
            var parser = Parser(text, maximumDepth: maximumDepth)
            let statement = try parser.statement()
            while try parser.accept(.semicolon) {}
            let token = try parser.peek()
            guard token.kind == .end else {
                throw parser.unexpected(
                    token, expected: "the end of the input", hint: " (parse one statement; parseScript reads several)")
            }
            return statement
        } catch {
            throw relocated(error, in: text)
        }
    }

    /// Parses statements separated by `;` (empty statements are skipped).
    ///
    /// ```swift
    /// let statements = try QueryParser.parseScript("""
    ///     CREATE TABLE users PRIMARY KEY email;
    ///     INSERT INTO users VALUES {"email": "ada@example.com", "age": 36};
    ///     SELECT * FROM users;
    ///     """)
    /// // statements.count == 3
    /// ```
    ///
    /// Each statement may be up to ``maximumLength`` long; the script as a whole is not limited.
    /// - Throws: the first statement's error, as ``parse(_:)`` does; offsets count from the script's start.
    public static func parseScript(_ text: String) throws(DictDBError) -> [Statement] {
        do throws(DictDBError) {
            var parser = Parser(text, maximumDepth: maximumDepth)
            var statements: [Statement] = []
            while true {
                while try parser.accept(.semicolon) {}
                let first = try parser.peek()
                if first.kind == .end { return statements }
                let statement = try parser.statement()
                let next = try parser.peek()
                guard next.endsStatement else { throw parser.unexpected(next, expected: "';' or the end of the input") }
                if next.offset - first.offset > maximumLength {
                    throw SyntaxError.limit(
                        "a statement is longer than the limit of \(maximumLength) bytes", at: first.offset)
                }
                statements.append(statement)
            }
        } catch {
            throw relocated(error, in: text)
        }
    }

    /// Parses a condition alone: the text of a `WHERE` clause without the keyword.
    ///
    /// This is the form the CLI's `--where` option and the server's JSON requests take. Every condition's
    /// `description` parses back into an equivalent condition (the same one, for conditions without
    /// one-element or empty `AND`/`OR` lists and without `= NULL`/`!= NULL` comparisons, which print as
    /// `IS [NOT] NULL`).
    ///
    /// ```swift
    /// let c = try QueryParser.parseCondition("NOT (status = 'done' OR tags IS NULL) AND CONTAINS(tags, 'x')")
    /// // c == .and([!(Field("status") == "done" || Field("tags").isNull), Field("tags").contains("x")])
    /// ```
    ///
    /// - Throws: `DictDBError.Code.invalidQuery` or `DictDBError.Code.limitExceeded`, as ``parse(_:)``.
    public static func parseCondition(_ text: String) throws(DictDBError) -> Condition {
        do throws(DictDBError) {
            try checkLength(of: text)
            var parser = Parser(text, maximumDepth: maximumDepth)
            let condition = try parser.condition("at the start of the input")
            let token = try parser.peek()
            guard token.kind == .end else {
                throw parser.unexpected(token, expected: "AND, OR or the end of the condition")
            }
            return condition
        } catch {
            throw relocated(error, in: text)
        }
    }

    // MARK: Helpers

    private static func checkLength(of text: String) throws(DictDBError) {
        let length = text.utf8.count
        if length > maximumLength {
            throw DictDBError(
                .limitExceeded, "the text is \(length) bytes long, over the limit of \(maximumLength) bytes",
                context: .init(offset: 0, expected: "at most \(maximumLength) bytes", found: "\(length) bytes"))
        }
    }

    /// The error with its UTF-8 offset turned into a character offset into `text`.
    private static func relocated(_ error: DictDBError, in text: String) -> DictDBError {
        guard let offset = error.context.offset, offset > 0 else { return error }
        var moved = error
        moved.context.offset = Int64(characterOffset(ofUTF8Offset: Int(offset), in: text))
        return moved
    }

    /// How many characters precede the UTF-8 offset (a character it cuts counts as preceding).
    static func characterOffset(ofUTF8Offset offset: Int, in text: String) -> Int {
        let utf8 = text.utf8
        let index = utf8.index(utf8.startIndex, offsetBy: min(offset, utf8.count))
        return text[..<index].count
    }
}
