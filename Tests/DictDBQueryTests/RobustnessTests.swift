import DictDBAPI
import DictDBQuery
import PropertyBased
import Testing

/// Hostile text never traps: random bytes, token soup, truncations and mutations of valid statements all
/// give a statement or a typed error whose offset lies inside the text and renders with a caret.
@Suite struct RobustnessTests {
    static let validStatements = [
        "SELECT DISTINCT a, b AS c FROM t WHERE a >= 1 AND (b IN (1, 'x') OR NOT c LIKE 'a%' ESCAPE '!') "
            + "ORDER BY a DESC, b LIMIT 10 OFFSET 2",
        "SELECT dept, COUNT(*) AS n, AVG(salary) FROM staff WHERE x BETWEEN 1.5 AND 2e3 GROUP BY dept ORDER BY n DESC",
        #"INSERT INTO t VALUES {"a": [1, 2.0, {"b": null}], "s": "x\"y\u00e9"}, {"c": true}"#,
        "INSERT INTO t (a, \"b c\") VALUES (1, 'it''s'), (-2, [true, false])",
        "UPDATE t SET a = 1, b = 'x' WHERE STARTS_WITH(name, 'A', NOCASE) OR CONTAINS(tags, 'x')",
        "DELETE FROM t WHERE a IS NOT NULL AND b NOT IN () AND ENDS_WITH(c, 'z')",
        "CREATE TABLE IF NOT EXISTS users PRIMARY KEY email KEYS uuid7",
        "CREATE UNIQUE INDEX i ON t (a, b) USING sorted", "DROP INDEX i ON t", "DROP TABLE IF EXISTS t",
        "EXPLAIN SELECT * FROM t WHERE a = 1 -- comment\n AND b <> 2;",
    ]

    /// Checks that a failure is well-formed: its offset lies in the text and it renders with a caret.
    private static func checkOutcome(of text: String, _ parse: (String) throws(DictDBError) -> Void) {
        do {
            try parse(text)
        } catch {
            #expect(error.code == .invalidQuery || error.code == .limitExceeded, "\(error)")
            guard let offset = error.context.offset else {
                Issue.record("no offset: \(error) for \(text.debugDescription)")
                return
            }
            #expect(offset >= 0 && offset <= Int64(text.count), "offset \(offset) of \(text.debugDescription)")
            #expect(!error.message.isEmpty)
            #expect(QueryParser.render(error, in: text).hasSuffix("^"))
        }
    }

    private static func checkAllEntryPoints(_ text: String) {
        checkOutcome(of: text) { text throws(DictDBError) in _ = try QueryParser.parse(text) }
        checkOutcome(of: text) { text throws(DictDBError) in _ = try QueryParser.parseScript(text) }
        checkOutcome(of: text) { text throws(DictDBError) in _ = try QueryParser.parseCondition(text) }
    }

    @Test func everyValidStatementParses() throws {
        for text in Self.validStatements {
            #expect(throws: Never.self, "\(text)") { try QueryParser.parse(text) }
        }
        #expect(try QueryParser.parseScript(Self.validStatements.joined(separator: ";\n")).count == 11)
    }

    @Test func everyTruncationOfAValidStatementParsesOrFailsCleanly() {
        for text in Self.validStatements {
            var prefix = ""
            for character in text {
                Self.checkAllEntryPoints(prefix)
                prefix.append(character)
            }
        }
    }

    @Test func randomBytesParseOrFailCleanly() async {
        await propertyCheck(count: 400, input: Gen<UInt64>.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let alphabet = Array("()[]{},;*=!<>-+.'\"\\ \n\t_aZ09eE%:é\u{301}😀".utf8)
            var bytes: [UInt8] = []
            for _ in 0..<rng.int(0...120) {
                bytes.append(rng.chance(0.7) ? rng.pick(alphabet) : UInt8(truncatingIfNeeded: rng.next()))
            }
            Self.checkAllEntryPoints(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func tokenSoupParsesOrFailsCleanly() async {
        let vocabulary = [
            "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "LIMIT", "OFFSET", "AND", "OR", "NOT", "IN", "IS",
            "NULL",
            "BETWEEN", "LIKE", "ILIKE", "ESCAPE", "TRUE", "FALSE", "INSERT", "INTO", "VALUES", "UPDATE", "SET",
            "DELETE",
            "CREATE", "TABLE", "INDEX", "UNIQUE", "ON", "USING", "DROP", "IF", "EXISTS", "EXPLAIN", "PRIMARY", "KEY",
            "KEYS", "AS", "ASC", "DESC", "DISTINCT", "COUNT", "SUM", "AVG", "MIN", "MAX", "STARTS_WITH", "CONTAINS",
            "NOCASE", "a", "t", "\"q f\"", "'s'", "'%'", "1", "-2", "3.5", "1e3", "[1]", "{\"k\": 2}", "(", ")", ",",
            ";", "*", "=", "!=", "<>", "<", "<=", ">", ">=", "--x\n",
        ]
        await propertyCheck(count: 600, input: Gen<UInt64>.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let words = (0..<rng.int(0...30)).map { _ in rng.pick(vocabulary) }
            Self.checkAllEntryPoints(words.joined(separator: rng.chance(0.8) ? " " : ""))
        }
    }

    @Test func mutationsOfValidStatementsParseOrFailCleanly() async {
        await propertyCheck(count: 400, input: Gen<UInt64>.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            var characters = Array(rng.pick(Self.validStatements))
            for _ in 0..<rng.int(1...4) where !characters.isEmpty {
                let i = rng.int(0...characters.count - 1)
                switch rng.int(0...2) {
                case 0: characters.remove(at: i)
                case 1: characters.insert(rng.pick(Array("()'\",;[]{}-\\ é")), at: i)
                default: characters[i] = rng.pick(Array("()'\",;[]{}-a1 "))
                }
            }
            Self.checkAllEntryPoints(String(characters))
        }
    }
}
