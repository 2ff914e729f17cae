import DictDB
import DictDBToolSupport

/// One way a record breaks the schema.
struct Finding {
    /// The field concerned (`(record)` when the engine names none).
    var field: String
    /// The rule broken, such as `type mismatch` or `validator range 0.0...150.0`.
    var rule: String
    /// What was found, and what was expected when that helps.
    var detail: String
}

/// Audits records against a schema with the engine's own enforcement.
///
/// Three kinds of scratch in-memory tables, made from the same registry as `dictdb import` uses:
/// - the whole table (primary key, key generator, the full schema and its unique indexes): its verdict on
///   each record is the import's, records it accepts stay so later duplicates are caught;
/// - one table per field rule, holding only that rule (open mode), so a record that breaks several rules
///   shows each of them and not only the first one the engine meets;
/// - for a primary key the schema does not name, a schemaless table of keys alone.
/// Unknown fields of a strict schema are the record's fields the schema does not name (other than the
/// primary key): the rule the engine applies.
final class Auditor {
    private let schema: Schema
    private let primaryKey: String
    private let whole: Table
    private let rules: [(rule: FieldRule, table: Table)]
    private let keys: Table?
    private var audited = 0

    /// Sets up the scratch tables for `schema`.
    /// - Throws: ``DictDBError/Code/invalidArgument`` for a schema the engine refuses (a field named twice,
    ///   a default that breaks its own rule), ``DictDBError/Code/unknownPlugin`` for the key generator.
    init(schema: Schema, primaryKey: String, keyGenerator: String, table name: String) throws(DictDBError) {
        self.schema = schema
        self.primaryKey = primaryKey
        let db = Database()
        whole = try db.createTable(name, primaryKey: primaryKey, keyGenerator: keyGenerator, schema: schema)
        var rules: [(rule: FieldRule, table: Table)] = []
        for (number, rule) in schema.fields.enumerated() {
            let alone = Schema(fields: [rule], mode: .open, coercion: schema.coercion)
            let table = try db.createTable(
                "\(name) rule \(number)", primaryKey: primaryKey, keyGenerator: keyGenerator, schema: alone)
            rules.append((rule, table))
        }
        self.rules = rules
        keys =
            schema.rule(for: primaryKey) == nil
            ? try db.createTable("\(name) keys", primaryKey: primaryKey, keyGenerator: keyGenerator) : nil
    }

    /// The ways `record` breaks the schema (empty when an import would accept it here).
    func audit(_ record: Record) -> [Finding] {
        audited += 1
        var verdict: DictDBError?
        do {
            try whole.insert(record)
        } catch {
            verdict = error
        }
        var findings: [Finding] = []
        for (rule, table) in rules {
            let value = record[field: rule.name]
            var projection = Record()
            if let value { projection[rule.name] = value }
            do {
                try table.insert(projection)
            } catch {
                findings.append(classify(error, rule: rule, value: value))
            }
        }
        if let keys, let key = record[field: primaryKey], !key.isNull {
            do {
                try keys.insert([primaryKey: key])
            } catch {
                findings.append(classify(error, rule: nil, value: key))
            }
        }
        if schema.mode == .strict {
            for (name, value) in record where schema.rule(for: name) == nil && name != primaryKey {
                findings.append(
                    Finding(field: name, rule: "unknown field (strict)", detail: "found \(Self.short(value))"))
            }
        }
        if let verdict, findings.isEmpty {
            findings.append(classify(verdict, rule: schema.rule(for: verdict.context.field ?? ""), value: nil))
        }
        if audited % 8192 == 0 { trimRuleTables() }
        return findings
    }

    /// Empties the per-rule tables whose contents later records are not checked against (rules that are not
    /// unique and not the primary key), so memory stays bounded on large files.
    private func trimRuleTables() {
        for (rule, table) in rules where !rule.unique && rule.name != primaryKey {
            _ = try? table.deleteAll()
        }
    }

    /// Names the rule an engine error reports.
    private func classify(_ error: DictDBError, rule: FieldRule?, value: Value?) -> Finding {
        let field = rule?.name ?? error.context.field ?? (error.code == .duplicateKey ? primaryKey : "(record)")
        let found = error.context.found ?? value.map(Self.short) ?? "nothing"
        switch error.code {
        case .schemaViolation:
            guard let rule else { return Finding(field: field, rule: "schema", detail: error.message) }
            guard let value else {
                return Finding(field: field, rule: "missing required field", detail: "expected \(rule.type.rawValue)")
            }
            if value.isNull {
                return Finding(field: field, rule: "null in non-nullable", detail: "expected \(rule.type.rawValue)")
            }
            if let validator = rule.validators.first(where: { $0.name == error.context.expected }) {
                return Finding(field: field, rule: "validator \(validator.name)", detail: "found \(Self.short(found))")
            }
            if error.context.expected == "no such field" {
                return Finding(field: field, rule: "unknown field (strict)", detail: "found \(Self.short(found))")
            }
            return Finding(
                field: field, rule: "type mismatch",
                detail: "found \(value.typeName) \(Self.short(found)), expected \(rule.type.rawValue)")
        case .uniqueViolation:
            return Finding(field: field, rule: "duplicate in unique field", detail: "found \(Self.short(found))")
        case .duplicateKey:
            return Finding(field: primaryKey, rule: "duplicate primary key", detail: "found \(Self.short(found))")
        case .invalidKey:
            return Finding(field: primaryKey, rule: "invalid primary key", detail: error.message)
        default:
            return Finding(field: field, rule: error.code.rawValue, detail: error.message)
        }
    }

    /// A value for a message, at most 40 characters.
    private static func short(_ value: Value) -> String {
        short(value.description)
    }

    /// Text for a message, at most 40 characters.
    private static func short(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(37)) + "..." : text
    }
}
