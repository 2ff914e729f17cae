import DictDBAPI
import DictDBContracts
import Indexes
import Testing

/// ``IndexKindContract`` passes correct index kinds and names the clause each broken one breaks.
@Suite struct IndexKindContractTests {
    @Test func aCorrectIndexPasses() throws {
        try IndexKindContract.check(FlawedIndexKind(flaw: .none), steps: 600)
    }

    @Test(arguments: [
        (FlawedIndex.Flaw.dropsEntriesOnRemove, "exact answers"),
        (.inexactContains, "exact answers"),
        (.sharedStorage, "value semantics"),
        (.nilEstimate, "consistent estimates"),
        (.miscountsKeys, "statistics"),
        (.removeAllKeepsRows, "removeAll"),
        (.buildAppends, "build(from:)"),
        (.rowsDescendWithinAKey, "ordered visits"),
        (.ignoresStop, "stops when the body returns false"),
        (.removesAnotherEntry, "removing an absent entry does nothing"),
    ])
    func aBrokenIndexIsCaughtByTheClauseItBreaks(_ flaw: FlawedIndex.Flaw, _ clause: String) {
        expectViolation(clause) { () throws(ContractViolation) in
            try IndexKindContract.check(FlawedIndexKind(flaw: flaw), steps: 600)
        }
    }

    @Test func aViolationNamesThePredicateAndWhatReplaysIt() {
        do {
            try IndexKindContract.check(FlawedIndexKind(flaw: .inexactContains), seed: 9, steps: 300)
            Issue.record("the inexact index passed")
        } catch {
            #expect(error.plugin == "indexKind 'flawed-inexactContains'")
            #expect(error.detail.contains("CONTAINS"), "\(error)")
            #expect(error.detail.contains("seed 9") && error.detail.contains("step "), "\(error)")
        }
    }

    @Test func rejectionsMustBeInvalidArgument() throws {
        let twoFields = IndexDefinition(name: "x", fields: ["a", "b"], kind: "flawed-none")
        try IndexKindContract.checkRejects(FlawedIndexKind(flaw: .none), twoFields)
        expectViolation("rejects definitions it cannot serve with invalidArgument") { () throws(ContractViolation) in
            try IndexKindContract.checkRejects(FlawedIndexKind(flaw: .none, lax: true), twoFields)
        }
        expectViolation("rejects definitions it cannot serve with invalidArgument") { () throws(ContractViolation) in
            try IndexKindContract.checkRejects(WrongCodeIndexKind(), twoFields)
        }
    }

    @Test func aKindThatRefusesItsOwnDefinitionIsCaught() {
        expectViolation("makes an index for a definition it serves") { () throws(ContractViolation) in
            try IndexKindContract.check(FlawedIndexKind(flaw: .none), fields: ["a", "b"], steps: 10)
        }
    }
}
