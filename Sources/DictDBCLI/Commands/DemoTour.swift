import DictDB

/// The steps of `dictdb demo`, each printed with the statements it runs and what they return.
struct DemoTour {
    let console: Console
    let path: String
    let backups: String
    let records: Int
    let sync: String?

    private var printer: RowPrinter { RowPrinter(console: console, format: .table) }

    func run() async throws {
        var options = OpenOptions()
        options.syncPolicy = sync
        let db = try Database.open(at: path, options: options)
        do {
            try PosixFileSystem().replaceAtomically(FilePath.join(path, DemoCommand.marker)) {
                (_) throws(DictDBError) in
            }
            try await tour(db)
            try db.close()
        } catch {
            try? db.close()
            throw error
        }
        heading("Done")
        console.print("The demo database stays at \(path); explore it with:")
        console.print("  dictdb tables --db \(path)")
        console.print("  dictdb query \"SELECT dept, COUNT(*) AS people FROM staff GROUP BY dept\" --db \(path)")
        console.print("  dictdb repl --db \(path)")
    }

    private func tour(_ db: Database) async throws {
        let status = db.journalStatus
        heading("1. An on-disk database")
        console.print(
            "\(path): codec \(status?.codec ?? "?"), journal \(status?.journalFormat ?? "?"), sync policy "
                + "\(status?.syncPolicy ?? "?"). Every write below is in the journal before it returns.")

        heading("2. Tables with a schema, and indexes")
        let staff = try db.createTable(
            "staff",
            schema: Schema(fields: [
                FieldRule("name", .string, nullable: false, validators: [.length(1...64)]),
                FieldRule("email", .string, nullable: false, unique: true),
                FieldRule("dept", .string, nullable: false),
                FieldRule("age", .int, validators: [.range(16...100)]),
                FieldRule("salary", .double),
            ]))
        console.print("staff: name (string, 1-64 chars), email (unique), dept, age (16-100), salary (double)")
        try statement(db, "CREATE INDEX ON staff (dept)")
        try statement(db, "CREATE INDEX ON staff (salary) USING sorted")
        try statement(db, "CREATE TABLE departments PRIMARY KEY code")

        heading("3. Inserts: \(ProgressBar.grouped(records)) staff records in one batch")
        let generated = DemoData.staff(count: records)
        let keys = try staff.insertBatch(generated)
        console.print("inserted keys \(keys.first ?? .null)...\(keys.last ?? .null)")
        try statement(db, DemoData.departmentsInsert)

        heading("4. Queries, and the plans that serve them")
        try statement(db, "EXPLAIN SELECT * FROM staff WHERE dept = 'research'")
        try statement(db, "SELECT name, age, salary FROM staff WHERE dept = 'research' ORDER BY salary DESC LIMIT 5")
        try statement(db, "EXPLAIN SELECT name, salary FROM staff WHERE salary BETWEEN 120000 AND 121000")
        try statement(db, "SELECT name, salary FROM staff WHERE salary BETWEEN 120000 AND 121000 ORDER BY salary")
        try statement(
            db,
            "SELECT dept, COUNT(*) AS people, AVG(salary) AS avg_salary, MAX(age) AS oldest FROM staff "
                + "GROUP BY dept ORDER BY people DESC")
        try statement(db, "SELECT name, email FROM staff WHERE name LIKE 'Ada%' AND age >= 60 LIMIT 3")

        heading("5. A transaction: all of it or none of it")
        let first = try staff.get(1)
        console.print("before: \(first.map(Self.brief) ?? "no record 1")")
        try db.transaction { (tx) throws in
            let people = try tx.table("staff")
            try people.update(key: 1, set: ["dept": "research", "salary": 150_000.0])
            try people.update(key: 2, set: ["dept": "research"])
        }
        console.print("after a committed transaction (record 1 moved with a raise, record 2 moved):")
        console.print("  \(try staff.get(1).map(Self.brief) ?? "")")
        do {
            try db.transaction { (tx) throws in
                let people = try tx.table("staff")
                try people.update(key: 1, set: ["salary": 1_000_000.0])
                // Record 2's email is taken: the unique rule fails, and the whole transaction rolls back.
                try people.update(key: 3, set: ["email": try staff.get(2)?["email"] ?? .null])
            }
        } catch {
            console.print("a transaction that failed: \(error)")
        }
        console.print("record 1 is unchanged by it: \(try staff.get(1).map(Self.brief) ?? "")")

        heading("6. A compressed, verified backup")
        var configuration = BackupConfiguration()
        configuration.codec = "msgpack+lz4"
        configuration.interval = nil
        configuration.retention = RetentionPolicy(keepCount: 3)
        let manager = BackupManager(source: db, directory: backups, configuration: configuration)
        guard case .succeeded(let backup) = await manager.backupNow(force: true) else {
            throw CommandFailure(.ioError, "the demo backup failed: \(manager.status.lastResult.map { "\($0)" } ?? "")")
        }
        try PosixFileSystem().replaceAtomically(FilePath.join(backups, DemoCommand.marker)) { (_) throws(DictDBError) in
        }
        let snapshotBytes = try db.checkpoint().bytes
        console.print(
            "\(FilePath.fileName(of: backup.path)): \(ProgressBar.grouped(Int(backup.bytes))) bytes "
                + "(the uncompressed snapshot is \(ProgressBar.grouped(Int(snapshotBytes))) bytes), "
                + "\(backup.records) records, read back in full before it counted")

        heading("7. Restore it into a new directory and compare")
        let restored = try Database.restoreNewestBackup(in: backups).database
        var same = true
        for name in db.tableNames {
            let original = try db.table(name).select()
            let copy = try restored.table(name).select()
            console.print(
                "\(name): \(original.count) records live, \(copy.count) restored, identical: \(original == copy)")
            same = same && original == copy
        }
        if !same { throw CommandFailure(.corrupt, "the restored backup differs from the database") }
        console.print("(on the command line: dictdb backup restore --db \(path) --to <new directory>)")

        heading("8. Bad input gets a typed error and changes nothing")
        for text in [
            "SELECT * FORM staff",
            "INSERT INTO staff VALUES {\"name\": \"X\", \"email\": \"x@example.com\", \"dept\": \"ops\", \"age\": 7}",
            "SELECT * FROM payroll",
        ] {
            console.print("dictdb> \(text)")
            do {
                _ = try db.execute(text)
            } catch {
                if error.code == .invalidQuery {
                    console.print(QueryParser.render(error, in: text))
                } else {
                    console.print(error.description)
                }
            }
        }
        console.print("\(try staff.count(where: .all)) records in staff, as before.")
    }

