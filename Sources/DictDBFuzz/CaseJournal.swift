import DictDB

/// The file each case is appended to before it runs, so that when a case kills the process (a trap, a
/// signal, the watchdog) its last line names the case.
final class CaseJournal {
    /// The journal's path.
    let path: String
    private let file: any WritableFile

    /// Opens (creating or emptying) the journal at `path`.
    init(path: String) throws(DictDBError) {
        self.path = path
        file = try PosixFileSystem().openForAppending(path, create: true)
        try file.truncate(to: 0)
    }

    /// Appends one line with one `write()`: it reaches the kernel before the case runs, so it survives the
    /// process dying (no fsync: an OS crash is not what this guards against).
    func record(_ line: String) throws(DictDBError) {
        try file.write(Array((line + "\n").utf8))
    }

    /// The last line of the journal at `path` (empty when there is none).
    static func lastLine(of path: String) -> String {
        guard let bytes = try? FileIO.read(path) else { return "" }
        let lines = bytes.split(separator: UInt8(ascii: "\n"))
        return lines.last.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
