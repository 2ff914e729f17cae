import DictDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
///
/// ```
/// importing people.csv [##########----------]  50%  500,000 records
/// ```
///
/// Redraws at most ten times a second; ``finish()`` clears the line so the command's own output follows.
final class ProgressBar {
    private let console: Console
    private let label: String
    private let enabled: Bool
    private var lastDraw: UInt64 = 0
    private var drawn = false

    init(console: Console, label: String) {
        self.console = console
        self.label = label
        self.enabled = console.error.isTerminal
    }

    /// Shows `done` of `total` (a bar with a percentage), or just the count when the total is unknown.
    func update(done: Int64, total: Int64?, records: Int) {
        guard enabled else { return }
        let now = Self.monotonicMillis()
        guard now - lastDraw >= 100 || (total != nil && done >= total ?? 0) else { return }
        lastDraw = now
        var progress = ""
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let width = 24
            let filled = Int(fraction * Double(width))
            progress += " [" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            progress += "] " + String(Int(fraction * 100)).leftPadded(to: 3) + "%"
        }
        progress += "  \(Self.grouped(records)) records"
        // One column to spare: a line that wraps cannot be redrawn or cleared with `\r`.
        console.error.write("\r\u{1B}[2K" + Self.fitted(label, progress, columns: console.terminalWidth - 1))
        drawn = true
    }

    /// `label + progress` in at most `columns` columns: a long label loses its start (`…ata/people.csv`),
    /// then the progress its end.
    static func fitted(_ label: String, _ progress: String, columns: Int) -> String {
        let room = columns - TableRenderer.width(of: progress)
        if TableRenderer.width(of: label) <= room { return label + progress }
        if room >= 2 {
            var kept = Substring(label)
            while TableRenderer.width(of: "…" + kept) > room { kept = kept.dropFirst() }
            return "…" + kept + progress
        }
        var line = Substring(progress.drop { $0 == " " })
        while TableRenderer.width(of: String(line)) > max(0, columns) { line = line.dropLast() }
        return String(line)
    }

    /// Clears the bar.
    func finish() {
        guard enabled, drawn else { return }
        console.error.write("\r\u{1B}[2K")
        drawn = false
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return number < 0 ? "-" + out : out
    }

    private static func monotonicMillis() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000 + UInt64(time.tv_nsec) / 1_000_000
    }
}
