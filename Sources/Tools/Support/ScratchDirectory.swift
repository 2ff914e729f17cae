import DictDB
import Foundation

/// A private working directory for a tool run: made under `$TMPDIR` (or `/tmp`) unless the user named one,
/// and removed at the end unless the user named it or asked to keep it.
public final class ScratchDirectory: Sendable {
    /// The directory's path.
    public let path: String
    /// Whether ``finish(keep:)`` removes it (a directory the tool made itself).
    public let isTemporary: Bool

    /// Uses `path` when given (created when missing, never removed), else makes `<TMPDIR>/<prefix>.XXXXXX`.
    /// - Throws: ``DictDBError/Code/io`` when the directory cannot be made.
    public init(_ path: String?, prefix: String) throws(DictDBError) {
        if let path {
            try PosixFileSystem().createDirectory(path)
            self.path = path
            isTemporary = false
            return
        }
        let base = ToolConsole.environment("TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/\(prefix).XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let made else {
            throw DictDBError(.io, "cannot make a temporary directory in \(base)", context: .init(path: base))
        }
        self.path = made
        isTemporary = true
    }

    /// The directory `name` inside this one (created when missing), removed with it.
    /// - Throws: ``DictDBError/Code/io`` when it cannot be made.
    public func subdirectory(_ name: String) throws(DictDBError) -> ScratchDirectory {
        try ScratchDirectory(file(name), prefix: name)
    }

    /// `path/name`.
    public func file(_ name: String) -> String {
        FilePath.join(path, name)
    }

    /// Removes the directory and everything in it when the tool made it and `keep` is false.
    public func finish(keep: Bool) {
        guard isTemporary && !keep else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
