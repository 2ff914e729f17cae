import DictDBAPI
import DictDBContracts
import Indexes
import Testing

/// The shared index contract (``IndexKindContract``) run over the hash-based built-in kinds, plus what the
/// built-ins promise beyond it.
@Suite struct IndexContractTests {
    /// A built-in kind with the definition and keys it is checked with.
    struct Subject: Sendable, CustomTestStringConvertible {
        let kind: any IndexKind
        let fields: [String]
        let keys: [Value]

        var testDescription: String { "\(kind.name) over \(fields.joined(separator: ", "))" }

        /// Every built-in kind, over one field and (where it serves them) several, as the engine uses them.
        static let all: [Subject] = [
            Subject(kind: HashIndexKind(), fields: ["f"], keys: IndexKindContract.standardKeys),
            Subject(kind: UniqueIndexKind(), fields: ["f"], keys: IndexKindContract.standardKeys),
            Subject(kind: HashIndexKind(), fields: ["a", "b"], keys: IndexKindContract.standardCompositeKeys),
            Subject(kind: SortedIndexKind(), fields: ["f"], keys: IndexKindContract.standardKeys),
            Subject(kind: SortedIndexKind(), fields: ["a", "b"], keys: IndexKindContract.standardCompositeKeys),
            Subject(kind: CompositeIndexKind(), fields: ["a", "b"], keys: IndexKindContract.standardCompositeKeys),
            Subject(kind: CompositeIndexKind(), fields: ["f", "g"], keys: IndexKindContract.standardKeys),
        ]
    }

    @Test(arguments: Subject.all.filter { ["hash", "unique"].contains($0.kind.name) })
    func keepsTheIndexContract(_ subject: Subject) throws {
        try IndexKindContract.check(subject.kind, fields: subject.fields, keys: subject.keys)
    }

    @Test(arguments: Subject.all)
    func answersEqualityAndInWithExactEstimates(_ subject: Subject) throws {
        var index = try subject.kind.makeIndex(
            IndexDefinition(name: "i", fields: subject.fields, kind: subject.kind.name))
        var random = SeededRandom(seed: 7)
        var entries: [(key: Value, row: RowID)] = []
        for row in 0..<400 {
            let key = random.pick(subject.keys)
            index.insert(key: key, row: row)
            entries.append((key, row))
            if row % 3 == 0, let victim = entries.indices.randomElement(using: &random) {
                index.remove(key: entries[victim].key, row: entries[victim].row)
                entries.remove(at: victim)
            }
        }
        for key in subject.keys {
            let expected = entries.filter { $0.key == key }.count
            #expect(try #require(index.rows(matching: .equal(key))).count == expected, "\(key)")
            #expect(index.estimatedRows(matching: .equal(key)) == expected, "\(key)")
        }
        let some = Array(subject.keys.prefix(4))
        let expectedAny = entries.filter { some.contains($0.key) }.count
        #expect(try #require(index.rows(matching: .anyOf(some))).count == expectedAny)
        #expect(index.estimatedRows(matching: .anyOf(some)) == expectedAny)
    }

    @Test func theUniqueKindAlwaysMakesUniqueIndexes() throws {
        let index = try UniqueIndexKind().makeIndex(IndexDefinition(name: "u", fields: ["f"], kind: "unique"))
        #expect(index.definition.unique)
        let hash = try HashIndexKind().makeIndex(IndexDefinition(name: "h", fields: ["f"], kind: "hash"))
        #expect(!hash.definition.unique)
    }

    @Test func unknownOptionsAreRejected() throws {
        for kind in [HashIndexKind(), UniqueIndexKind()] as [any IndexKind] {
            let definition = IndexDefinition(name: "h", fields: ["f"], kind: kind.name, options: ["order": "desc"])
            try IndexKindContract.checkRejects(kind, definition)
        }
    }

    @Test func compositeKeysAreArraysOfTheFieldsAndNullPartsAreExemptFromUniqueness() {
        let definition = IndexDefinition(name: "c", fields: ["a", "b"], kind: "hash", unique: true)
        let key = definition.key(for: ["b": 2, "a": 1])
        #expect(key == [1, 2])
        #expect(!definition.keyIsExemptFromUniqueness(key))
        #expect(definition.keyIsExemptFromUniqueness(definition.key(for: ["a": 1])))
        #expect(IndexDefinition(name: "s", fields: ["a"], kind: "hash").key(for: [:]) == .null)
    }
}
