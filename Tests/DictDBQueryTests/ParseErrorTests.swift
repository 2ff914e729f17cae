import DictDBAPI
import DictDBQuery
import Testing

/// Bad input gives a typed error whose message names the problem and whose offset points at the offending
/// token, in characters; ``QueryParser/render(_:in:)`` puts a caret under it.
@Suite struct ParseErrorTests {
    /// A bad statement, the character offset of the offending token, and a part of the message.
    struct BadInput: Sendable, CustomTestStringConvertible {
        var text: String
        var offset: Int
        var message: String
        var testDescription: String { text.debugDescription }

        init(_ text: String, _ offset: Int, _ message: String) {
            self.text = text
            self.offset = offset
            self.message = message
        }
    }

    static let statements: [BadInput] = [
        BadInput("SELECT * FORM t", 9, "expected FROM after the select list, found 'FORM'"),
        BadInput("SELECT * FROM t WHERE a = 1 LIMT 5", 28, "expected AND, OR, GROUP BY, ORDER BY, LIMIT, OFFSET"),
        BadInput("SELECT FROM t", 7, "expected a field, '*' or an aggregate after SELECT, found 'FROM'"),
        BadInput("SELECT * FROM WHERE a = 1", 14, "expected a table name after FROM, found 'WHERE'"),
        BadInput("SELECT * FROM t WHERE", 21, "expected a condition after WHERE, found the end of the input"),
        BadInput("SELECT * FROM t WHERE a", 23, "expected an operator (=, !=, <>, <, <=, >, >=, IN, BETWEEN"),
        BadInput("SELECT * FROM t WHERE a = b", 26, "expected a value after '=', found 'b'"),
        BadInput("SELECT * FROM t WHERE (a = 1", 28, "expected ')', AND or OR, found the end of the input"),
        BadInput("SELECT * FROM t WHERE a = 1)", 27, "found ')'"),
        BadInput("SELECT * FROM t WHERE a IN (1, 2", 32, "expected ')' to close the IN list"),
        BadInput("SELECT * FROM t WHERE a IN 1", 27, "expected '(' after IN, found the number 1"),
        BadInput("SELECT * FROM t WHERE a BETWEEN 1 OR 2", 34, "expected AND between the bounds of BETWEEN"),
        BadInput("SELECT * FROM t WHERE a LIKE 1", 29, "expected a pattern string after LIKE"),
        BadInput("SELECT * FROM t WHERE a = 'abc", 26, "unterminated string"),
        BadInput("SELECT * FROM \"t", 14, "unterminated quoted identifier"),
        BadInput("SELECT * FROM t WHERE a = 99999999999999999999", 26, "out of the 64-bit range"),
        BadInput("SELECT * FROM t WHERE a = 1e999", 26, "out of the range of a double"),
        BadInput("SELECT * FROM t WHERE a = 12abc", 26, "malformed number '12abc'"),
        BadInput("SELECT * FROM t WHERE a = 1.", 26, "expected a digit after the decimal point"),
        BadInput("SELECT * FROM t WHERE a = 1e", 26, "expected digits in the exponent"),
        BadInput("SELECT * FROM t WHERE a = {\"a\": }", 32, "expected a JSON value, found '}'"),
        BadInput("SELECT * FROM t WHERE a = [1, 2", 31, "expected ',' or ']' in a JSON array"),
        BadInput("SELECT * FROM t WHERE a = {\"a\": 1, \"a\": 2}", 35, "appears twice in one JSON object"),
        BadInput("SELECT * FROM t WHERE a = [01]", 27, "leading zero"),
        BadInput("SELECT * FROM t WHERE a = [1e400]", 27, "out of the range of a double"),
        BadInput("SELECT * FROM t WHERE a = [18446744073709551616]", 27, "out of the 64-bit range"),
        BadInput("SELECT * FROM t WHERE a = [\"\\ud800\"]", 28, "surrogate"),
        BadInput("SELECT * FROM t WHERE a = [\"\\q\"]", 28, "unknown escape"),
        BadInput("SELECT * FROM t WHERE a = [\"a\nb\"]", 29, "must be escaped"),
        BadInput("SELECT * FROM t WHERE a = {1: 2}", 27, "expected a quoted key"),
        BadInput("SELECT * FROM t WHERE a = [tru]", 27, "expected a JSON value"),
        BadInput("SELECT * FROM t WHERE a LIKE 'x!' ESCAPE '!'", 29, "ends with its escape character"),
        BadInput("SELECT * FROM t WHERE a LIKE 'x' ESCAPE 'ab'", 40, "a LIKE escape must be one character"),
        BadInput("SELECT * FROM t WHERE a # 1", 24, "unexpected character '#'"),
        BadInput("SELECT * FROM t WHERE a ! 1", 24, "unexpected character '!'"),
        BadInput("SELECT * FROM t WHERE a = - 1", 26, "unexpected character '-'"),
        BadInput("SELECT * FROM t WHERE a IS 1", 27, "expected NULL after IS"),
        BadInput("SELECT * FROM t WHERE a IS NOT TRUE", 31, "expected NULL after IS NOT"),
        BadInput("SELECT * FROM t WHERE a NOT = 1", 28, "expected IN, BETWEEN, LIKE or ILIKE after 'a' NOT"),
        BadInput("SELECT * FROM t WHERE NOT", 25, "expected a condition after NOT"),
        BadInput("SELECT * FROM t WHERE a = 1 AND", 31, "expected a condition after AND"),
        BadInput("SELECT * FROM t WHERE a = 1 OR ORDER BY a", 31, "expected a condition after OR, found 'ORDER'"),
        BadInput("SELECT * FROM t WHERE ()", 23, "expected a condition after '('"),
        BadInput("SELECT * FROM t WHERE \"\" = 1", 22, "an empty quoted identifier"),
        BadInput("SELECT * FROM t WHERE STARTS_WITH(a, 1)", 37, "expected a string as the second argument"),
        BadInput("SELECT * FROM t WHERE CONTAINS(a, 'x', CASE)", 39, "expected NOCASE"),
        BadInput("SELECT * FROM t WHERE ENDS_WITH(a 'x')", 34, "expected ',' after the field of ENDS_WITH"),
        BadInput("SELECT *, a FROM t", 8, "expected FROM after the select list, found ','"),
        BadInput("SELECT a, COUNT(*) FROM t", 7, "field 'a' is neither grouped nor aggregated"),
        BadInput("SELECT * FROM t GROUP BY a", 7, "SELECT * cannot be combined with GROUP BY"),
        BadInput("SELECT DISTINCT a FROM t GROUP BY a", 7, "SELECT DISTINCT cannot be combined"),
        BadInput("SELECT a AS b FROM t GROUP BY a", 7, "cannot be renamed"),
        BadInput("SELECT COUNT(*), COUNT(*) FROM t", 17, "the output name 'count' is used twice"),
        BadInput("SELECT a AS x, b AS x FROM t", 15, "the select list names 'x' twice"),
        BadInput("SELECT * FROM t ORDER BY COUNT(*)", 25, "ORDER BY COUNT(*) needs aggregates or GROUP BY"),
        BadInput("SELECT COUNT(*) FROM t ORDER BY x", 32, "ORDER BY x names no output column"),
        BadInput("SELECT COUNT(*) FROM t ORDER BY SUM(x)", 32, "ORDER BY SUM(x) needs SUM(x) in the select list"),
        BadInput("SELECT SUM(*) FROM t", 11, "expected a field name in SUM(...), found '*'"),
        BadInput("SELECT COUNT(DISTINCT a) FROM t", 13, "COUNT(DISTINCT ...) is not supported"),
        BadInput("SELECT * FROM t LIMIT 'x'", 22, "expected an integer after LIMIT"),
        BadInput("SELECT * FROM t LIMIT 1 LIMIT 2", 24, "expected OFFSET or the end of the statement"),
        BadInput("SELECT * FROM t ORDER BY a LIMIT 1 WHERE a = 1", 35, "found 'WHERE'"),
        BadInput("SELECT * FROM t GROUP a", 22, "expected BY after GROUP"),
        BadInput("INSERT t VALUES {}", 7, "expected INTO after INSERT"),
        BadInput("INSERT INTO t VALUES (1, 2)", 21, "a row in parentheses needs a column list"),
        BadInput("INSERT INTO t VALUES 1", 21, "expected a JSON object after VALUES"),
        BadInput("INSERT INTO t VALUES [1]", 21, "element 1 of the JSON array after VALUES is int, not an object"),
        BadInput("INSERT INTO t (a, b) VALUES (1)", 28, "row 1 has 1 value for 2 columns"),
        BadInput("INSERT INTO t (a, b) VALUES (1, 2), (3, 4, 5)", 36, "row 2 has 3 values for 2 columns"),
        BadInput("INSERT INTO t (a, a) VALUES (1, 2)", 18, "'a' is listed twice in the column list"),
        BadInput("INSERT INTO t VALUES {} {}", 24, "expected ',' or the end of the statement"),
        BadInput("UPDATE t SET a = 1, a = 2", 20, "SET assigns field 'a' twice"),
        BadInput("UPDATE t SET a 1", 15, "expected '=' after 'a' in SET"),
        BadInput("UPDATE t WHERE a = 1", 9, "expected SET after the table name"),
        BadInput("DELETE t", 7, "expected FROM after DELETE"),
        BadInput("DELETE FROM t WHERE a = 1 b", 26, "expected AND, OR or the end of the statement"),
        BadInput("CREATE TABLE", 12, "expected a table name after CREATE TABLE"),
        BadInput("CREATE TABLE IF EXISTS t", 16, "expected NOT after IF"),
        BadInput("CREATE TABLE t PRIMARY k", 23, "expected KEY after PRIMARY"),
        BadInput("CREATE TABLE t PRIMARY KEY a PRIMARY KEY b", 29, "expected KEYS or the end of the statement"),
        BadInput("CREATE VIEW v", 7, "expected TABLE, INDEX or UNIQUE after CREATE, found 'VIEW'"),
        BadInput("CREATE UNIQUE TABLE t", 14, "expected INDEX after CREATE UNIQUE"),
        BadInput("CREATE INDEX ON t a", 18, "expected '(' after the table name"),
        BadInput("CREATE INDEX ON t (a, a)", 22, "'a' is listed twice in the index's fields"),
        BadInput("CREATE INDEX ON t (a) USING", 27, "expected an index kind"),
        BadInput("CREATE INDEX i t (a)", 15, "expected ON after the index name"),
        BadInput("DROP t", 5, "expected TABLE or INDEX after DROP"),
        BadInput("DROP INDEX i", 12, "expected ON after the index name"),
        BadInput("DROP TABLE IF t", 14, "expected EXISTS after IF"),
        BadInput("EXPLAIN DELETE FROM t", 8, "expected SELECT after EXPLAIN, found 'DELETE'"),
        BadInput("SELECT * FROM t; SELECT * FROM u", 17, "expected the end of the input, found 'SELECT'"),
        BadInput("", 0, "expected a statement (SELECT, INSERT, UPDATE, DELETE, CREATE, DROP or EXPLAIN)"),
        BadInput("  -- only a comment", 19, "expected a statement"),
        BadInput("SELEC * FROM t", 0, "expected a statement"),
        BadInput("SELECT * FROM t WHERE a = 'é' AND é", 34, "unexpected character 'é' (U+00E9)"),
        BadInput("SELECT * FROM t WHERE a = '日本語' AND #", 36, "unexpected character '#'"),
        BadInput("SELECT * FROM t WHERE a = 'e\u{301}' #", 30, "unexpected character '#'"),
        BadInput("SELECT * FROM t\r\nWHERE a = 1\r\n  AND b =", 37, "expected a value after '='"),
        BadInput("SELECT * FROM t WHERE a = 1\u{0}", 27, "unexpected character U+0000"),
    ]

