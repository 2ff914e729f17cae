import DictDB

/// The REPL's history on disk: one entry per line, the newest last, at most ``limit`` entries.
///
/// The file is `$DICTDB_HISTORY`, else `~/.dictdb_history`; an empty `DICTDB_HISTORY` turns it off.
/// Statements that span lines are kept as one line. Reading a missing or unreadable file gives no history;
/// a failed save is reported once and otherwise ignored: history never stops a session.
struct HistoryFile {
    /// The most entries kept.
    static let limit = 1_000

    /// The file, or `nil` when history is off.
    let path: String?

    init(environment: [String: String]) {
        if let path = environment["DICTDB_HISTORY"] {
            self.path = path.isEmpty ? nil : path
        } else if let home = environment["HOME"], !home.isEmpty {
            self.path = FilePath.join(home, ".dictdb_history")
        } else {
            self.path = nil
        }
    }

    /// The saved entries, oldest first.
    func load() -> [String] {
        guard let path, let bytes = try? Self.read(path) else { return [] }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        return Array(lines.suffix(Self.limit))
    }

    /// Replaces the file with the newest ``limit`` entries.
    func save(_ entries: [String]) throws(DictDBError) {
        guard let path else { return }
        let text = entries.suffix(Self.limit).map(Self.oneLine).joined(separator: "\n") + "\n"
        try PosixFileSystem().replaceAtomically(path) { (file) throws(DictDBError) in
            try file.write(Array(text.utf8))
        }
    }

    /// An entry as one line: line breaks become spaces.
    static func oneLine(_ entry: String) -> String {
        String(entry.map { $0.isNewline ? " " : $0 })
    }

    private static func read(_ path: String) throws(DictDBError) -> [UInt8] {
        let file = try PosixFileSystem().openForReading(path)
        defer { try? file.close() }
        return try file.readAll(maxBytes: 16 << 20)
    }
}
