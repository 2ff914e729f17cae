import DictDBAPI
import DictDBContracts
import Engine
import Testing

/// ``PrimaryKeyGeneratorContract`` passes a correct generator and names the clause each broken one breaks.
@Suite struct PrimaryKeyGeneratorContractTests {
    @Test func aCorrectGeneratorPasses() throws {
        try PrimaryKeyGeneratorContract.check(FlawedKeyGenerator(.none))
    }

    @Test(arguments: [
        (FlawedKeyGenerator.Flaw.repeatsAKey, "no reuse"),
        (.ignoresObservedKeys, "no reuse"),
        (.nonFiniteKey, "valid keys"),
        (.unstorableState, "pure state"),
    ])
    func aBrokenGeneratorIsCaughtByTheClauseItBreaks(_ flaw: FlawedKeyGenerator.Flaw, _ clause: String) {
        expectViolation(clause) { () throws(ContractViolation) in
            try PrimaryKeyGeneratorContract.check(FlawedKeyGenerator(flaw))
        }
    }
}

/// ``SyncPolicyContract`` passes correct policies and names the clause each broken one breaks.
@Suite struct SyncPolicyContractTests {
    @Test func correctPoliciesPass() throws {
        try SyncPolicyContract.check(DeferringSyncPolicy(delay: .milliseconds(50)))
        try SyncPolicyContract.check(DeferringSyncPolicy(delay: .zero))
    }

    @Test func anImpurePolicyIsCaught() {
        expectViolation("pure decisions") { () throws(ContractViolation) in
            try SyncPolicyContract.check(ImpureSyncPolicy())
        }
    }

    @Test func anUnboundedOrNegativeDelayIsCaught() {
        for delay in [Duration.seconds(3_600), .seconds(-1)] {
            expectViolation("finite loss window") { () throws(ContractViolation) in
                try SyncPolicyContract.check(DeferringSyncPolicy(delay: delay))
            }
        }
    }
}