    @Test(arguments: statements)
    func badStatementsNameTheProblemAtTheOffendingToken(input: BadInput) {
        let error = #expect(throws: DictDBError.self) { try QueryParser.parse(input.text) }
        #expect(error?.code == .invalidQuery)
        #expect(error?.context.offset == Int64(input.offset), "\(error?.message ?? "")")
        #expect(error?.message.contains(input.message) == true, "\(error?.message ?? "no error")")
        if let found = error?.context.found { #expect(!found.isEmpty) }
    }

    static let conditions: [BadInput] = [
        BadInput("", 0, "expected a condition at the start of the input, found the end of the input"),
        BadInput("a = 1 b = 2", 6, "expected AND, OR or the end of the condition, found 'b'"),
        BadInput("a = 1)", 5, "expected AND, OR or the end of the condition, found ')'"),
        BadInput("(a = 1", 6, "expected ')', AND or OR"),
        BadInput("a = 1;", 5, "found ';'"),
        BadInput("WHERE a = 1", 0, "expected a condition at the start of the input, found 'WHERE'"),
        BadInput("a = 1 AND (b = 2 OR c)", 21, "expected an operator"),
    ]

    @Test(arguments: conditions)
    func badConditionsNameTheProblemAtTheOffendingToken(input: BadInput) {
        let error = #expect(throws: DictDBError.self) { try QueryParser.parseCondition(input.text) }
        #expect(error?.code == .invalidQuery)
        #expect(error?.context.offset == Int64(input.offset), "\(error?.message ?? "")")
        #expect(error?.message.contains(input.message) == true, "\(error?.message ?? "no error")")
    }

    @Test func errorsInAScriptCountOffsetsFromTheScriptsStart() {
        let script = "CREATE TABLE t;\nSELECT * FROM t;\nDELETE FROM t WHERE"
        let error = #expect(throws: DictDBError.self) { try QueryParser.parseScript(script) }
        #expect(error?.context.offset == Int64(script.count))
        #expect(error?.message.contains("expected a condition after WHERE") == true)
        #expect(error.map { QueryParser.render($0, in: script) }?.hasPrefix("line 3, column 20:") == true)
    }

    @Test func anErrorCarriesWhatWasExpectedAndFound() {
        let error = #expect(throws: DictDBError.self) { try QueryParser.parse("SELECT * FORM t") }
        #expect(error?.context.expected == "FROM after the select list")
        #expect(error?.context.found == "FORM")
    }

    // MARK: Rendering

    @Test func renderPutsACaretUnderTheOffendingToken() {
        let text = "SELECT * FORM users"
        let error = #expect(throws: DictDBError.self) { try QueryParser.parse(text) }
        #expect(
            error.map { QueryParser.render($0, in: text) }
                == """
                line 1, column 10: expected FROM after the select list, found 'FORM'
                SELECT * FORM users
                         ^
                """)
    }

