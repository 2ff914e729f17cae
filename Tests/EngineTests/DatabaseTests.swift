import DictDBAPI
import Engine
import Testing

@Suite struct DatabaseTests {
    @Test func createsListsAndDropsTables() throws {
        let db = makeDatabase()
        try db.createTable("b")
        try db.createTable("a")
        #expect(db.tableNames == ["a", "b"])
        #expect(db.hasTable("a"))
        try db.dropTable("a")
        #expect(db.tableNames == ["b"])
        #expect(!db.hasTable("a"))
    }

    @Test func creatingAnExistingTableIsATypedErrorUnlessAskedToReuseIt() throws {
        let db = makeDatabase()
        let first = try db.createTable("users")
        #expect(captureError { try db.createTable("users") }?.code == .tableExists)
        let again = try db.createTable("users", ifNotExists: true)
        #expect(first === again)
    }

    @Test func missingTablesAreTypedErrorsNamingTheTablesThatExist() throws {
        let db = makeDatabase()
        try db.createTable("users")
        let error = captureError { try db.table("usres") }
        #expect(error?.code == .tableNotFound)
        #expect(error?.context.table == "usres")
        #expect(error?.message.contains("users") == true)
        #expect(captureError { try db.dropTable("nope") }?.code == .tableNotFound)
        #expect(captureError { try db.dropTable("nope", ifExists: true) } == nil)
    }

    @Test func aDroppedTablesHandleThrowsTableNotFound() throws {
        let db = makeDatabase()
        let table = try db.createTable("t")
        try table.insert(["x": 1])
        try db.dropTable("t")
        #expect(captureError { try table.insert(["x": 2]) }?.code == .tableNotFound)
        #expect(captureError { try table.select() }?.code == .tableNotFound)
        let recreated = try db.createTable("t")
        #expect(try recreated.count(where: .all) == 0)
    }

    @Test(arguments: ["", "a\u{0}b", "tab\tname", String(repeating: "x", count: 256)])
    func badTableNamesAreRejected(_ name: String) {
        let db = makeDatabase()
        #expect(captureError { try db.createTable(name) }?.code == .invalidArgument)
    }

    @Test func unknownKeyGeneratorIsATypedErrorListingTheRegisteredOnes() {
        let db = makeDatabase()
        let error = captureError { try db.createTable("t", keyGenerator: "snowflake") }
        #expect(error?.code == .unknownPlugin)
        #expect(error?.message.contains("autoincrement") == true)
        #expect(!db.hasTable("t"))
    }

    @Test func databasesWithSeparateRegistriesAreIndependent() throws {
        let a = makeDatabase()
        let b = makeDatabase()
        try a.createTable("t")
        #expect(!b.hasTable("t"))
    }
}
