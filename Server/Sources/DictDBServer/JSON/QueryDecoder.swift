import DictDB

/// Maps the JSON query form onto ``Query``.
///
/// ```json
/// {"where": {"field": "age", "op": ">", "value": 30}, "orderBy": [{"field": "age", "descending": true}],
///  "select": ["name", {"field": "age", "as": "years"}], "limit": 10, "offset": 0, "distinct": false}
/// ```
///
/// `orderBy` entries are a field name (ascending) or `{"field", "descending"}`; `select` entries are a field
/// name or `{"field", "as"}`. Every member is optional; unknown members are errors.
enum QueryDecoder {
    /// Decodes the members of a query body; `extra` names further members the caller reads itself.
    static func decode(_ fields: inout BodyFields) throws(DictDBError) -> Query {
        var query = Query()
        if let condition = fields.value("where") {
            query = query.where(try ConditionDecoder.decode(condition))
        }
        if let ordering = try fields.array("orderBy") {
            var keys: [SortKey] = []
            for entry in ordering { keys.append(try sortKey(entry)) }
            query = query.orderBy(keys)
        }
        if let projection = try fields.array("select") {
            var projected: [ProjectedField] = []
            for entry in projection { projected.append(try projectedField(entry)) }
            query = query.select(projected)
        }
        if let limit = try fields.int("limit", in: 0...Int(Int32.max)) { query = query.limit(limit) }
        if let offset = try fields.int("offset", in: 0...Int(Int32.max)) { query = query.offset(offset) }
        if let distinct = try fields.bool("distinct") { query = query.distinct(distinct) }
        try query.validate()
        return query
    }

    private static func sortKey(_ entry: Value) throws(DictDBError) -> SortKey {
        switch entry {
        case .string(let field):
            return SortKey(field)
        case .object(let object):
            var fields = BodyFields(object, what: "an orderBy entry")
            guard let field = try fields.string("field") else {
                throw DictDBError(.invalidQuery, "an orderBy entry needs \"field\"")
            }
            let descending = try fields.bool("descending") ?? false
            try fields.finish()
            return SortKey(field, descending: descending)
        default:
            throw DictDBError(.invalidQuery, "an orderBy entry is a field name or {\"field\", \"descending\"}")
        }
    }

    private static func projectedField(_ entry: Value) throws(DictDBError) -> ProjectedField {
        switch entry {
        case .string(let field):
            return ProjectedField(field)
        case .object(let object):
            var fields = BodyFields(object, what: "a select entry")
            guard let field = try fields.string("field") else {
                throw DictDBError(.invalidQuery, "a select entry needs \"field\"")
            }
            let alias = try fields.string("as")
            try fields.finish()
            return ProjectedField(field, as: alias)
        default:
            throw DictDBError(.invalidQuery, "a select entry is a field name or {\"field\", \"as\"}")
        }
    }
}