    @Test func renderShowsTheRightLineOfAMultiLineStatement() {
        let text = "SELECT name\n  FROM users\n  WHERE age >= 18\n    AND name LIKE\n  LIMIT 3"
        let error = #expect(throws: DictDBError.self) { try QueryParser.parse(text) }
        #expect(
            error.map { QueryParser.render($0, in: text) }
                == """
                line 5, column 3: expected a pattern string after LIKE, found 'LIMIT'
                  LIMIT 3
                  ^
                """)
    }

    @Test func renderKeepsTabsAndCountsCharactersNotBytes() {
        let text = "SELECT *\n\tFROM t WHERE a = '日本' AND #"
        let error = #expect(throws: DictDBError.self) { try QueryParser.parse(text) }
        #expect(
            error.map { QueryParser.render($0, in: text) }
                == "line 2, column 28: unexpected character '#' (U+0023)\n"
                + "\tFROM t WHERE a = '日本' AND #\n"
                + "\t" + String(repeating: " ", count: 26) + "^")
    }

    @Test func renderPointsPastTheEndForATruncatedStatement() {
        let text = "DELETE FROM t WHERE a ="
        let error = #expect(throws: DictDBError.self) { try QueryParser.parse(text) }
        #expect(
            error.map { QueryParser.render($0, in: text) }?.hasSuffix(
                "\(text)\n" + String(repeating: " ", count: 23) + "^") == true)
    }

    @Test func renderCutsAVeryLongLineAroundTheCaret() {
        let text = "SELECT * FROM t WHERE a IN (" + Array(repeating: "1", count: 200).joined(separator: ", ") + ", x)"
        let error = #expect(throws: DictDBError.self) { try QueryParser.parse(text) }
        guard let error else { return }
        let lines = QueryParser.render(error, in: text).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("...") && lines[1].count <= 110)
        let caret = lines[2].count - 1
        let shown = Array(lines[1])
        #expect(lines[2].last == "^" && caret < shown.count && shown[caret] == "x")
    }

    @Test func renderWithoutAnOffsetIsTheMessage() {
        let error = DictDBError(.invalidQuery, "something odd")
        #expect(QueryParser.render(error, in: "SELECT") == "something odd")
    }

    // MARK: Limits

    @Test func textOverOneMebibyteIsRejectedBeforeParsing() {
        let text = "SELECT * FROM t WHERE a = '" + String(repeating: "x", count: QueryParser.maximumLength) + "'"
        let error = #expect(throws: DictDBError.self) { try QueryParser.parse(text) }
        #expect(error?.code == .limitExceeded)
        let conditionError = #expect(throws: DictDBError.self) { try QueryParser.parseCondition(text) }
        #expect(conditionError?.code == .limitExceeded)
    }

    @Test func aScriptMayBeLongButEachStatementIsLimited() throws {
        let row = "INSERT INTO t VALUES {\"s\": \"" + String(repeating: "x", count: 1000) + "\"};\n"
        let script = String(repeating: row, count: 1100)
        #expect(script.utf8.count > QueryParser.maximumLength)
        #expect(try QueryParser.parseScript(script).count == 1100)

        let long = "SELECT * FROM t;\nINSERT INTO t VALUES {\"s\": \"" + String(repeating: "x", count: 1 << 20) + "\"}"
        let error = #expect(throws: DictDBError.self) { try QueryParser.parseScript(long) }
        #expect(error?.code == .limitExceeded)
        #expect(error?.context.offset == 17)
    }

    @Test func parenthesesNestUpTo256Levels() throws {
        let ok = String(repeating: "(", count: 256) + "a = 1" + String(repeating: ")", count: 256)
        #expect(try QueryParser.parseCondition(ok).description == "a = 1")
        let deep = String(repeating: "(", count: 257) + "a = 1" + String(repeating: ")", count: 257)
        let error = #expect(throws: DictDBError.self) { try QueryParser.parseCondition(deep) }
        #expect(error?.code == .limitExceeded)
        #expect(error?.context.offset == 256)
    }

    @Test func negationsNestUpTo256Levels() throws {
        let ok = String(repeating: "NOT ", count: 256) + "a = 1"
        #expect(try QueryParser.parseCondition(ok) == (0..<256).reduce(Field("a") == 1) { c, _ in .not(c) })
        let error = #expect(throws: DictDBError.self) {
            try QueryParser.parseCondition(String(repeating: "NOT ", count: 257) + "a = 1")
        }
        #expect(error?.code == .limitExceeded)
        let expected: Int64 = 256 * 4
        #expect(error?.context.offset == expected)
    }

    @Test func parenthesesAndNegationsShareTheDepthButSiblingsDoNot() throws {
        let mixed = String(repeating: "NOT (", count: 128) + "a = 1" + String(repeating: ")", count: 128)
        #expect(throws: Never.self) { try QueryParser.parseCondition(mixed) }
        let tooDeep = String(repeating: "NOT (", count: 129) + "a = 1" + String(repeating: ")", count: 129)
        #expect(throws: DictDBError.self) { try QueryParser.parseCondition(tooDeep) }
        let wide = Array(repeating: "(NOT (a = 1))", count: 1000).joined(separator: " AND ")
        guard case .and(let parts) = try QueryParser.parseCondition(wide) else {
            Issue.record("not an AND")
            return
        }
        #expect(parts.count == 1000)
    }

    @Test func hugeNestingGivesATypedErrorNotAStackOverflow() {
        for text in [
            String(repeating: "(", count: 200_000), String(repeating: "NOT ", count: 200_000),
            "a = " + String(repeating: "[", count: 200_000), "a = " + String(repeating: "{\"k\":", count: 100_000),
        ] {
            let error = #expect(throws: DictDBError.self) { try QueryParser.parseCondition(text) }
            #expect(error?.code == .limitExceeded)
        }
    }

    @Test func jsonLiteralsNestUpTo256Levels() throws {
        let ok = "a = " + String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        #expect(throws: Never.self) { try QueryParser.parseCondition(ok) }
        let deep = "a = " + String(repeating: "[", count: 257) + String(repeating: "]", count: 257)
        let error = #expect(throws: DictDBError.self) { try QueryParser.parseCondition(deep) }
        #expect(error?.code == .limitExceeded)
        let expected: Int64 = 4 + 256
        #expect(error?.context.offset == expected)
    }
}
