import Testing

@testable import DictDBCLI

/// The progress bar: drawn on a terminal's stderr only, within its width, and cleared at the end.
@Suite struct ProgressBarTests {
    @Test func drawsABarWithAPercentageAndClearsItAtTheEnd() {
        let capture = CapturingConsole(terminal: true)
        let bar = ProgressBar(console: capture.console, label: "importing people.csv")
        bar.update(done: 50, total: 100, records: 1_500)
        #expect(capture.error == "\r\u{1B}[2Kimporting people.csv [############------------]  50%  1,500 records")
        bar.update(done: 100, total: 100, records: 3_000)
        #expect(capture.error.hasSuffix("[########################] 100%  3,000 records"))
        bar.finish()
        #expect(capture.error.hasSuffix("\r\u{1B}[2K"))
        #expect(capture.output.isEmpty)
    }

    @Test func showsOnlyTheCountWithoutATotal() {
        let capture = CapturingConsole(terminal: true)
        let bar = ProgressBar(console: capture.console, label: "backing up db")
        bar.update(done: 0, total: nil, records: 42)
        #expect(capture.error == "\r\u{1B}[2Kbacking up db  42 records")
    }

    @Test func drawsNothingWhenStderrIsNotATerminal() {
        let capture = CapturingConsole(terminal: false)
        let bar = ProgressBar(console: capture.console, label: "importing")
        bar.update(done: 1, total: 2, records: 1)
        bar.finish()
        #expect(capture.error.isEmpty)
    }

    @Test func fitsTheTerminalByShorteningTheLabelFromTheLeft() {
        let progress = " [####--------------------]  16%  1,000 records"
        let line = ProgressBar.fitted("importing /very/long/path/to/data/people.csv", progress, columns: 60)
        #expect(line == "…a/people.csv" + progress)
        #expect(TableRenderer.width(of: line) == 60)
        let narrow = ProgressBar.fitted("importing", progress, columns: 20)
        #expect(TableRenderer.width(of: narrow) <= 20)
        #expect(narrow.hasPrefix("[####"))
        #expect(ProgressBar.fitted("x", progress, columns: 0).isEmpty)
    }

    @Test func groupsThousands() {
        #expect(ProgressBar.grouped(0) == "0")
        #expect(ProgressBar.grouped(999) == "999")
        #expect(ProgressBar.grouped(1_234_567) == "1,234,567")
        #expect(ProgressBar.grouped(-1_000) == "-1,000")
    }
}
