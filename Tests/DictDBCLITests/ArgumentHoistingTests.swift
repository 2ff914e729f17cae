import Testing

@testable import DictDBCLI

@Suite struct ArgumentHoistingTests {
    @Test func movesDatabaseOptionsGivenBeforeTheSubcommandToTheEnd() {
        #expect(
            GlobalOptions.hoisted(["--db", "x", "--sync=os", "query", "SELECT 1"])
                == ["query", "SELECT 1", "--db", "x", "--sync=os"])
    }

    @Test func keepsOptionsBeforeATerminator() {
        #expect(
            GlobalOptions.hoisted(["--codec", "json", "query", "--", "-x"]) == ["query", "--codec", "json", "--", "-x"])
    }

    @Test func leavesOtherArgumentsAlone() {
        #expect(GlobalOptions.hoisted(["query", "--db", "x"]) == ["query", "--db", "x"])
        #expect(GlobalOptions.hoisted(["--help"]) == ["--help"])
        #expect(GlobalOptions.hoisted([]) == [])
    }
}
