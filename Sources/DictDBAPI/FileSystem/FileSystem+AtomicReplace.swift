extension FileSystem {
    /// Writes a file so that `path` holds either its old content or the complete new one, never a part.
    ///
    /// The sequence: a temporary file in the same directory, created exclusively (mode 0600); `write` fills
    /// it; fsync; close; rename over `path`; fsync of the directory. If anything fails before the rename,
    /// the temporary file is removed and a file already at `path` is untouched. If only the directory fsync
    /// fails, the new file is in place but its durability is unknown, and the call throws.
    ///
    /// ```swift
    /// try fileSystem.replaceAtomically("/data/export.csv") { file in try file.write(bytes) }
    /// ```
    /// - Returns: what `write` returns.
    /// - Throws: ``DictDBError/Code/io`` with the path and system error, and whatever `write` throws.
    public func replaceAtomically<T>(
        _ path: String, _ write: (any WritableFile) throws(DictDBError) -> T
    ) throws(DictDBError) -> T {
        let directory = FilePath.directory(of: path)
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let temporary = FilePath.join(directory, ".\(FilePath.fileName(of: path)).tmp-\(suffix)")
        let file = try createExclusive(temporary)
        let result: T
        do {
            result = try write(file)
            CrashPoint.hit("snapshot.afterTempWrite")
            try file.sync()
            CrashPoint.hit("snapshot.afterFsync")
            try file.close()
            try rename(temporary, to: path)
            CrashPoint.hit("snapshot.afterRename")
        } catch {
            try? file.close()
            try? removeFile(temporary)
            throw error
        }
        try syncDirectory(directory)
        CrashPoint.hit("snapshot.afterDirectorySync")
        return result
    }
}

extension FileSystem {
    /// Copies a file's bytes to `destination`, replacing it atomically (see ``replaceAtomically(_:_:)``).
    ///
    /// ```swift
    /// try fileSystem.copyFile("/data/db/dictdb.json", to: "/tmp/check/dictdb.json")
    /// ```
    /// - Throws: ``DictDBError/Code/io`` with the path and system error.
    public func copyFile(_ source: String, to destination: String) throws(DictDBError) {
        let input = try openForReading(source)
        defer { try? input.close() }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { chunk.deallocate() }
        try replaceAtomically(destination) { (output) throws(DictDBError) in
            while true {
                let count = try input.read(into: chunk)
                if count == 0 { return }
                try output.write(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
            }
        }
    }
}
