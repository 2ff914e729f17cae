import DictDB
import Testing

/// The examples of Plugins.md, kept compiling and working.
@Suite struct PluginsGuideTests {
    struct PrefixedCounter: PrimaryKeyGenerator {
        let name = "prefixed-counter"
        let prefix: String
        let initialState: Value = 0

        func nextKey(state: inout Value) throws(DictDBError) -> Value {
            let next = (state.intValue ?? 0) + 1
            state = .int(next)
            return .string(prefix + String(next))
        }
    }

    @Test func aCustomKeyGeneratorPlugsInThroughTheRegistry() throws {
        var registry = Registry.standard
        registry.register(keyGenerator: PrefixedCounter(prefix: "order-"))
        let db = Database(registry: registry)
        let orders = try db.createTable("orders", keyGenerator: "prefixed-counter")
        #expect(try orders.insert(["total": 10]) == "order-1")
        #expect(try orders.insert(["total": 20]) == "order-2")
        #expect(throws: DictDBError.self) { try Database().createTable("orders", keyGenerator: "prefixed-counter") }
    }

    @Test func unknownIndexKindsNameTheRegisteredOnes() throws {
        let table = try Database().createTable("t")
        do {
            try table.createIndex(on: "a", kind: "rtree")
            Issue.record("expected unknownPlugin")
        } catch {
            #expect(
                error.description.hasPrefix(
                    "unknownPlugin: no indexKind named 'rtree' (registered: composite, hash, sorted, unique)"))
        }
    }

    @Test func aConfigurationNamesACustomPluginAndOpensWithTheRegistryThatHasIt() throws {
        let directory = try TemporaryDirectory()
        var registry = Registry.standard
        registry.register(keyGenerator: PrefixedCounter(prefix: "order-"))
        let configuration = try Configuration(
            json: """
                {"codec": "msgpack", "syncPolicy": "batch",
                 "tables": [{"name": "orders", "keyGenerator": "prefixed-counter"}]}
                """)
        let db = try Database.open(at: directory.file("data"), configuration: configuration, registry: registry)
        defer { try? db.close() }
        #expect(try db.table("orders").insert(["total": 10]) == "order-1")
        expectCode(.unknownPlugin) { try configuration.validate(against: .standard) }
    }
}
