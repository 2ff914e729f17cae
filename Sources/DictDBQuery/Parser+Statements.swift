import DictDBAPI

// Statements other than SELECT (see Parser+Select.swift):
//
//   INSERT INTO t VALUES {json} [, {json}]...          (or one JSON array of objects)
//   INSERT INTO t (a, b) VALUES (1, 'x') [, (2, 'y')]...
//   UPDATE t SET a = 1 [, b = 'x']... [WHERE cond]
//   DELETE FROM t [WHERE cond]
//   CREATE TABLE [IF NOT EXISTS] t [PRIMARY KEY k] [KEYS generator]
//   CREATE [UNIQUE] INDEX [name] ON t (a [, b]...) [USING kind]
//   DROP TABLE [IF EXISTS] t
//   DROP INDEX name ON t
//   EXPLAIN SELECT ...

extension Parser {
    /// Reads one statement; the caller checks what follows it.
    mutating func statement() throws(DictDBError) -> Statement {
        let token = try peek()
        switch token.keyword {
        case "SELECT": return try select()
        case "INSERT": return try insert()
        case "UPDATE": return try update()
        case "DELETE": return try delete()
        case "CREATE": return try create()
        case "DROP": return try drop()
        case "EXPLAIN":
            try advance()
            let inner = try peek()
            guard inner.isKeyword("SELECT") else { throw unexpected(inner, expected: "SELECT after EXPLAIN") }
            return .explain(try select())
        default:
            throw unexpected(
                token, expected: "a statement (SELECT, INSERT, UPDATE, DELETE, CREATE, DROP or EXPLAIN)")
        }
    }

    // MARK: INSERT

    private mutating func insert() throws(DictDBError) -> Statement {
        try advance()
        try expect(keyword: "INTO", "after INSERT")
        let table = try name("a table name", "after INSERT INTO")
        var columns: [String]?
        if try accept(.leftParenthesis) {
            columns = try nameList("a column name", "after '('", list: "the column list")
            try expect(.rightParenthesis, "to close the column list")
        }
        try expect(keyword: "VALUES", columns == nil ? "after the table name" : "after the column list")
        var records: [Record] = []
        repeat {
            if let columns {
                records.append(try row(columns: columns, number: records.count + 1))
            } else {
                records += try jsonRecords(context: records.isEmpty ? "after VALUES" : "after ','")
            }
        } while try accept(.comma)
        try expectEndOfStatement(orOneOf: ["','"])
        return .insert(table: table, records: records)
    }

    /// Reads `(v1, v2, ...)` for the given columns.
    private mutating func row(columns: [String], number: Int) throws(DictDBError) -> Record {
        let open = try expect(.leftParenthesis, number == 1 ? "after VALUES" : "before the next row of values")
        var values: [Value] = []
        repeat {
            values.append(try literal(values.isEmpty ? "after '('" : "after ','"))
        } while try accept(.comma)
        try expect(.rightParenthesis, "to close the row of values")
        guard values.count == columns.count else {
            throw SyntaxError.invalid(
                "row \(number) has \(values.count) value\(values.count == 1 ? "" : "s") for \(columns.count) "
                    + "column\(columns.count == 1 ? "" : "s")", at: open.offset,
                found: "\(values.count) values", expected: "\(columns.count) values")
        }
        // The column list has no repeats, so every row can share its name array.
        return Record(sharedFieldNames: columns, values: values)
    }

    /// Reads a JSON object, or a JSON array of objects, as records.
    private mutating func jsonRecords(context: String) throws(DictDBError) -> [Record] {
        let token = try peek()
        switch token.kind {
        case .json(.object(let record)):
            try advance()
            return [record]
        case .json(.array(let elements)):
            var records: [Record] = []
            for (i, element) in elements.enumerated() {
                guard case .object(let record) = element else {
                    throw SyntaxError.invalid(
                        "element \(i + 1) of the JSON array after VALUES is \(element.typeName), not an object",
                        at: token.offset, found: element.typeName, expected: "object")
                }
                records.append(record)
            }
            try advance()
            return records
        case .symbol(.leftParenthesis):
            throw unexpected(
                token, expected: "a JSON object \(context)",
                hint: " (a row in parentheses needs a column list: INSERT INTO t (a, b) VALUES (1, 'x'))")
        default:
            throw unexpected(token, expected: "a JSON object \(context)")
        }
    }

    // MARK: UPDATE and DELETE

