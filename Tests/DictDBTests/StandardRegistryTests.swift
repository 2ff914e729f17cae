import DictDB
import Testing

@Suite struct StandardRegistryTests {
    @Test func theStandardRegistryHasEveryBuiltIn() {
        let registry = Registry.standard
        #expect(registry.names(of: .indexKind) == ["composite", "hash", "sorted", "unique"])
        #expect(registry.names(of: .codec) == ["json", "msgpack"])
        #expect(registry.names(of: .compressor) == ["gzip", "lz4"])
        #expect(registry.names(of: .keyGenerator) == ["autoincrement", "uuid", "uuid7"])
        #expect(registry.names(of: .syncPolicy) == ["always", "batch", "os"])
    }

    @Test func registeredCompressorsRoundTripThroughTheRegistry() throws {
        let registry = Registry.standard
        let payload = Array("DictDB ".utf8) + Array(repeating: 7, count: 10_000)
        for name in registry.names(of: .compressor) {
            let compressor = try registry.compressor(named: name)
            #expect(try compressor.decompress(compressor.compress(payload)) == payload)
        }
    }
}

/// The README's five-minute tour, kept compiling and correct.
@Suite struct ReadmeTourTests {
    struct Book: Codable, Equatable {
        var id: Int64?
        var title: String
        var year: Int
    }

    @Test func theTourRunsAsDocumented() throws {
        let db = Database()
        let users = try db.createTable("users")
        try users.createIndex(on: "email", kind: "unique")
        try users.createIndex(on: "dept")

        let id = try users.insert(["name": "Ada", "email": "ada@example.com", "dept": "eng", "age": 36])
        try users.insertBatch([
            ["name": "Grace", "email": "grace@example.com", "dept": "eng", "age": 45],
            ["name": "Alan", "email": "alan@example.com", "dept": "research", "age": 41],
        ])
        #expect(id == 1)

        let engineers = try users.select(
            Query(Field("dept") == "eng" && Field("age") > 30).orderBy(.descending("age")).select("name", "age"))
        #expect(engineers == [["name": "Grace", "age": 45], ["name": "Ada", "age": 36]])
        #expect(
            try users.explain(Query(Field("dept") == "eng")).description
                == "INDEX users.dept_hash (= \"eng\") ~2 rows WHERE dept = 'eng'")

        try users.update(set: ["age": 37], where: Field("name") == "Ada")
        try users.upsert(["id": 3, "dept": "eng"])
        let perDept = try users.aggregate(AggregateQuery().groupBy("dept").compute(.count(), .average("age")))
        #expect(perDept == [["dept": "eng", "count": 3, "avg(age)": 41.0]])

        do {
            try users.insert(["name": "Imposter", "email": "ada@example.com"])
            Issue.record("expected a unique violation")
        } catch DictDBError.uniqueViolation {
            // the README shows this catch
        }

        try db.transaction { tx in
            let staff = try tx.table("users")
            try staff.update(set: ["dept": "research"], where: Field("name") == "Grace")
            try staff.insert(["name": "Edsger", "email": "edsger@example.com", "dept": "research"])
        }
        #expect(try users.count(where: Field("dept") == "research") == 2)

        let directory = try TemporaryDirectory()
        try db.save(to: directory.file("tour.dictdb"), codec: "msgpack+lz4")
        let copy = try Database.load(from: directory.file("tour.dictdb"))
        #expect(try copy.table("users").select() == users.select())

        let books = try db.createTable("books")
        try books.insert(Book(id: nil, title: "Notes", year: 1843))
        #expect(try books.select(as: Book.self) == [Book(id: 1, title: "Notes", year: 1843)])
        #expect(try users.delete(where: Field("dept") == "research") == 2)
    }
}
