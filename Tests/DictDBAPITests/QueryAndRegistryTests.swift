import Foundation
import Testing

@testable import DictDBAPI

@Suite struct QueryTests {
    @Test func buildersReturnModifiedCopies() {
        let base = Query(Field("a") == 1)
        let refined = base.where(Field("b") == 2).orderBy("a", .descending("b")).limit(5).offset(2).distinct()
        #expect(base.ordering.isEmpty)
        #expect(base.limitCount == nil)
        #expect(refined.ordering == [SortKey("a"), SortKey("b", descending: true)])
        #expect(refined.limitCount == 5)
        #expect(refined.offsetCount == 2)
        #expect(refined.isDistinct)
        #expect(refined.condition == .and([Field("a") == 1, Field("b") == 2]))
    }

    @Test func validationRejectsRepeatedAliasesAndEmptyNames() {
        #expect(throws: DictDBError.self) { try Query().select("a", .field("b", as: "a")).validate() }
        #expect(throws: DictDBError.self) { try Query().orderBy("").validate() }
        #expect(throws: DictDBError.self) { try Query().select("").validate() }
        #expect(throws: Never.self) { try Query().select("a", .field("a", as: "b")).validate() }
    }

    @Test func aggregateQueriesNeedSomethingToComputeAndDistinctNames() {
        #expect(throws: DictDBError.self) { try AggregateQuery().validate() }
        #expect(throws: DictDBError.self) { try AggregateQuery().compute(.count(), .count()).validate() }
        #expect(throws: DictDBError.self) { try AggregateQuery().groupBy("a").compute(.count(as: "a")).validate() }
        #expect(throws: Never.self) { try AggregateQuery().groupBy("a").validate() }
        #expect(AggregateExpression.sum("x").alias == "sum(x)")
        #expect(AggregateExpression.count("x").alias == "count(x)")
    }
}

@Suite struct RegistryTests {
    struct NamedGenerator: PrimaryKeyGenerator {
        let name: String
        let initialState: Value = .null
        func nextKey(state: inout Value) throws(DictDBError) -> Value { .string(name) }
    }

    @Test func unknownNamesThrowATypedErrorListingTheRegisteredOnes() {
        var registry = Registry()
        registry.register(keyGenerator: NamedGenerator(name: "b"))
        registry.register(keyGenerator: NamedGenerator(name: "a"))
        do {
            _ = try registry.keyGenerator(named: "zzz")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unknownPlugin)
            #expect(error.message.contains("a, b"))
            #expect(error.context.plugin == "keyGenerator:zzz")
        }
        #expect(registry.names(of: .keyGenerator) == ["a", "b"])
        #expect(throws: DictDBError.self) { try registry.codec(named: "json") }
    }

    @Test func registeringANameAgainReplacesThePlugin() throws {
        var registry = Registry()
        registry.register(keyGenerator: NamedGenerator(name: "g"))
        registry.register(keyGenerator: NamedGenerator(name: "g"))
        #expect(registry.names(of: .keyGenerator) == ["g"])
    }

    @Test func registriesAreIndependentValues() {
        var first = Registry()
        let second = first
        first.register(keyGenerator: NamedGenerator(name: "only-in-first"))
        #expect(second.names(of: .keyGenerator).isEmpty)
    }
}

@Suite struct DictDBErrorTests {
    @Test func errorsMatchTheirCodeInCatchClauses() {
        func fail() throws { throw DictDBError(.tableNotFound, "no table named 'x'", context: .init(table: "x")) }
        do {
            try fail()
        } catch DictDBError.duplicateKey {
            Issue.record("wrong code matched")
        } catch DictDBError.tableNotFound {
            // expected
        } catch {
            Issue.record("code did not match")
        }
    }

    @Test func descriptionNamesCodeMessageAndContext() {
        let error = DictDBError(.corrupt, "bad checksum", context: .init(path: "/tmp/a", offset: 42))
        #expect(error.description == "corrupt: bad checksum [path=/tmp/a offset=42]")
    }
}

@Suite struct ErrorCodeListTests {
    /// `allCases` lists every `public static let ... = Code(rawValue:)` of `DictDBError.swift`, once, so
    /// code that maps each code (the server's statuses, the CLI's exit statuses) can rely on it.
    @Test func allCasesListsEveryDeclaredCodeOnce() throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/DictDBAPI/Support/DictDBError.swift")
        let text = try String(contentsOf: source, encoding: .utf8)
        let declared = text.split(separator: "\n").compactMap { line -> String? in
            guard line.contains("= Code(rawValue:"), let name = line.split(separator: " ").dropFirst(3).first
            else { return nil }
            return String(name)
        }
        #expect(declared.count >= 22)
        #expect(DictDBError.Code.allCases.map(\.rawValue) == declared)
        #expect(Set(DictDBError.Code.allCases).count == DictDBError.Code.allCases.count)
    }
}
