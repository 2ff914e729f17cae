import DictDB

/// Runs query-language text against a database, keeping the text with any error so the report can point
/// at the offending token.
enum StatementRunner {
    /// Parses `text` as one statement.
    static func parse(_ text: String) throws(StatementFailure) -> Statement {
        do {
            return try QueryParser.parse(text)
        } catch {
            throw StatementFailure(error: error, statement: text)
        }
    }

    /// Parses `text` as a script of `;`-separated statements.
    static func parseScript(_ text: String) throws(StatementFailure) -> [Statement] {
        do {
            return try QueryParser.parseScript(text)
        } catch {
            throw StatementFailure(error: error, statement: text)
        }
    }

    /// Parses `text` as a condition (the `--where` options).
    static func parseCondition(_ text: String) throws(StatementFailure) -> Condition {
        do {
            return try QueryParser.parseCondition(text)
        } catch {
            throw StatementFailure(error: error, statement: text)
        }
    }

    /// Refuses a statement that writes when the database is a snapshot file.
    static func checkWritable(_ statement: Statement, in opened: OpenedDatabase) throws(CommandFailure) {
        if opened.isSnapshot && !statement.isReadOnly {
            throw CommandFailure(
                .usage,
                "\(opened.path) is a snapshot file, which is read-only here; "
                    + "load it into a database directory with 'dictdb load \(opened.path)'")
        }
    }
}