    private func statement(_ db: Database, _ text: String) throws {
        console.print("\ndictdb> \(text);")
        try printer.print(try db.execute(text))
    }

    private func heading(_ title: String) {
        let text = "\n== \(title)"
        console.print(console.usesColor(on: console.output) ? "\u{1B}[1m\(text)\u{1B}[0m" : text)
    }

    private static func brief(_ record: Record) -> String {
        "\(record["name"].stringValue ?? "?") in \(record["dept"].stringValue ?? "?"), salary \(record["salary"])"
    }
}

/// The demo's generated data: the same every run.
enum DemoData {
    static let departments = ["engineering", "sales", "research", "support", "operations", "finance"]
    private static let first = [
        "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Radia", "Ken", "Leslie", "Margaret",
        "Dennis", "Katherine", "Tim", "Hedy", "Niklaus", "Shafi", "Whitfield", "Jean",
    ]
    private static let last = [
        "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "McCarthy", "Perlman", "Thompson",
        "Lamport", "Hamilton", "Ritchie", "Johnson", "Berners-Lee", "Lamarr", "Wirth", "Goldwasser", "Diffie", "Sammet",
    ]

    /// `count` staff records from a fixed-seed generator.
    static func staff(count: Int) -> [Record] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { i in
            let name = "\(first[next(first.count)]) \(last[next(last.count)])"
            return [
                "name": .string(name),
                "email": .string("\(name.lowercased().replacingSpaces).\(i)@example.com"),
                "dept": .string(departments[next(departments.count)]),
                "age": .int(Int64(22 + next(44))),
                "salary": .double(Double(48_000 + next(1_000) * 100)),
            ]
        }
    }

    static let departmentsInsert =
        "INSERT INTO departments VALUES "
        + departments.enumerated().map { i, name in
            "{\"code\": \"\(name.prefix(3).uppercased())\", \"name\": \"\(name)\", \"floor\": \(i + 1)}"
        }.joined(separator: ", ")
}

extension String {
    fileprivate var replacingSpaces: String { String(map { $0 == " " ? "." : $0 }) }
}
