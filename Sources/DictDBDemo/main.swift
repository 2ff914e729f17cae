import DictDB

// A short walk through DictDB: a table with a schema, indexes, inserts, queries, an upsert, an update,
// aggregates, and the typed errors a bad call gets. Run with `swift run dictdb-demo`.

func show(_ title: String, _ rows: [Record]) {
    print("\n== \(title) (\(rows.count) \(rows.count == 1 ? "row" : "rows"))")
    for row in rows { print("  \(row)") }
}

func run() throws(DictDBError) {
    let db = Database()
    let staff = try db.createTable(
        "staff",
        schema: Schema(fields: [
            FieldRule("name", .string, nullable: false, validators: [.length(1...64)]),
            FieldRule("email", .string, nullable: false, unique: true),
            FieldRule("dept", .string, nullable: false),
            FieldRule("age", .int, validators: [.range(16...100)]),
            FieldRule("salary", .double),
        ]))
    try staff.createIndex(on: "dept")

    let departments = ["engineering", "sales", "research", "support"]
    let names = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Radia", "Ken", "Leslie"]
    var batch: [Record] = []
    for (i, name) in names.enumerated() {
        batch.append([
            "name": .string(name),
            "email": .string("\(name.lowercased())@example.com"),
            "dept": .string(departments[i % departments.count]),
            "age": .int(Int64(28 + (i * 7) % 40)),
            "salary": .double(52_000 + Double(i) * 7_250.5),
        ])
    }
    let keys = try staff.insertBatch(batch)
    print("inserted \(keys.count) staff records, keys \(keys.first ?? .null)...\(keys.last ?? .null)")

    let engineering = Query(Field("dept") == "engineering").orderBy(.descending("salary"))
    print("\nplan: \(try staff.explain(engineering))")
    show("engineering by salary", try staff.select(engineering.select("name", .field("salary", as: "pay"))))

    show(
        "over 40 with a name starting with A or D",
        try staff.select(
            Query(Field("age") > 40 && (Field("name").hasPrefix("A") || Field("name").like("D%")))
                .orderBy("age")))

    try staff.upsert(["id": 1, "age": 37])
    try staff.update(set: ["dept": "research"], where: Field("name") == "Ken")
    show("record 1 after an upsert that merged age 37", [try staff.get(1)].compactMap { $0 })

    show(
        "head count and average salary per department",
        try staff.aggregate(
            AggregateQuery().groupBy("dept").compute(.count(), .average("salary", as: "avg_salary"), .max("age"))))

    print("\n== typed errors")
    do {
        try staff.insert(["name": "Ada again", "email": "ada@example.com", "dept": "sales"])
    } catch {
        print("  \(error)")
    }
    do {
        try staff.insert(["name": "Nobody", "email": "n@example.com", "dept": "sales", "age": "old"])
    } catch {
        print("  \(error)")
    }
    do {
        _ = try db.table("payroll")
    } catch {
        print("  \(error)")
    }
    print("\n\(try staff.count(where: .all)) records in 'staff'; nothing above changed them after the errors.")
}

do {
    try run()
} catch {
    print("demo failed: \(error)")
}