    private mutating func update() throws(DictDBError) -> Statement {
        try advance()
        let table = try name("a table name", "after UPDATE")
        try expect(keyword: "SET", "after the table name")
        var fields: [String] = []
        var values: [Value] = []
        var seen = Set<String>()
        repeat {
            let token = try peek()
            let field = try name("a field name", fields.isEmpty ? "after SET" : "after ','")
            guard seen.insert(field).inserted else {
                throw SyntaxError.invalid("SET assigns field '\(field)' twice", at: token.offset, found: field)
            }
            try expect(.equal, "after '\(field)' in SET")
            fields.append(field)
            values.append(try literal("after '='"))
        } while try accept(.comma)
        let assignments = Record(sharedFieldNames: fields, values: values)
        let condition = try optionalWhere()
        try expectEndOfStatement(orOneOf: condition == nil ? ["','", "WHERE"] : ["AND", "OR"])
        return .update(table: table, set: assignments, condition: condition ?? .all)
    }

    private mutating func delete() throws(DictDBError) -> Statement {
        try advance()
        try expect(keyword: "FROM", "after DELETE")
        let table = try name("a table name", "after DELETE FROM")
        let condition = try optionalWhere()
        try expectEndOfStatement(orOneOf: condition == nil ? ["WHERE"] : ["AND", "OR"])
        return .delete(table: table, condition: condition ?? .all)
    }

    /// Reads `WHERE condition` if present.
    mutating func optionalWhere() throws(DictDBError) -> Condition? {
        guard try accept(keyword: "WHERE") else { return nil }
        return try condition("after WHERE")
    }

    // MARK: CREATE and DROP

    private mutating func create() throws(DictDBError) -> Statement {
        try advance()
        if try accept(keyword: "TABLE") { return try createTable() }
        let unique = try accept(keyword: "UNIQUE")
        let token = try peek()
        guard token.isKeyword("INDEX") else {
            throw unexpected(
                token, expected: unique ? "INDEX after CREATE UNIQUE" : "TABLE, INDEX or UNIQUE after CREATE")
        }
        try advance()
        var indexName: String?
        if !(try peek().isKeyword("ON")) { indexName = try name("an index name or ON", "after INDEX") }
        try expect(keyword: "ON", indexName == nil ? "after INDEX" : "after the index name")
        let table = try name("a table name", "after ON")
        try expect(.leftParenthesis, "after the table name")
        let fields = try nameList("a field name", "after '('", list: "the index's fields")
        try expect(.rightParenthesis, "to close the field list")
        var kind = fields.count > 1 ? "composite" : "hash"
        let hasKind = try accept(keyword: "USING")
        if hasKind { kind = try name("an index kind (hash, sorted, composite, unique...)", "after USING") }
        try expectEndOfStatement(orOneOf: hasKind ? [] : ["USING"])
        return .createIndex(table: table, name: indexName, fields: fields, kind: kind, unique: unique)
    }

    private mutating func createTable() throws(DictDBError) -> Statement {
        var ifNotExists = false
        if try accept(keyword: "IF") {
            try expect(keyword: "NOT", "after IF")
            try expect(keyword: "EXISTS", "after IF NOT")
            ifNotExists = true
        }
        let table = try name("a table name", ifNotExists ? "after IF NOT EXISTS" : "after CREATE TABLE")
        var primaryKey: String?
        var keyGenerator: String?
        while true {
            if primaryKey == nil, try accept(keyword: "PRIMARY") {
                try expect(keyword: "KEY", "after PRIMARY")
                primaryKey = try name("a field name", "after PRIMARY KEY")
            } else if keyGenerator == nil, try accept(keyword: "KEYS") {
                keyGenerator = try name("a key generator name (autoincrement, uuid, uuid7...)", "after KEYS")
            } else {
                break
            }
        }
        var alternatives: [String] = []
        if primaryKey == nil { alternatives.append("PRIMARY KEY") }
        if keyGenerator == nil { alternatives.append("KEYS") }
        try expectEndOfStatement(orOneOf: alternatives)
        return .createTable(name: table, primaryKey: primaryKey, keyGenerator: keyGenerator, ifNotExists: ifNotExists)
    }

    private mutating func drop() throws(DictDBError) -> Statement {
        try advance()
        if try accept(keyword: "TABLE") {
            var ifExists = false
            if try accept(keyword: "IF") {
                try expect(keyword: "EXISTS", "after IF")
                ifExists = true
            }
            let table = try name("a table name", ifExists ? "after IF EXISTS" : "after DROP TABLE")
            try expectEndOfStatement(orOneOf: [])
            return .dropTable(name: table, ifExists: ifExists)
        }
        let token = try peek()
        guard token.isKeyword("INDEX") else { throw unexpected(token, expected: "TABLE or INDEX after DROP") }
        try advance()
        let index = try name("an index name", "after DROP INDEX")
        try expect(keyword: "ON", "after the index name")
        let table = try name("a table name", "after ON")
        try expectEndOfStatement(orOneOf: [])
        return .dropIndex(table: table, name: index)
    }
}
